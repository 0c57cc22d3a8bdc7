//! `Adam`: PyTorch's `torch.optim.Adam` (and the kernel `AdamW` shares).

use minitrainer_macros::Config;

use super::engine::optimizer_type;
use super::float::{Float, lerp};
use super::lanes::AdamLanes;
use super::rule::buffers;

/// Config of [`Adam`] (`"adam"`), with PyTorch's defaults. PyTorch's `betas=(b1, b2)` are
/// `beta1` and `beta2` (the factory also accepts `betas=[b1, b2]`).
#[derive(Config, Clone, Debug, PartialEq)]
pub struct AdamConfig {
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
    /// L2 penalty, added to the gradient (for decoupled decay use [`AdamW`](super::AdamW)).
    #[config(default = 0.0, min = 0.0)]
    pub weight_decay: f64,
    /// Use the maximum of past second moments (AMSGrad).
    #[config(default = false)]
    pub amsgrad: bool,
    /// Maximize the objective instead of minimizing it.
    #[config(default = false)]
    pub maximize: bool,
}

optimizer_type!(
    /// Adam (Kingma & Ba), exactly as PyTorch's `torch.optim.Adam` with `foreach=False`.
    ///
    /// State per parameter: `exp_avg`, `exp_avg_sq` (and `max_exp_avg_sq` with `amsgrad`),
    /// and the step count.
    ///
    /// # Examples
    /// ```
    /// # use minitrainer_core as minitrainer;
    /// use minitrainer::build::{Build, Init};
    /// use minitrainer::nn::{Linear, LinearConfig};
    /// use minitrainer::optim::{Adam, AdamConfig, LearningRates, ParamGroup};
    /// let model = Linear::build(&LinearConfig::new(4, 2), &mut Init::seeded(0));
    /// let opt = Adam::with_groups(
    ///     &model,
    ///     AdamConfig { weight_decay: 1e-4, ..AdamConfig::default() },
    ///     [ParamGroup::new("*bias").weight_decay(0.0).lr(1e-2)],
    /// )?;
    /// assert_eq!(opt.learning_rates(), [1e-3, 1e-2]);
    /// # Ok::<(), minitrainer::optim::OptimError>(())
    /// ```
    Adam,
    AdamRule,
    AdamConfig
);

/// The hyperparameters of the Adam kernel, for `Adam` (coupled weight decay) and `AdamW`
/// (decoupled).
pub(super) struct AdamHyper {
    pub lr: f64,
    pub beta1: f64,
    pub beta2: f64,
    pub eps: f64,
    pub weight_decay: f64,
    pub amsgrad: bool,
    pub maximize: bool,
    pub decoupled: bool,
}

pub(super) const SLOTS: &[&str] = &["exp_avg", "exp_avg_sq"];
pub(super) const SLOTS_AMSGRAD: &[&str] = &["exp_avg", "exp_avg_sq", "max_exp_avg_sq"];

