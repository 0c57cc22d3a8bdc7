#![doc = include_str!("../README.md")]

pub use minitrainer_core::*;
pub use minitrainer_macros::Module;
pub use minitrainer_macros::model;
pub use minitrainer_macros::Config;

/// Everything a user needs: `use minitrainer::prelude::*;`.
pub mod prelude {
    pub use minitrainer_core::Tensor;
    pub use minitrainer_core::module::{
        Buffer, Forward, Hooked, Layer, Module, Param, PlainData, StateDict,
    };
    pub use minitrainer_core::nn::*;
    pub use minitrainer_core::tensor::{is_grad_enabled, no_grad, seeded_rng};
    pub use minitrainer_macros::Module;
    pub use minitrainer_core::config::{Config, ConfigError};
    pub use minitrainer_macros::Config;
}
