//! `LayerNorm` over the last axis, PyTorch's `nn.LayerNorm(d)`.

use super::leaf_module;
use crate::build::{Build, Init, initializers};
use crate::config::{CheckError, check_tensor_size};
use crate::module::{Forward, Param};
use crate::tensor::Tensor;
use minitrainer_macros::Config;

/// Normalises each vector along the last axis to zero mean and unit (biased) variance, then
/// scales and shifts: `(x - mean) / sqrt(var + eps) * weight + bias`.
///
/// # Shapes
/// - input `[..., d]`
/// - output `[..., d]`
pub struct LayerNorm {
    /// `[d]`, initialised to ones.
    pub weight: Param,
    /// `[d]`, initialised to zeros.
    pub bias: Param,
    eps: f32,
    training: bool,
}

impl LayerNorm {
    /// Layer norm over width `d` with PyTorch's `eps = 1e-5`.
    #[deprecated(
        since = "0.2.0",
        note = "build from the config: `LayerNorm::build(&LayerNormConfig::new(d), &mut init)`"
    )]
    pub fn new(d: usize) -> Self {
        LayerNorm::build(&LayerNormConfig::new(d), &mut Init::default())
    }

    /// Layer norm with a custom `eps`.
    #[deprecated(
        since = "0.2.0",
        note = "build from the config: `LayerNormConfig { eps, ..LayerNormConfig::new(d) }`"
    )]
    pub fn with_eps(d: usize, eps: f32) -> Self {
        let config = LayerNormConfig {
            eps,
            ..LayerNormConfig::new(d)
        };
        LayerNorm::build(&config, &mut Init::default())
    }

    fn describe(&self) -> String {
        format!(
            "({},), eps={:e}, elementwise_affine=true",
            self.weight.numel(),
            self.eps
        )
    }
}

leaf_module!(LayerNorm {
    params: [weight, bias],
    buffers: []
});

impl Forward for LayerNorm {
    type Output = Tensor;

    /// # Panics
    /// When `input` has no axes or its last axis is not `d`: the message names the layer (and
    /// its path inside a model's `call`) and the input's shape.
    fn forward(&self, input: Tensor) -> Tensor {
        let d = self.weight.numel();
        if input.shape().last() != Some(&d) {
            crate::module::input_mismatch(
                self,
                format_args!("input of shape [..., {d}]"),
                format_args!("{:?}", input.shape()),
            );
        }
        let axis = input.ndim() - 1;
        let mean = input.mean_axis(axis, true);
        let var = input.var_axis(axis, true);
        let normalised = input.sub(&mean).div(&var.add_scalar(self.eps).sqrt());
        normalised.mul(&self.weight).add(&self.bias)
    }
}

/// Config of [`LayerNorm`] (`"layer_norm"`).
#[derive(Config, Clone, Debug, PartialEq)]
#[config(check = affine_fits)]
pub struct LayerNormConfig {
    /// Width of the last axis, which is normalised.
    #[config(min = 1)]
    pub normalized_shape: usize,
    /// Added to the variance, for numerical stability.
    #[config(default = 1e-5, min = 0.0)]
    pub eps: f32,
}

impl LayerNormConfig {
    /// Normalises over a last axis of width `normalized_shape`, with `eps = 1e-5` (PyTorch's
    /// `nn.LayerNorm(d)`).
    pub fn new(normalized_shape: usize) -> Self {
        LayerNormConfig {
            normalized_shape,
            eps: 1e-5,
        }
    }
}

/// The weight and bias `[normalized_shape]` can be allocated.
fn affine_fits(config: &LayerNormConfig) -> Result<(), CheckError> {
    check_tensor_size(&[("normalized_shape", config.normalized_shape)])
}

#[diagnostic::do_not_recommend]
impl Build for LayerNorm {
    type Config = LayerNormConfig;
    /// Weight ones and bias zeros (no randomness drawn).
    fn build(config: &LayerNormConfig, init: &mut Init) -> Self {
        let d = config.normalized_shape;
        LayerNorm {
            weight: initializers::constant("layer_norm.weight", &[d], 1.0, init),
            bias: initializers::constant("layer_norm.bias", &[d], 0.0, init),
            eps: config.eps,
            training: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::module::Module;
    use crate::nn::gradcheck::check_param_grads;
    use crate::tensor::seeded_rng;

    #[test]
    fn normalises_each_row_with_biased_variance() -> crate::Result<()> {
        let norm = LayerNorm::build(&LayerNormConfig::new(4), &mut Init::default());
        let x = Tensor::from_vec(vec![1.0, 2.0, 3.0, 4.0, 2.0, 2.0, 2.0, 6.0], &[2, 4])?;
        let y = norm.forward(x).to_vec();
        // Row 0: mean 2.5, biased var 1.25.
        let expected0 = (1.0 - 2.5) / (1.25f32 + 1e-5).sqrt();
        assert!((y[0] - expected0).abs() < 1e-5);
        // Row 1: mean 3, var 3.
        let expected7 = (6.0 - 3.0) / (3.0f32 + 1e-5).sqrt();
        assert!((y[7] - expected7).abs() < 1e-5);
        assert_eq!(
            norm.repr(),
            "LayerNorm((4,), eps=1e-5, elementwise_affine=true)"
        );
        Ok(())
    }

    #[test]
    fn gradients_match_finite_differences() {
        let norm = LayerNorm::build(&LayerNormConfig::new(3), &mut Init::default());
        norm.weight
            .update_data(|w| w.assign(&ndarray::arr1(&[0.5, 1.5, -1.0]).into_dyn()));
        let x = Tensor::randn(&[2, 3], 0.0, 1.0, &mut seeded_rng(4));
        check_param_grads(&norm, |m| m.forward(x.clone()));
    }
}
