//! `Linear`: `y = x Wᵀ + b`, PyTorch's `nn.Linear`.

use super::leaf_module;
use crate::build::{Build, Init, initializers};
use crate::config::{CheckError, check_tensor_size};
use crate::module::{Forward, Param};
use crate::tensor::Tensor;
use minitrainer_macros::Config;

/// A fully connected layer: `y = x Wᵀ + b`.
///
/// # Shapes
/// - input `[..., in_features]` (at least 1 axis)
/// - output `[..., out_features]`
///
/// # Examples
/// ```
/// # use minitrainer_core as minitrainer;
/// use minitrainer::build::{Build, Init};
/// use minitrainer::module::Forward;
/// use minitrainer::nn::{Linear, LinearConfig};
/// use minitrainer::Tensor;
/// let mut init = Init::seeded(0);
/// let layer = Linear::build(&LinearConfig::new(4, 2), &mut init);
/// let no_bias = Linear::build(&LinearConfig { bias: false, ..LinearConfig::new(4, 2) }, &mut init);
/// assert_eq!(layer.forward(Tensor::ones(&[3, 4])).shape(), &[3, 2]);
/// assert!(no_bias.bias.is_none());
/// ```
pub struct Linear {
    /// `[out_features, in_features]` (PyTorch's layout), initialised from `U(-k, k)` with
    /// `k = 1/sqrt(in_features)`.
    pub weight: Param,
    /// `[out_features]`, initialised from `U(-k, k)`; `None` without bias.
    pub bias: Option<Param>,
    // Sizes are read off `weight` (which is public and may be replaced), never stored twice.
    training: bool,
}

impl Linear {
    /// A layer with PyTorch's default initialisation, drawn from `rng`.
    ///
    /// # Panics
    /// When `in_features × out_features` elements can't be allocated.
    #[deprecated(
        since = "0.2.0",
        note = "build from the config: `Linear::build(&LinearConfig::new(in, out), &mut init)`"
    )]
    pub fn new<R: rand::Rng + ?Sized>(
        in_features: usize,
        out_features: usize,
        bias: bool,
        rng: &mut R,
    ) -> Self {
        let mut init = Init::seeded(rng.next_u64());
        Linear::build(
            &LinearConfig {
                in_features,
                out_features,
                bias,
            },
            &mut init,
        )
    }

    /// Input width (the weight's second axis).
    pub fn in_features(&self) -> usize {
        self.weight.shape()[1]
    }

    /// Output width (the weight's first axis).
    pub fn out_features(&self) -> usize {
        self.weight.shape()[0]
    }

    fn describe(&self) -> String {
        format!(
            "in_features={}, out_features={}, bias={}",
            self.in_features(),
            self.out_features(),
            self.bias.is_some()
        )
    }
}

leaf_module!(Linear {
    params: [weight, bias],
    buffers: []
});

impl Forward for Linear {
    type Output = Tensor;

    /// # Panics
    /// When the last axis of `input` is not `in_features`: the message names the layer (and
    /// its path inside a model's `call`) and the input's shape.
    fn forward(&self, input: Tensor) -> Tensor {
        let in_features = self.in_features();
        if input.shape().last() != Some(&in_features) {
            crate::module::input_mismatch(
                self,
                format_args!("input of shape [..., {in_features}]"),
                format_args!("{:?}", input.shape()),
            );
        }
        // One fused op: `x · Wᵀ + b` reading W in its [out, in] layout, the bias as the
        // GEMM's starting value (one buffer, one graph node; a 1-D input gives `[out]`).
        input.linear(&self.weight, self.bias.as_deref())
    }
}

/// Config of [`Linear`] (`"linear"`).
#[derive(Config, Clone, Debug, PartialEq)]
#[config(check = weight_fits)]
pub struct LinearConfig {
    /// Input width.
    #[config(min = 1)]
    pub in_features: usize,
    /// Output width.
    #[config(min = 1)]
    pub out_features: usize,
    /// Whether to add a learned bias.
    #[config(default = true)]
    pub bias: bool,
}

