//! `RmsProp`: PyTorch's `torch.optim.RMSprop`, plain, centered and with momentum.

use minitrainer_macros::Config;

use super::engine::optimizer_type;
use super::float::{Float, lerp};
use super::rule::{Rule, buffers};

/// Config of [`RmsProp`] (`"rmsprop"`), with PyTorch's defaults and checks (PyTorch only
/// requires `alpha >= 0` and `momentum >= 0`).
#[derive(Config, Clone, Debug, PartialEq)]
pub struct RmsPropConfig {
    /// Learning rate.
    #[config(default = 1e-2, min = 0.0)]
    pub lr: f64,
    /// Smoothing constant of the running mean of squared gradients.
    #[config(default = 0.99, min = 0.0)]
    pub alpha: f64,
    /// Added to the denominator, after the square root.
    #[config(default = 1e-8, min = 0.0)]
    pub eps: f64,
    /// L2 penalty, added to the gradient.
    #[config(default = 0.0, min = 0.0)]
    pub weight_decay: f64,
    /// Momentum factor (0: none).
    #[config(default = 0.0, min = 0.0)]
    pub momentum: f64,
    /// Normalize by the estimated variance (subtract the squared running mean of gradients).
    #[config(default = false)]
    pub centered: bool,
    /// Maximize the objective instead of minimizing it.
    #[config(default = false)]
    pub maximize: bool,
}

optimizer_type!(
    /// RMSprop (Hinton), exactly as PyTorch's `torch.optim.RMSprop` with `foreach=False`.
    ///
    /// State per parameter: `square_avg`, `momentum_buffer` (when `momentum > 0`),
    /// `grad_avg` (when `centered`), and the step count.
    ///
    /// # Examples
    /// ```
    /// # use minitrainer_core as minitrainer;
    /// use minitrainer::build::{Build, Init};
    /// use minitrainer::nn::{Linear, LinearConfig};
    /// use minitrainer::optim::{RmsProp, RmsPropConfig};
    /// let model = Linear::build(&LinearConfig::new(4, 2), &mut Init::seeded(0));
    /// let config = RmsPropConfig { centered: true, momentum: 0.9, ..RmsPropConfig::default() };
    /// let opt = RmsProp::new(&model, config)?;
    /// assert_eq!(opt.config().alpha, 0.99);
    /// # Ok::<(), minitrainer::optim::OptimError>(())
    /// ```
    RmsProp,
    RmsPropRule,
    RmsPropConfig
);

/// [`RmsProp`]'s rule.
pub(crate) struct RmsPropRule;

impl Rule for RmsPropRule {
    type Config = RmsPropConfig;
    const NAME: &'static str = "rmsprop";

    fn lr(config: &RmsPropConfig) -> f64 {
        config.lr
    }
    fn set_lr(config: &mut RmsPropConfig, lr: f64) {
        config.lr = lr;
    }
    fn weight_decay(config: &RmsPropConfig) -> f64 {
        config.weight_decay
    }
    fn set_weight_decay(config: &mut RmsPropConfig, weight_decay: f64) {
        config.weight_decay = weight_decay;
    }
    fn slots(config: &RmsPropConfig) -> &'static [&'static str] {
        match (config.momentum > 0.0, config.centered) {
            (false, false) => &["square_avg"],
            (true, false) => &["square_avg", "momentum_buffer"],
            (false, true) => &["square_avg", "grad_avg"],
            (true, true) => &["square_avg", "momentum_buffer", "grad_avg"],
        }
    }

    /// `_single_tensor_rmsprop`, one parameter:
    /// ```text
    /// g ← -g if maximize;  g ← g + wd·p if wd ≠ 0
    /// v ← v·α + (1-α)·g·g
    /// centered:  ḡ ← lerp(ḡ, g, 1-α);  avg ← sqrt(v + (-1)·ḡ·ḡ)
    /// otherwise: avg ← sqrt(v)
    /// avg ← avg + eps
    /// μ > 0:     b ← b·μ + g / avg;  p ← p + (-lr)·b
    /// otherwise: p ← p + (-lr)·g / avg
    /// ```
    fn update<T: Float>(c: &RmsPropConfig, _: u64, p: &mut [T], grad: &[T], state: &mut [Vec<T>]) {
        let (weight_decay, alpha) = (T::of(c.weight_decay), T::of(c.alpha));
        let (one_minus_alpha, eps) = (T::of(1.0 - c.alpha), T::of(c.eps));
        let (momentum, neg_lr, minus_one) = (T::of(c.momentum), T::of(-c.lr), T::of(-1.0));
        let (square_avg, rest) = state.split_at_mut(state.len().min(1));
        let [square_avg] = buffers::<T, 1>(square_avg);
        let (mut buffer, mut grad_avg) = match (c.momentum > 0.0, c.centered) {
            (true, true) => {
                let [b, a] = buffers::<T, 2>(rest);
                (Some(b), Some(a))
            }
            (true, false) => {
                let [b] = buffers::<T, 1>(rest);
                (Some(b), None)
            }
            (false, true) => {
                let [a] = buffers::<T, 1>(rest);
                (None, Some(a))
            }
            (false, false) => (None, None),
        };
        for i in 0..p.len().min(grad.len()) {
            let mut g = if c.maximize { -grad[i] } else { grad[i] };
            if c.weight_decay != 0.0 {
                g = g + weight_decay * p[i];
            }
            square_avg[i] = square_avg[i] * alpha + one_minus_alpha * g * g;
            let avg = match grad_avg.as_deref_mut() {
                Some(mean) => {
                    mean[i] = lerp(mean[i], g, one_minus_alpha);
                    (square_avg[i] + minus_one * mean[i] * mean[i]).sqrt()
                }
                None => square_avg[i].sqrt(),
            } + eps;
            match buffer.as_deref_mut() {
                Some(buf) => {
                    buf[i] = buf[i] * momentum + g / avg;
                    p[i] = p[i] + neg_lr * buf[i];
                }
                None => p[i] = p[i] + neg_lr * g / avg,
            }
        }
    }
}
