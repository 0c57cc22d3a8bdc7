//! `Sgd`: PyTorch's `torch.optim.SGD`, with momentum, dampening and Nesterov momentum.

use minitrainer_macros::Config;

use super::engine::optimizer_type;
use super::float::Float;
use super::rule::{Rule, buffers};
use crate::config::CheckError;

/// Config of [`Sgd`] (`"sgd"`), with PyTorch's defaults.
#[derive(Config, Clone, Debug, PartialEq)]
#[config(check = nesterov_needs_momentum)]
pub struct SgdConfig {
    /// Learning rate.
    #[config(default = 1e-3, min = 0.0)]
    pub lr: f64,
    /// Momentum factor (0: plain SGD, no state).
    #[config(default = 0.0, min = 0.0)]
    pub momentum: f64,
    /// Dampening of the momentum: the gradient enters the buffer times `1 - dampening`.
    #[config(default = 0.0)]
    pub dampening: f64,
    /// L2 penalty, added to the gradient.
    #[config(default = 0.0, min = 0.0)]
    pub weight_decay: f64,
    /// Nesterov momentum (needs `momentum > 0` and `dampening = 0`).
    #[config(default = false)]
    pub nesterov: bool,
    /// Maximize the objective instead of minimizing it.
    #[config(default = false)]
    pub maximize: bool,
}

/// PyTorch's `ValueError("Nesterov momentum requires a momentum and zero dampening")`.
fn nesterov_needs_momentum(config: &SgdConfig) -> Result<(), CheckError> {
    if config.nesterov && (config.momentum <= 0.0 || config.dampening != 0.0) {
        return Err(CheckError::new(
            ["nesterov", "momentum", "dampening"],
            "nesterov momentum requires momentum > 0 and dampening = 0",
        ));
    }
    Ok(())
}

optimizer_type!(
    /// Stochastic gradient descent, exactly as PyTorch's `torch.optim.SGD` with
    /// `foreach=False`.
    ///
    /// State per parameter: `momentum_buffer` (when `momentum > 0`) and the step count.
    ///
    /// # Examples
    /// ```
    /// # use minitrainer_core as minitrainer;
    /// use minitrainer::build::{Build, Init};
    /// use minitrainer::nn::{Linear, LinearConfig};
    /// use minitrainer::optim::{Sgd, SgdConfig};
    /// let model = Linear::build(&LinearConfig::new(4, 2), &mut Init::seeded(0));
    /// let config = SgdConfig { lr: 0.1, momentum: 0.9, nesterov: true, ..SgdConfig::default() };
    /// let opt = Sgd::new(&model, config)?;
    /// let bad = SgdConfig { nesterov: true, ..SgdConfig::default() };
    /// assert!(Sgd::new(&model, bad).unwrap_err().to_string().contains("nesterov"));
    /// # Ok::<(), minitrainer::optim::OptimError>(())
    /// ```
    Sgd,
    SgdRule,
    SgdConfig
);

/// [`Sgd`]'s rule.
pub(crate) struct SgdRule;

impl Rule for SgdRule {
    type Config = SgdConfig;
    const NAME: &'static str = "sgd";

    fn lr(config: &SgdConfig) -> f64 {
        config.lr
    }
    fn set_lr(config: &mut SgdConfig, lr: f64) {
        config.lr = lr;
    }
    fn weight_decay(config: &SgdConfig) -> f64 {
        config.weight_decay
    }
    fn set_weight_decay(config: &mut SgdConfig, weight_decay: f64) {
        config.weight_decay = weight_decay;
    }
    fn slots(config: &SgdConfig) -> &'static [&'static str] {
        if config.momentum != 0.0 {
            &["momentum_buffer"]
        } else {
            &[]
        }
    }

    /// `_single_tensor_sgd`, one parameter:
    /// ```text
    /// g ← -g if maximize
    /// g ← g + wd·p                                   if wd ≠ 0
    /// if μ ≠ 0:  b ← g (first step), else b ← b·μ + (1 - dampening)·g
    ///            g ← g + μ·b if nesterov, else b
    /// p ← p + (-lr)·g
    /// ```
    fn update<T: Float>(c: &SgdConfig, step: u64, p: &mut [T], grad: &[T], state: &mut [Vec<T>]) {
        let (weight_decay, momentum) = (T::of(c.weight_decay), T::of(c.momentum));
        let (undamped, neg_lr) = (T::of(1.0 - c.dampening), T::of(-c.lr));
        let mut buffer = (c.momentum != 0.0).then(|| {
            let [buffer] = buffers::<T, 1>(state);
            buffer
        });
        let n = p.len().min(grad.len());
        if buffer.is_none() && !c.maximize && c.weight_decay == 0.0 {
            // Plain SGD (the common case): one loop without per-element branches, on the
            // widest vectors for f32 (`lanes.rs`); the same arithmetic as below.
            return T::add_scaled(&mut p[..n], &grad[..n], neg_lr);
        }
        for i in 0..n {
            let mut g = if c.maximize { -grad[i] } else { grad[i] };
            if c.weight_decay != 0.0 {
                g = g + weight_decay * p[i];
            }
            if let Some(buf) = buffer.as_deref_mut() {
                buf[i] = if step == 1 {
                    g
                } else {
                    buf[i] * momentum + undamped * g
                };
                g = if c.nesterov {
                    g + momentum * buf[i]
                } else {
                    buf[i]
                };
            }
            p[i] = p[i] + neg_lr * g;
        }
    }
}
