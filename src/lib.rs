#![doc = include_str!("../README.md")]

pub use minitrainer_core::registry::{
    Model, describe, from_pretrained, list_models, load, load_seeded, save_pretrained,
};
pub use minitrainer_core::weights::{load_weights, save_weights};
pub use minitrainer_core::*;
pub use minitrainer_macros::{Config, Module, model};

/// `Build`, the config → module contract (also at `minitrainer::build::Build`).
pub use minitrainer_core::build::Build;

/// Everything a user needs: `use minitrainer::prelude::*;`.
pub mod prelude {
    pub use minitrainer_core::Tensor;
    pub use minitrainer_core::build::{Build, Init};
    pub use minitrainer_core::config::{Config, ConfigError};
    pub use minitrainer_core::module::{
        Buffer, Forward, Generator, Hooked, Layer, Module, Param, PlainData, StateDict,
    };
    pub use minitrainer_core::nn::*;
    pub use minitrainer_core::registry::{Configured, Model, Registered};
    pub use minitrainer_core::tensor::{is_grad_enabled, no_grad, seeded_rng};
    pub use minitrainer_macros::{Config, Module, model};

    // Training: data, losses, optimizers, metrics and the trainer.
    pub use minitrainer_core::data::{DataLoader, Dataset, DatasetExt};
    pub use minitrainer_core::metrics::{Metric, metric_from_str};
    pub use minitrainer_core::nn::loss::{CrossEntropyLoss, MseLoss};
    pub use minitrainer_core::optim::{Adam, AdamW, Optimizer, Sgd, optimizer_from_str};
    pub use minitrainer_core::train::{Callback, History, Trainer, TrainerOptions};
}
