//! Activation modules: `ReLU`, `GELU`, `Sigmoid`, `Tanh`, `SiLU`, `Softmax` — parameterless
//! wrappers over the tensor ops, so an activation can be a field, a `Sequential` entry or a
//! hook target.
//!
//! Each keeps a train/eval flag like every PyTorch module; it also gives them a size, so each
//! has an address of its own for hooks.

use super::leaf_module;
use crate::module::Forward;
use crate::tensor::Tensor;

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
    pub fn tanh_approximation() -> Self {
        GELU {
            approximate_tanh: true,
            ..Self::new()
        }
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
    pub fn new(dim: usize) -> Self {
        Softmax {
            dim,
            training: true,
        }
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
            GELU::tanh_approximation().forward(x.clone()).to_vec(),
            x.gelu_tanh().to_vec()
        );
        let probs = Softmax::new(0).forward(x).to_vec();
        assert!((probs.iter().sum::<f32>() - 1.0).abs() < 1e-6);
        assert_eq!(ReLU::new().repr(), "ReLU()");
        assert_eq!(GELU::new().repr(), "GELU(approximate='none')");
        assert_eq!(Softmax::new(1).repr(), "Softmax(dim=1)");
        assert!(ReLU::new().named_parameters().is_empty());
        Ok(())
    }
}