/// `_single_tensor_adam`, one parameter:
/// ```text
/// g ← -g if maximize
/// p ← p·(1 - lr·wd)                       if decoupled (AdamW)
/// g ← g + wd·p                            otherwise
/// m ← lerp(m, g, 1 - β1)                  (= m + (1-β1)(g - m))
/// v ← v·β2 + (1-β2)·g·g
/// v̂ ← max(v̂, v)                           amsgrad; the denominator uses v̂ then
/// denom ← sqrt(v) / sqrt(1 - β2^t) + eps
/// p ← p + (-lr / (1 - β1^t))·m / denom
/// ```
/// Scalars are computed in f64 (Python floats) and cast to `T` where the tensor op takes them.
pub(super) fn adam_update<T: Float>(
    h: &AdamHyper,
    step: u64,
    param: &mut [T],
    grad: &[T],
    state: &mut [Vec<T>],
) {
    // Python: beta1 ** step with step a float; `powf` is the same libm `pow`.
    #[allow(clippy::cast_precision_loss)]
    let t = step as f64;
    let bias_correction1 = 1.0 - h.beta1.powf(t);
    let bias_correction2 = 1.0 - h.beta2.powf(t);
    let step_size = h.lr / bias_correction1;
    let bias_correction2_sqrt = bias_correction2.powf(0.5);

    let (one_minus_beta1, beta2) = (T::of(1.0 - h.beta1), T::of(h.beta2));
    let one_minus_beta2 = T::of(1.0 - h.beta2);
    let decay = T::of(1.0 - h.lr * h.weight_decay);
    let weight_decay = T::of(h.weight_decay);
    let (sqrt_bc2, eps, neg_step_size) = (
        T::of(bias_correction2_sqrt),
        T::of(h.eps),
        T::of(-step_size),
    );
    let (moments, rest) = state.split_at_mut(state.len().min(2));
    let [exp_avg, exp_avg_sq] = buffers::<T, 2>(moments);
    let mut max_exp_avg_sq = rest.first_mut().filter(|_| h.amsgrad);
    // lerp's first branch, |1 - β1| < 0.5: every practical β1.
    let lerp_from_start = one_minus_beta1 < T::of(0.5) && one_minus_beta1 > T::of(-0.5);
    if max_exp_avg_sq.is_none() && !h.maximize && lerp_from_start {
        let lanes = AdamLanes {
            one_minus_beta1,
            beta2,
            one_minus_beta2,
            sqrt_bc2,
            eps,
            neg_step_size,
            decay,
        };
        match (h.weight_decay != 0.0, h.decoupled) {
            (false, _) => return T::adam_lanes::<false>(&lanes, param, grad, exp_avg, exp_avg_sq),
            (true, true) => return T::adam_lanes::<true>(&lanes, param, grad, exp_avg, exp_avg_sq),
            // Coupled decay: the general loop below.
            (true, false) => {}
        }
    }
    for i in 0..param.len().min(grad.len()) {
        let mut g = if h.maximize { -grad[i] } else { grad[i] };
        if h.weight_decay != 0.0 {
            if h.decoupled {
                param[i] = param[i] * decay;
            } else {
                g = g + weight_decay * param[i];
            }
        }
        exp_avg[i] = lerp(exp_avg[i], g, one_minus_beta1);
        exp_avg_sq[i] = exp_avg_sq[i] * beta2 + one_minus_beta2 * g * g;
        let second = match max_exp_avg_sq.as_deref_mut() {
            Some(max) => {
                max[i] = max[i].max_or_nan(exp_avg_sq[i]);
                max[i]
            }
            None => exp_avg_sq[i],
        };
        let denom = second.sqrt() / sqrt_bc2 + eps;
        param[i] = param[i] + neg_step_size * exp_avg[i] / denom;
    }
}

