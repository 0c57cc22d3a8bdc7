//! Configs of the built-in layers, and their registration with the model registry, so that
//! `minitrainer::load("linear(in_features=4, out_features=2)")` builds a bare layer.
//!
//! Registered names follow PyTorch's class names in snake case: `linear`, `embedding`,
//! `layer_norm`, `batch_norm1d`, `dropout`, `relu`, `gelu`, `sigmoid`, `tanh`, `silu`,
//! `softmax`. `Sequential` is not registered: it holds arbitrary boxed layers, which no
//! config describes.
//!
//! Kept apart from the layer files (which own the numerics) so each layer's registration is
//! visible in one place; the `register_builtin!` macro below emits what `#[model]` emits for
//! user types (the attribute cannot be put on a struct from here).

use rand::Rng;

use super::{
    BatchNorm1d, Dropout, Embedding, GELU, LayerNorm, Linear, ReLU, SiLU, Sigmoid, Softmax, Tanh,
};
use crate::registry::{Build, Init};
use minitrainer_macros::Config;

/// What `#[model(name = $name, config = ..)]` emits, for a type defined in another file.
macro_rules! register_builtin {
    ($ty:ident, $name:literal) => {
        const _: () = {
            fn build(
                fields: crate::__private::JsonMap,
                init: &mut Init,
            ) -> Result<Box<dyn crate::registry::Model>, crate::Error> {
                crate::registry::build_boxed::<$ty>(fields, init)
            }
            impl crate::registry::Registered for $ty {
                const ENTRY: crate::registry::ModelEntry = crate::registry::ModelEntry {
                    name: $name,
                    type_name: concat!(module_path!(), "::", stringify!($ty)),
                    build,
                    schema: crate::registry::schema_of::<$ty>,
                };
            }
            inventory::submit! { <$ty as crate::registry::Registered>::ENTRY }
        };
    };
}

/// Config of [`Linear`] (`"linear"`).
#[derive(Config, Clone, Debug, PartialEq)]
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

impl Build for Linear {
    type Config = LinearConfig;
    fn build(config: &LinearConfig, init: &mut Init) -> Self {
        Linear::new(
            config.in_features,
            config.out_features,
            config.bias,
            init.rng(),
        )
    }
}
register_builtin!(Linear, "linear");

/// Config of [`Embedding`] (`"embedding"`).
#[derive(Config, Clone, Debug, PartialEq)]
pub struct EmbeddingConfig {
    /// Number of rows (vocabulary size).
    #[config(min = 1)]
    pub num_embeddings: usize,
    /// Width of each row.
    #[config(min = 1)]
    pub embedding_dim: usize,
}

impl Build for Embedding {
    type Config = EmbeddingConfig;
    fn build(config: &EmbeddingConfig, init: &mut Init) -> Self {
        Embedding::new(config.num_embeddings, config.embedding_dim, init.rng())
    }
}
register_builtin!(Embedding, "embedding");

/// Config of [`LayerNorm`] (`"layer_norm"`).
#[derive(Config, Clone, Debug, PartialEq)]
pub struct LayerNormConfig {
    /// Width of the last axis, which is normalised.
    #[config(min = 1)]
    pub normalized_shape: usize,
    /// Added to the variance, for numerical stability.
    #[config(default = 1e-5, min = 0.0)]
    pub eps: f32,
}

impl Build for LayerNorm {
    type Config = LayerNormConfig;
    fn build(config: &LayerNormConfig, _init: &mut Init) -> Self {
        LayerNorm::with_eps(config.normalized_shape, config.eps)
    }
}
register_builtin!(LayerNorm, "layer_norm");

/// Config of [`BatchNorm1d`] (`"batch_norm1d"`).
#[derive(Config, Clone, Debug, PartialEq)]
pub struct BatchNorm1dConfig {
    /// Number of features (channels).
    #[config(min = 1)]
    pub num_features: usize,
    /// Weight of the newest batch in the running statistics.
    #[config(default = 0.1, range = 0.0..=1.0)]
    pub momentum: f32,
}

impl Build for BatchNorm1d {
    type Config = BatchNorm1dConfig;
    fn build(config: &BatchNorm1dConfig, _init: &mut Init) -> Self {
        BatchNorm1d::new(config.num_features).with_momentum(config.momentum)
    }
}
register_builtin!(BatchNorm1d, "batch_norm1d");

/// Config of [`Dropout`] (`"dropout"`).
#[derive(Config, Clone, Debug, PartialEq)]
pub struct DropoutConfig {
    /// Probability of zeroing an element in training mode.
    #[config(default = 0.5, range = 0.0..1.0)]
    pub p: f32,
}

impl Build for Dropout {
    type Config = DropoutConfig;
    fn build(config: &DropoutConfig, init: &mut Init) -> Self {
        // The mask generator's seed comes from the init generator: reproducible per seed.
        Dropout::new(config.p, init.rng().next_u64())
    }
}
register_builtin!(Dropout, "dropout");

/// Config of the activations without hyperparameters (`"relu"`, `"sigmoid"`, `"tanh"`,
/// `"silu"`).
#[derive(Config, Clone, Debug, PartialEq)]
pub struct NoConfig {}

macro_rules! parameterless {
    ($($ty:ident => $name:literal),*) => {$(
        impl Build for $ty {
            type Config = NoConfig;
            fn build(_config: &NoConfig, _init: &mut Init) -> Self {
                $ty::new()
            }
        }
        register_builtin!($ty, $name);
    )*};
}
parameterless!(ReLU => "relu", Sigmoid => "sigmoid", Tanh => "tanh", SiLU => "silu");

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

impl Build for GELU {
    type Config = GeluConfig;
    fn build(config: &GeluConfig, _init: &mut Init) -> Self {
        match config.approximate {
            GeluApproximate::None => GELU::new(),
            GeluApproximate::Tanh => GELU::tanh_approximation(),
        }
    }
}
register_builtin!(GELU, "gelu");

/// Config of [`Softmax`] (`"softmax"`).
#[derive(Config, Clone, Debug, PartialEq)]
pub struct SoftmaxConfig {
    /// The axis that sums to one.
    pub dim: usize,
}

impl Build for Softmax {
    type Config = SoftmaxConfig;
    fn build(config: &SoftmaxConfig, _init: &mut Init) -> Self {
        Softmax::new(config.dim)
    }
}
register_builtin!(Softmax, "softmax");
