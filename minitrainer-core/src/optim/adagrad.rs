//! `Adagrad`: PyTorch's `torch.optim.Adagrad`.

use minitrainer_macros::Config;

use super::engine::optimizer_type;
use super::float::Float;
use super::rule::{Rule, buffers};

/// Config of [`Adagrad`] (`"adagrad"`), with PyTorch's defaults and checks.
#[derive(Config, Clone, Debug, PartialEq)]
pub struct AdagradConfig {
    /// Learning rate.
    #[config(default = 1e-2, min = 0.0)]
    pub lr: f64,
    /// Learning-rate decay: step `t` uses `lr / (1 + (t - 1)·lr_decay)`.
    #[config(default = 0.0, min = 0.0)]
    pub lr_decay: f64,
    /// L2 penalty, added to the gradient.
    #[config(default = 0.0, min = 0.0)]
    pub weight_decay: f64,
    /// The value the sum of squared gradients starts at.
    #[config(default = 0.0, min = 0.0)]
    pub initial_accumulator_value: f64,
    /// Added to the denominator, after the square root.
    #[config(default = 1e-10, min = 0.0)]
    pub eps: f64,
    /// Maximize the objective instead of minimizing it.
    #[config(default = false)]
    pub maximize: bool,
}

optimizer_type!(
    /// Adagrad (Duchi et al.), exactly as PyTorch's `torch.optim.Adagrad` with
    /// `foreach=False` (dense gradients).
    ///
    /// State per parameter: `sum` (of squared gradients) and the step count. PyTorch fills
    /// `sum` when the optimizer is built; here it is filled with the same value on the
    /// parameter's first step, which gives the same numbers.
    ///
    /// # Examples
    /// ```
    /// # use minitrainer_core as minitrainer;
    /// use minitrainer::build::{Build, Init};
    /// use minitrainer::nn::{Linear, LinearConfig};
    /// use minitrainer::optim::{Adagrad, AdagradConfig, LearningRates};
    /// let model = Linear::build(&LinearConfig::new(4, 2), &mut Init::seeded(0));
    /// let opt = Adagrad::new(&model, AdagradConfig { lr_decay: 1e-3, ..AdagradConfig::default() })?;
    /// assert_eq!(opt.learning_rates(), [1e-2]);
    /// # Ok::<(), minitrainer::optim::OptimError>(())
    /// ```
    Adagrad,
    AdagradRule,
    AdagradConfig
);

/// [`Adagrad`]'s rule.
pub(crate) struct AdagradRule;

impl Rule for AdagradRule {
    type Config = AdagradConfig;
    const NAME: &'static str = "adagrad";

    fn lr(config: &AdagradConfig) -> f64 {
        config.lr
    }
    fn set_lr(config: &mut AdagradConfig, lr: f64) {
        config.lr = lr;
    }
    fn weight_decay(config: &AdagradConfig) -> f64 {
        config.weight_decay
    }
    fn set_weight_decay(config: &mut AdagradConfig, weight_decay: f64) {
        config.weight_decay = weight_decay;
    }
    fn slots(_: &AdagradConfig) -> &'static [&'static str] {
        &["sum"]
    }
    fn initial_value(config: &AdagradConfig, _slot: &str) -> f64 {
        config.initial_accumulator_value
    }

    /// `_single_tensor_adagrad`, one parameter (dense gradient):
    /// ```text
    /// g ← -g if maximize;  g ← g + wd·p if wd ≠ 0
    /// clr ← lr / (1 + (t - 1)·lr_decay)
    /// s ← s + g·g
    /// p ← p + (-clr)·g / (sqrt(s) + eps)
    /// ```
    fn update<T: Float>(
        c: &AdagradConfig,
        step: u64,
        p: &mut [T],
        grad: &[T],
        state: &mut [Vec<T>],
    ) {
        #[allow(clippy::cast_precision_loss)]
        let t = step as f64;
        let clr = c.lr / (1.0 + (t - 1.0) * c.lr_decay);
        let (weight_decay, eps, neg_clr) = (T::of(c.weight_decay), T::of(c.eps), T::of(-clr));
        let [sum] = buffers::<T, 1>(state);
        for i in 0..p.len().min(grad.len()) {
            let mut g = if c.maximize { -grad[i] } else { grad[i] };
            if c.weight_decay != 0.0 {
                g = g + weight_decay * p[i];
            }
            // addcmul_(g, g, value=1): s + (1·g)·g
            sum[i] = sum[i] + g * g;
            p[i] = p[i] + neg_clr * g / (sum[i].sqrt() + eps);
        }
    }
}
