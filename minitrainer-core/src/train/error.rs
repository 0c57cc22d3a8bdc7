//! `TrainError`: why a run stopped, naming the epoch and step where it happened.

use std::path::PathBuf;

use crate::data::LoaderError;
use crate::distributed::DistributedError;
use crate::metrics::MetricError;
use crate::nn::loss::LossError;
use crate::optim::schedule::ScheduleError;
use crate::optim::{ClipError, OptimError};

use super::callback::CallbackError;

/// Why training, evaluation or a checkpoint failed.
///
/// Secondary concerns (a metrics log that cannot be written) do not stop a run: the trainer
/// reports them once and goes on. Everything here stops it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TrainError {
    /// The trainer's options do not fit together (e.g. neither epochs nor a step budget).
    #[error("invalid trainer options: {reason}")]
    Options {
        /// What is wrong and how to fix it.
        reason: String,
    },

    /// A batch loss was NaN or infinite (and the trainer was told to stop on it).
    #[error(
        "the loss is {loss} at epoch {epoch}, step {step}: training stopped before the update \
         (lower the learning rate, clip gradients, check the data for NaN or inf, or set \
         `on_non_finite` to skip such steps)"
    )]
    NonFiniteLoss {
        /// The epoch, from 1.
        epoch: u64,
        /// The step that would have been taken, from 1.
        step: u64,
        /// The loss.
        loss: f64,
    },

    /// The gradients' norm was NaN or infinite although the loss was finite.
    #[error(
        "the gradient norm is {grad_norm} at epoch {epoch}, step {step}: training stopped \
         before the update (clip gradients or lower the learning rate)"
    )]
    NonFiniteGradient {
        /// The epoch, from 1.
        epoch: u64,
        /// The step that would have been taken, from 1.
        step: u64,
        /// The norm.
        grad_norm: f64,
    },

    /// The data loader failed (a bad file row, a worker that panicked).
    #[error("reading {split} data at epoch {epoch}: {source}")]
    Data {
        /// `"training"`, `"validation"`, `"evaluation"` or `"prediction"`.
        split: &'static str,
        /// The epoch, from 1.
        epoch: u64,
        /// The loader's error.
        #[source]
        source: LoaderError,
    },

    /// The data had no batch at all.
    #[error(
        "the {split} data has no batch: check the data set's length and the loader's `drop_last`"
    )]
    EmptyData {
        /// `"training"`, `"evaluation"` or `"prediction"`.
        split: &'static str,
    },

    /// The model could not run on a batch (its forward does not map a tensor to a tensor).
    #[error("the model failed on a batch at epoch {epoch}: {source}")]
    Model {
        /// The epoch, from 1.
        epoch: u64,
        /// The model's error.
        #[source]
        source: Box<crate::Error>,
    },

    /// The loss could not be computed (a label out of range, targets of the wrong kind).
    #[error("computing the loss at epoch {epoch}, step {step}: {source}")]
    Loss {
        /// The epoch, from 1.
        epoch: u64,
        /// The step being taken, from 1.
        step: u64,
        /// The loss's error.
        #[source]
        source: LossError,
    },

    /// A metric could not take a batch.
    #[error(transparent)]
    Metric(#[from] MetricError),

    /// The optimizer's state could not be saved or restored.
    #[error(transparent)]
    Optim(#[from] OptimError),

    /// The scheduler could not step or be restored.
    #[error(transparent)]
    Schedule(#[from] ScheduleError),

    /// Gradient clipping was given a bad argument.
    #[error(transparent)]
    Clip(#[from] ClipError),

    /// A callback failed on something other than I/O, which stops the run.
    #[error(transparent)]
    Callback(#[from] CallbackError),

    /// A checkpoint could not be written or read.
    #[error("checkpoint {path}: {reason}")]
    Checkpoint {
        /// The checkpoint directory (or the run directory searched for one).
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },

    /// A checkpoint's model or optimizer files could not be written or read.
    #[error("checkpoint {path}: {source}")]
    CheckpointFiles {
        /// The checkpoint directory.
        path: PathBuf,
        /// The underlying error (naming the file).
        #[source]
        source: Box<crate::Error>,
    },

    /// A collective operation between ranks failed, or another rank stopped with an error
    /// ([`DistributedError::RankFailed`] carries its rank and message).
    #[error(transparent)]
    Distributed(#[from] DistributedError),

    /// `predict` or `score` was called before `fit`.
    #[error("this {estimator} is not fitted yet: call `fit` before `{method}`")]
    NotFitted {
        /// The estimator's type.
        estimator: &'static str,
        /// The method called.
        method: &'static str,
    },

    /// An estimator's data, parameters or saved directory do not fit (see the variants).
    #[error(transparent)]
    Estimator(#[from] super::estimator::EstimatorError),
}

impl TrainError {
    pub(crate) fn checkpoint(path: impl Into<PathBuf>, reason: impl Into<String>) -> Self {
        TrainError::Checkpoint {
            path: path.into(),
            reason: reason.into(),
        }
    }

    pub(crate) fn checkpoint_files(
        path: impl Into<PathBuf>,
        source: impl Into<crate::Error>,
    ) -> Self {
        TrainError::CheckpointFiles {
            path: path.into(),
            source: Box::new(source.into()),
        }
    }
}
