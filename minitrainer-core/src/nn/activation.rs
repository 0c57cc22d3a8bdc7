//! Activation modules: `ReLU`, `GELU`, `Sigmoid`, `Tanh`, `SiLU`, `Softmax` — parameterless
//! wrappers over the tensor ops, so an activation can be a field, a `Sequential` entry or a
//! hook target.
//!
//! Each keeps a train/eval flag like every PyTorch module; it also gives them a size, so each
//! has an address of its own for hooks.

use super::leaf_module;
use crate::build::{Build, Init};
use crate::module::Forward;
use crate::tensor::Tensor;
use minitrainer_macros::Config;

macro_rules! activation {
    ($(#[$doc:meta])* $ty:ident => $op:ident) => {
        $(#[$doc])*
        ///
        /// # Shapes
        /// Any shape; the output has the input's shape.
        #[derive(Clone, Debug)]
        pub struct $ty {
            training: bool,
        }

        impl $ty {
            /// The activation.
            pub fn new() -> Self {
                $ty { training: true }
            }

            fn describe(&self) -> String {
                String::new()
            }
        }

        impl Default for $ty {
            fn default() -> Self {
                Self::new()
            }
        }

        leaf_module!($ty { params: [], buffers: [] });

        impl Forward for $ty {
            type Output = Tensor;

            fn forward(&self, input: Tensor) -> Tensor {
                input.$op()
            }
        }

        #[diagnostic::do_not_recommend]
        impl Build for $ty {
            type Config = NoConfig;

            fn build(_config: &NoConfig, _init: &mut Init) -> Self {
                $ty::new()
            }
        }
    };
}

activation!(
    /// `max(x, 0)`.
    ReLU => relu
);
activation!(
    /// `x · σ(x)` (also known as swish).
    SiLU => silu
);
activation!(
    /// `1 / (1 + e⁻ˣ)`.
    Sigmoid => sigmoid
);
activation!(
    /// Hyperbolic tangent.
    Tanh => tanh
);

/// Gaussian error linear unit: `x · Φ(x)` (exact, with erf), or its tanh approximation.
///
/// # Shapes
/// Any shape; the output has the input's shape.
#[derive(Clone, Debug)]
pub struct GELU {
    approximate_tanh: bool,
    training: bool,
}

impl GELU {
    /// The exact GELU (PyTorch's `approximate='none'`).
    pub fn new() -> Self {
        GELU {
            approximate_tanh: false,
            training: true,
        }
    }

    /// The tanh approximation (PyTorch's `approximate='tanh'`).
    #[deprecated(
        since = "0.2.0",
        note = "build from the config: \
                `GELU::build(&GeluConfig { approximate: GeluApproximate::Tanh }, &mut init)`"
    )]
    pub fn tanh_approximation() -> Self {
        let config = GeluConfig {
            approximate: GeluApproximate::Tanh,
        };
        GELU::build(&config, &mut Init::default())
    }

    fn describe(&self) -> String {
        let mode = if self.approximate_tanh {
            "tanh"
        } else {
            "none"
        };
        format!("approximate='{mode}'")
    }
}

impl Default for GELU {
    fn default() -> Self {
        Self::new()
    }
}

leaf_module!(GELU {
    params: [],
    buffers: []
});

impl Forward for GELU {
    type Output = Tensor;

    fn forward(&self, input: Tensor) -> Tensor {
        if self.approximate_tanh {
            input.gelu_tanh()
        } else {
            input.gelu()
        }
    }
}

/// Softmax along one axis.
///
/// # Shapes
/// Any shape with more than `dim` axes; the output has the input's shape.
#[derive(Clone, Debug)]
pub struct Softmax {
    dim: usize,
    training: bool,
}

impl Softmax {
    /// Softmax along axis `dim`.
    #[deprecated(
        since = "0.2.0",
        note = "build from the config: `Softmax::build(&SoftmaxConfig { dim }, &mut init)`"
    )]
    pub fn new(dim: usize) -> Self {
        Softmax::build(&SoftmaxConfig { dim }, &mut Init::default())
    }

    fn describe(&self) -> String {
        format!("dim={}", self.dim)
    }
}

leaf_module!(Softmax {
    params: [],
    buffers: []
});

impl Forward for Softmax {
    type Output = Tensor;

    /// # Panics
    /// When `input` has no axis `dim`.
    fn forward(&self, input: Tensor) -> Tensor {
        input.softmax(self.dim)
    }
}

/// Config of the activations without hyperparameters (`"relu"`, `"sigmoid"`, `"tanh"`,
/// `"silu"`).
#[derive(Config, Clone, Debug, PartialEq)]
pub struct NoConfig {}

/// How [`GELU`] computes the Gaussian CDF (PyTorch's `approximate` argument).
#[derive(Config, Clone, Copy, Debug, PartialEq)]
pub enum GeluApproximate {
    /// Exact, with `erf` (`"none"`).
    None,
    /// The tanh approximation (`"tanh"`).
    Tanh,
}

/// Config of [`GELU`] (`"gelu"`).
#[derive(Config, Clone, Debug, PartialEq)]
pub struct GeluConfig {
    /// `"none"` (exact) or `"tanh"`.
    #[config(default = GeluApproximate::None)]
    pub approximate: GeluApproximate,
}

#[diagnostic::do_not_recommend]
impl Build for GELU {
    type Config = GeluConfig;
    fn build(config: &GeluConfig, _init: &mut Init) -> Self {
        GELU {
            approximate_tanh: config.approximate == GeluApproximate::Tanh,
            training: true,
        }
    }
}

/// Config of [`Softmax`] (`"softmax"`).
#[derive(Config, Clone, Debug, PartialEq)]
pub struct SoftmaxConfig {
    /// The axis that sums to one.
    pub dim: usize,
}

#[diagnostic::do_not_recommend]
impl Build for Softmax {
    type Config = SoftmaxConfig;
    fn build(config: &SoftmaxConfig, _init: &mut Init) -> Self {
        Softmax {
            dim: config.dim,
            training: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::module::Module;

    #[test]
    fn activations_apply_their_op_and_print_like_pytorch() -> crate::Result<()> {
        let x = Tensor::from_vec(vec![-1.0, 0.0, 2.0], &[3])?;
        assert_eq!(ReLU::new().forward(x.clone()).to_vec(), vec![0.0, 0.0, 2.0]);
        assert_eq!(Tanh::new().forward(x.clone()).to_vec(), x.tanh().to_vec());
        assert_eq!(
            Sigmoid::new().forward(x.clone()).to_vec(),
            x.sigmoid().to_vec()
        );
        assert_eq!(SiLU::new().forward(x.clone()).to_vec(), x.silu().to_vec());
        assert_eq!(
            GELU::build(
                &GeluConfig {
                    approximate: GeluApproximate::Tanh
                },
                &mut Init::default()
            )
            .forward(x.clone())
            .to_vec(),
            x.gelu_tanh().to_vec()
        );
        let probs = Softmax::build(&SoftmaxConfig { dim: 0 }, &mut Init::default())
            .forward(x)
            .to_vec();
        assert!((probs.iter().sum::<f32>() - 1.0).abs() < 1e-6);
        assert_eq!(ReLU::new().repr(), "ReLU()");
        assert_eq!(GELU::new().repr(), "GELU(approximate='none')");
        assert_eq!(
            Softmax::build(&SoftmaxConfig { dim: 1 }, &mut Init::default()).repr(),
            "Softmax(dim=1)"
        );
        assert!(ReLU::new().named_parameters().is_empty());
        Ok(())
    }
}
