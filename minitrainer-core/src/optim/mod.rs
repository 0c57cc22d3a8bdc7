//! Optimizers, learning-rate schedulers and gradient clipping, with PyTorch's numbers.
//!
//! Strategies injected into a training loop: an [`Optimizer`] updates the parameters from
//! their gradients (one file per optimizer, state keyed by parameter path), a scheduler
//! ([`schedule`]) sets the optimizer's learning rates through [`LearningRates`], clipping
//! ([`clip_grad_norm`], [`clip_grad_value`]) rescales gradients before the step.

mod adagrad;
mod adam;
mod adamw;
mod clip;
mod engine;
mod error;
mod factory;
mod float;
mod groups;
mod lanes;
mod learning_rates;
mod optimizer;
mod rmsprop;
mod rule;
pub mod schedule;
mod sgd;
mod state;

pub use adagrad::{Adagrad, AdagradConfig};
pub use adam::{Adam, AdamConfig};
pub use adamw::{AdamW, AdamWConfig};
pub use clip::{
    ClipError, GradSource, NonFinite, clip_grad_norm, clip_grad_norm_with, clip_grad_value,
    grad_norm,
};
pub use error::OptimError;
pub(crate) use factory::named_object;
pub use factory::{OPTIMIZERS, optimizer_from_str, optimizer_with_groups_from_str};
pub use groups::ParamGroup;
pub use learning_rates::LearningRates;
pub use optimizer::{GroupInfo, Optimizer};
pub use rmsprop::{RmsProp, RmsPropConfig};
pub use sgd::{Sgd, SgdConfig};
pub use state::{GroupState, OptimizerState};

#[cfg(test)]
mod reference_tests;
