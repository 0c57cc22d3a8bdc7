#![doc = include_str!("../README.md")]

pub use minitrainer_core::registry::{
    Build, Model, describe, from_pretrained, list_models, load, load_seeded, save_pretrained,
};
pub use minitrainer_core::*;
pub use minitrainer_macros::{Config, Module, model};

/// Everything a user needs: `use minitrainer::prelude::*;`.
pub mod prelude {
    pub use minitrainer_core::Tensor;
    pub use minitrainer_core::config::{Config, ConfigError};
    pub use minitrainer_core::module::{
        Buffer, Forward, Hooked, Layer, Module, Param, PlainData, StateDict,
    };
    pub use minitrainer_core::nn::*;
    pub use minitrainer_core::registry::{Build, Configured, Init, Model, Registered};
    pub use minitrainer_core::tensor::{is_grad_enabled, no_grad, seeded_rng};
    pub use minitrainer_macros::{Config, Module, model};
}
