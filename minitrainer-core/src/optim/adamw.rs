//! `AdamW`: PyTorch's `torch.optim.AdamW`, Adam with decoupled weight decay.

use minitrainer_macros::Config;

use super::engine::optimizer_type;

/// Config of [`AdamW`] (`"adamw"`), with PyTorch's defaults (weight decay 0.01). PyTorch's
/// `betas=(b1, b2)` are `beta1` and `beta2` (the factory also accepts `betas=[b1, b2]`).
#[derive(Config, Clone, Debug, PartialEq)]
pub struct AdamWConfig {
    /// Learning rate.
    #[config(default = 1e-3, min = 0.0)]
    pub lr: f64,
    /// Decay of the running mean of gradients (PyTorch's `betas[0]`).
    #[config(default = 0.9, range = 0.0..1.0)]
    pub beta1: f64,
    /// Decay of the running mean of squared gradients (PyTorch's `betas[1]`).
    #[config(default = 0.999, range = 0.0..1.0)]
    pub beta2: f64,
    /// Added to the denominator, after the square root.
    #[config(default = 1e-8, min = 0.0)]
    pub eps: f64,
    /// Decoupled weight decay: each step first multiplies the parameter by `1 - lr·wd`.
    #[config(default = 1e-2, min = 0.0)]
    pub weight_decay: f64,
    /// Use the maximum of past second moments (AMSGrad).
    #[config(default = false)]
    pub amsgrad: bool,
    /// Maximize the objective instead of minimizing it.
    #[config(default = false)]
    pub maximize: bool,
}

optimizer_type!(
    /// AdamW (Loshchilov & Hutter), exactly as PyTorch's `torch.optim.AdamW` with
    /// `foreach=False`: the parameter is multiplied by `1 - lr·weight_decay`, then the Adam
    /// step runs without weight decay (see [`Adam`](super::Adam) for the rule).
    ///
    /// State per parameter: `exp_avg`, `exp_avg_sq` (and `max_exp_avg_sq` with `amsgrad`),
    /// and the step count.
    ///
    /// # Examples
    /// ```
    /// # use minitrainer_core as minitrainer;
    /// use minitrainer::build::{Build, Init};
    /// use minitrainer::nn::{Linear, LinearConfig};
    /// use minitrainer::optim::{AdamW, AdamWConfig, Optimizer, ParamGroup};
    /// let model = Linear::build(&LinearConfig::new(4, 2), &mut Init::seeded(0));
    /// let opt = AdamW::with_groups(
    ///     &model,
    ///     AdamWConfig { lr: 3e-4, ..AdamWConfig::default() },
    ///     [ParamGroup::new("*bias").weight_decay(0.0)],
    /// )?;
    /// let groups = opt.param_groups();
    /// assert_eq!((groups[0].weight_decay, groups[1].weight_decay), (0.01, 0.0));
    /// assert_eq!(groups[1].params, ["bias"]);
    /// # Ok::<(), minitrainer::optim::OptimError>(())
    /// ```
    AdamW,
    AdamWRule,
    AdamWConfig
);

super::adam::adam_rule!(
    /// [`AdamW`]'s rule: the Adam kernel with decoupled decay.
    AdamWRule, AdamWConfig, "adamw", decoupled: true
);
