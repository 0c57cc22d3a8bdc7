//! Training: the [`Trainer`] (a model, an optimizer, an optional scheduler, a loss, metrics and
//! callbacks, each injected), its [`Callback`] hooks, checkpoints that resume bit for bit, and
//! the [`Predictor`] protocol.
//!
//! A training step, in order: the trainer takes the next `accumulate` batches from its
//! [`Batches`] source, runs the model's forward ([`Trainable::forward_batch`]) and the loss
//! ([`Criterion`]), checks the loss is finite, runs backward (the loss divided by
//! `accumulate`), in data-parallel training averages the gradients over the ranks
//! ([`TrainerBuilder::distributed`]), measures the gradients' global norm (clipping them when
//! asked), steps the optimizer, clears the gradients, steps a per-step scheduler, and hands a
//! [`StepRecord`] to the callbacks. At an epoch's end it validates, records an [`EpochRecord`], steps a
//! per-epoch scheduler, and writes a checkpoint when due (see [`checkpoint`] for the format).
//!
//! Exact resume: everything random in a run comes from the model's generators (dropout) and
//! the data loader's seed; a checkpoint holds the generators' states, the position (epoch,
//! step, batch within the epoch), the optimizer's and scheduler's states, the callbacks'
//! states and the history, so [`Trainer::resume`] followed by [`Trainer::fit`] ends bitwise
//! where the uninterrupted run ends.

mod batches;
mod callback;
pub mod callbacks;
pub mod checkpoint;
mod criterion;
mod data_parallel;
mod error;
pub mod estimator;
mod evaluate;
mod fit;
mod hooks;
mod options;
mod predictor;
mod records;
pub mod sinks;
mod step;
mod trainable;
mod trainer;

pub use batches::Batches;
pub use callback::{Callback, CallbackError, HookResult, TrainContext};
pub use criterion::{CRITERIA, Criterion, criterion_from_str, loss_fn};
pub use error::TrainError;
pub use estimator::{Classifier, EstimatorOptions, Regressor};
pub use options::{CheckpointConfig, MonitorMode, OnNonFinite, SchedulerInterval, TrainerOptions};
pub use predictor::{Predictor, evaluate_predictor};
pub use records::{EpochRecord, History, Position, StepRecord};
pub use trainable::Trainable;
pub use trainer::{Trainer, TrainerBuilder};

/// The loss error, for [`loss_fn`] closures.
pub use crate::nn::loss::LossError;
