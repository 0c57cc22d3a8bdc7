//! Optimizers, learning-rate schedulers and gradient clipping, with PyTorch's numbers.
//!
//! Strategies injected into a training loop: an [`optimizer updates the
//! parameters from their gradients, a scheduler sets the optimizer's learning rates through
//! [`LearningRates`], clipping rescales gradients before the step.

mod adagrad;
mod adam;
mod adamw;
mod engine;
mod error;
mod factory;
mod float;
mod groups;
mod learning_rates;
mod optimizer;
mod rmsprop;
mod rule;
mod sgd;
mod state;

pub use adagrad::{Adagrad, AdagradConfig};
pub use adam::{Adam, AdamConfig};
pub use adamw::{AdamW, AdamWConfig};
pub use error::OptimError;
pub use factory::{OPTIMIZERS, optimizer_from_str};
pub use groups::ParamGroup;
pub use learning_rates::LearningRates;
pub use optimizer::{GroupInfo, Optimizer};
pub use rmsprop::{RmsProp, RmsPropConfig};
pub use sgd::{Sgd, SgdConfig};
pub use state::{GroupState, OptimizerState};

#[cfg(test)]
mod reference_tests;
