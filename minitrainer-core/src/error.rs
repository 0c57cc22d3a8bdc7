//! The crate-wide error type: one variant per layer, each wrapping that layer's own error.
//!
//! Shape mistakes inside tensor ops are programming errors and panic (see each op's `# Panics`);
//! everything that comes from outside the program (files, config text, data) is an `Error`.

use crate::config::ConfigError;
use crate::data::DataError;
use crate::data::LoaderError;
use crate::distributed::DistributedError;
use crate::metrics::MetricError;
use crate::module::ModuleError;
use crate::nn::loss::LossError;
use crate::optim::ClipError;
use crate::optim::OptimError;
use crate::optim::schedule::ScheduleError;
use crate::pretrained::PretrainedError;
use crate::registry::RegistryError;
use crate::tensor::TensorError;
use crate::train::TrainError;
use crate::weights::IoError;

/// Any error minitrainer returns.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    // ---- tensor ----------------------------------------------------------------------------
    /// Building a tensor from outside data failed (e.g. a length that does not fit the shape).
    #[error(transparent)]
    Tensor(#[from] TensorError),

    // ---- module ----------------------------------------------------------------------------
    /// A module operation failed (state dict loading, submodule lookup, ...).
    #[error(transparent)]
    Module(#[from] ModuleError),

    // ---- config ----------------------------------------------------------------------------
    /// A config was invalid or could not be parsed.
    #[error(transparent)]
    Config(#[from] ConfigError),

    // ---- nn --------------------------------------------------------------------------------
    /// A loss could not be computed (a label out of range, shapes that do not fit, ...).
    #[error(transparent)]
    Loss(#[from] LossError),

    // ---- optim -----------------------------------------------------------------------------
    /// Building an optimizer (hyperparameters, groups, name) or loading its state failed.
    #[error(transparent)]
    Optim(#[from] OptimError),

    /// A learning-rate scheduler could not be built, stepped or restored.
    #[error(transparent)]
    Schedule(#[from] ScheduleError),

    /// Gradient clipping was given a bad argument, or met a non-finite norm it was told to
    /// refuse.
    #[error(transparent)]
    Clip(#[from] ClipError),

    // ---- distributed -----------------------------------------------------------------------
    /// A collective operation between ranks failed, or another rank stopped with an error.
    #[error(transparent)]
    Distributed(#[from] DistributedError),

    // ---- data ------------------------------------------------------------------------------
    /// A data set could not be read, split or scaled (a file's bad row, a bad split argument).
    #[error(transparent)]
    Data(#[from] DataError),

    /// A data loader or sampler was misconfigured, or a batch could not be loaded.
    #[error(transparent)]
    Loader(#[from] LoaderError),

    // ---- weights ---------------------------------------------------------------------------
    /// A weight file (or a pretrained directory's file) could not be read or written.
    #[error(transparent)]
    Io(#[from] IoError),

    // ---- pretrained ------------------------------------------------------------------------
    /// A pretrained directory's files do not make one model (a file's problem, or a torn save).
    #[error(transparent)]
    Pretrained(#[from] PretrainedError),

    // ---- registry --------------------------------------------------------------------------
    /// Building a model by name failed (spec syntax, unknown or duplicate model type).
    #[error(transparent)]
    Registry(#[from] RegistryError),

    // ---- metrics ---------------------------------------------------------------------------
    /// A batch did not fit a metric, or a metric spec could not be built.
    #[error(transparent)]
    Metric(#[from] MetricError),

    // ---- train -----------------------------------------------------------------------------
    /// Training, evaluation or a checkpoint failed (naming the epoch and step, or the file).
    #[error(transparent)]
    Train(#[from] TrainError),
}

/// `Result` with [`Error`] as the default error type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
