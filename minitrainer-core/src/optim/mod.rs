//! Optimizers, learning-rate schedulers and gradient clipping, with PyTorch's numbers.
//!
//! Strategies injected into a training loop: an [`optimizer updates the
//! parameters from their gradients, a scheduler sets the optimizer's learning rates through
//! [`LearningRates`], clipping rescales gradients before the step.

mod clip;
mod learning_rates;
pub mod schedule;

pub use clip::{
    ClipError, GradSource, NonFinite, clip_grad_norm, clip_grad_norm_with, clip_grad_value,
    grad_norm,
};
pub use learning_rates::LearningRates;
