//! Optimizers, learning-rate schedulers and gradient clipping, with PyTorch's numbers.
//!
//! Strategies injected into a training loop: an [`optimizer updates the
//! parameters from their gradients, a scheduler sets the optimizer's learning rates through
//! [`LearningRates`], clipping rescales gradients before the step.

mod learning_rates;

pub use learning_rates::LearningRates;