/// The `Rule` of an Adam-family optimizer: the same kernel, with the decay coupled (Adam: added
/// to the gradient) or decoupled (AdamW: the parameter shrinks first). One definition for both,
/// so the two can't drift apart.
macro_rules! adam_rule {
    ($(#[$doc:meta])* $rule:ident, $config:ty, $name:literal, decoupled: $decoupled:literal) => {
        $(#[$doc])*
        pub(crate) struct $rule;

        impl $crate::optim::rule::Rule for $rule {
            type Config = $config;
            const NAME: &'static str = $name;

            fn lr(config: &$config) -> f64 {
                config.lr
            }
            fn set_lr(config: &mut $config, lr: f64) {
                config.lr = lr;
            }
            fn weight_decay(config: &$config) -> f64 {
                config.weight_decay
            }
            fn set_weight_decay(config: &mut $config, weight_decay: f64) {
                config.weight_decay = weight_decay;
            }
            fn slots(config: &$config) -> &'static [&'static str] {
                if config.amsgrad {
                    $crate::optim::adam::SLOTS_AMSGRAD
                } else {
                    $crate::optim::adam::SLOTS
                }
            }
            fn update<T: $crate::optim::float::Float>(
                c: &$config,
                step: u64,
                p: &mut [T],
                g: &[T],
                state: &mut [Vec<T>],
            ) {
                let hyper = $crate::optim::adam::AdamHyper {
                    lr: c.lr,
                    beta1: c.beta1,
                    beta2: c.beta2,
                    eps: c.eps,
                    weight_decay: c.weight_decay,
                    amsgrad: c.amsgrad,
                    maximize: c.maximize,
                    decoupled: $decoupled,
                };
                $crate::optim::adam::adam_update(&hyper, step, p, g, state);
            }
        }
    };
}

pub(super) use adam_rule;

adam_rule!(
    /// [`Adam`]'s rule.
    AdamRule, AdamConfig, "adam", decoupled: false
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::rule::Rule;

    /// The general loop of `adam_update`, element by element, for comparing the vector path.
    fn general(h: &AdamHyper, t: f64, p: &mut [f32], g: &[f32], m: &mut [f32], v: &mut [f32]) {
        let bc2 = (1.0 - h.beta2.powf(t)).powf(0.5) as f32;
        let neg_step = (-(h.lr / (1.0 - h.beta1.powf(t)))) as f32;
        let (w1, b2, w2) = (
            (1.0 - h.beta1) as f32,
            h.beta2 as f32,
            (1.0 - h.beta2) as f32,
        );
        for i in 0..p.len() {
            if h.weight_decay != 0.0 {
                p[i] *= (1.0 - h.lr * h.weight_decay) as f32;
            }
            m[i] = crate::optim::float::lerp(m[i], g[i], w1);
            v[i] = v[i] * b2 + w2 * g[i] * g[i];
            p[i] += neg_step * m[i] / (v[i].sqrt() / bc2 + h.eps as f32);
        }
    }

    #[test]
    fn the_vector_path_gives_the_general_loops_bits_subnormals_and_signed_zeros_included() {
        let values = [
            0.5f32, -1.25, 1e-40, -3e-42, 0.0, -0.0, 7e-39, 2.0e-3, -1e-45, 4.0,
        ];
        for (weight_decay, decoupled) in [(0.0, false), (0.01, true)] {
            let h = AdamHyper {
                lr: 1e-3,
                beta1: 0.9,
                beta2: 0.999,
                eps: 1e-8,
                weight_decay,
                amsgrad: false,
                maximize: false,
                decoupled,
            };
            let grads: Vec<f32> = values.iter().rev().copied().collect();
            let (mut p, mut state) = (
                values.to_vec(),
                vec![values.to_vec(), values.map(f32::abs).to_vec()],
            );
            let (mut p2, mut m2, mut v2) = (p.clone(), state[0].clone(), state[1].clone());
            for step in 1..=3 {
                adam_update(&h, step, &mut p, &grads, &mut state);
                general(&h, step as f64, &mut p2, &grads, &mut m2, &mut v2);
            }
            let bits = |x: &[f32]| x.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&p), bits(&p2));
            assert_eq!((bits(&state[0]), bits(&state[1])), (bits(&m2), bits(&v2)));
        }
    }

    #[test]
    fn first_step_moves_each_parameter_by_about_lr_against_the_gradient_sign() {
        let config = AdamConfig::default();
        let mut p = [1.0f64, -2.0, 0.5];
        let mut state = vec![vec![0.0; 3]; 2];
        AdamRule::update(&config, 1, &mut p, &[4.0, -0.01, 0.0], &mut state);
        // m̂ = g, v̂ = g², so p ← p - lr·g/(|g| + eps) = p - lr·sign(g) (up to eps); g = 0 stays.
        assert!((p[0] - (1.0 - 1e-3)).abs() < 1e-10);
        assert!((p[1] - (-2.0 + 1e-3)).abs() < 1e-8);
        assert_eq!(p[2], 0.5);
        // m = (1-β1)·g, v = (1-β2)·g²
        assert!((state[0][0] - 0.4).abs() < 1e-15);
        assert!((state[1][0] - 0.016).abs() < 1e-15);
    }
}