impl LinearConfig {
    /// `in_features → out_features` with a bias (PyTorch's `nn.Linear(in, out)`); for no bias,
    /// `LinearConfig { bias: false, ..LinearConfig::new(in, out) }`. Validated when built
    /// through [`Build::try_build`] or the registry.
    pub fn new(in_features: usize, out_features: usize) -> Self {
        LinearConfig {
            in_features,
            out_features,
            bias: true,
        }
    }
}

/// The weight `[out_features, in_features]` can be allocated (the bias is no larger).
fn weight_fits(config: &LinearConfig) -> Result<(), CheckError> {
    check_tensor_size(&[
        ("in_features", config.in_features),
        ("out_features", config.out_features),
    ])
}

#[diagnostic::do_not_recommend]
impl Build for Linear {
    type Config = LinearConfig;
    fn build(config: &LinearConfig, init: &mut Init) -> Self {
        let (fan_in, fan_out) = (config.in_features, config.out_features);
        let weight =
            initializers::uniform_fan_in("linear.weight", &[fan_out, fan_in], fan_in, init);
        let bias = config
            .bias
            .then(|| initializers::uniform_fan_in("linear.bias", &[fan_out], fan_in, init));
        Linear {
            weight,
            bias,
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

    fn linear(in_features: usize, out_features: usize, bias: bool, seed: u64) -> Linear {
        let config = LinearConfig {
            bias,
            ..LinearConfig::new(in_features, out_features)
        };
        Linear::build(&config, &mut Init::seeded(seed))
    }

    #[test]
    fn sizes_follow_a_replaced_weight() {
        let mut layer = linear(4, 2, false, 0);
        layer.weight = Param::new(&Tensor::ones(&[5, 3]));
        assert_eq!((layer.in_features(), layer.out_features()), (3, 5));
        assert_eq!(
            layer.repr(),
            "Linear(in_features=3, out_features=5, bias=false)"
        );
        assert_eq!(layer.forward(Tensor::ones(&[3])).to_vec(), [3.0; 5]);
    }

    #[test]
    fn init_stays_within_one_over_sqrt_fan_in() {
        let layer = linear(16, 8, true, 0);
        let bound = 1.0 / 4.0;
        for (_, p) in layer.named_parameters() {
            assert!(p.to_vec().iter().all(|v| v.abs() <= bound));
        }
        // Not all the same value: the draw really is random.
        let values = layer.weight.to_vec();
        assert!(values.iter().any(|v| (v - values[0]).abs() > 1e-6));
    }

    #[test]
    fn forward_matches_hand_computed_affine_map() -> crate::Result<()> {
        let mut layer = linear(2, 1, true, 0);
        layer.weight = Param::new(&Tensor::from_vec(vec![2.0, -1.0], &[1, 2])?);
        layer.bias = Some(Param::new(&Tensor::from_vec(vec![0.5], &[1])?));
        let x = Tensor::from_vec(vec![1.0, 3.0, 4.0, 2.0], &[2, 2])?;
        // [1,3]·[2,-1] + .5 = -0.5 ; [4,2]·[2,-1] + .5 = 6.5
        assert_eq!(layer.forward(x).to_vec(), vec![-0.5, 6.5]);
        let single = Tensor::from_vec(vec![1.0, 3.0], &[2])?;
        assert_eq!(layer.forward(single).shape(), &[1]);
        Ok(())
    }

    #[test]
    fn forward_without_bias_is_matmul_and_names_only_weight() {
        let layer = linear(3, 2, false, 1);
        let named = layer.named_parameter_refs();
        assert_eq!(named.names().collect::<Vec<_>>(), ["weight"]);
        assert_eq!(
            layer.repr(),
            "Linear(in_features=3, out_features=2, bias=false)"
        );
    }

    #[test]
    fn gradients_match_finite_differences() {
        let layer = linear(3, 2, true, 2);
        let x = Tensor::randn(&[4, 3], 0.0, 1.0, &mut seeded_rng(3));
        check_param_grads(&layer, |m| m.forward(x.clone()));
    }
}
