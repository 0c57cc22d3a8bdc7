//! `Callback`: an observer of a run, with a fixed order of hooks (documented on the trait).

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::error::TrainError;
use super::records::{EpochRecord, History, Position, StepRecord};
use crate::module::Module;

/// What a hook sees of the run: the model (mutably: early stopping restores weights), the
/// position, the history so far, the rank (data-parallel training), and a way to ask the
/// trainer to stop.
pub struct TrainContext<'a> {
    /// The model being trained.
    pub model: &'a mut dyn Module,
    /// Where the run is.
    pub position: Position,
    /// The epoch records so far.
    pub history: &'a History,
    /// This trainer's rank in data-parallel training (0 in a single process).
    pub rank: usize,
    /// How many ranks train together (1 in a single process).
    pub world_size: usize,
    pub(super) stop: &'a mut Option<String>,
}

impl TrainContext<'_> {
    /// Asks the trainer to stop after the current epoch's end (early stopping); `reason` is
    /// kept in [`Trainer::stop_reason`](super::Trainer::stop_reason).
    pub fn request_stop(&mut self, reason: impl Into<String>) {
        *self.stop = Some(reason.into());
    }

    /// Whether this is the rank that writes files (rank 0; always in a single process).
    /// Callbacks run on every rank: one that writes files should write on this rank only.
    pub fn is_main(&self) -> bool {
        self.rank == 0
    }

    /// Whether a callback asked to stop.
    pub fn stop_requested(&self) -> bool {
        self.stop.is_some()
    }
}

/// A callback failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CallbackError {
    /// Reading or writing a file failed: a secondary concern, reported once, training goes on.
    #[error("callback `{callback}`: {action} {path}: {source}")]
    Io {
        /// The callback's name.
        callback: String,
        /// What it was doing (`"write"`, `"create"`).
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// Anything else; stops the run.
    #[error("callback `{callback}`: {message}")]
    Failed {
        /// The callback's name.
        callback: String,
        /// What went wrong.
        message: String,
    },
}

impl CallbackError {
    /// An I/O failure on `path`.
    pub fn io(
        callback: impl Into<String>,
        action: &'static str,
        path: impl Into<PathBuf>,
        source: std::io::Error,
    ) -> Self {
        CallbackError::Io {
            callback: callback.into(),
            action,
            path: path.into(),
            source,
        }
    }

    /// A failure that stops the run.
    pub fn failed(callback: impl Into<String>, message: impl Into<String>) -> Self {
        CallbackError::Failed {
            callback: callback.into(),
            message: message.into(),
        }
    }

    /// Whether the trainer may report it and go on (I/O only).
    pub fn is_secondary(&self) -> bool {
        matches!(self, CallbackError::Io { .. })
    }
}

/// The result of a hook.
pub type HookResult = Result<(), CallbackError>;

/// An observer of a run. Every hook has an empty default; implement the ones you need.
///
/// Order of the hooks in a run (each hook called on every callback in the order they were
/// added):
///
/// ```text
/// on_train_start
/// for each epoch:
///     on_epoch_start                      (not when resuming in the middle of the epoch)
///     for each optimizer step:
///         on_batch_start
///         (forward, backward over `accumulate` batches, clipping, optimizer step,
///          per-batch scheduler step)
///         on_batch_end(StepRecord)
///         on_validation_end(record)       (every `validate_every_steps` steps, if set)
///         on_checkpoint_saved(dir)        (every `checkpoint.every_steps` steps, if set)
///     on_validation_end(record)           (at the epoch's end, if there is validation data:
///                                          the validation metrics alone)
///     on_epoch_end(EpochRecord)           (train and validation metrics; then the
///                                          per-epoch scheduler step)
///     on_checkpoint_saved(dir)            (per-epoch checkpoints)
/// on_train_end(History)                   (also after an early stop)
/// on_exception(error)                     (instead of the rest, when the run fails)
/// ```
///
/// A hook returns `Result<(), CallbackError>`. An [`CallbackError::Io`] (a log file on a full
/// disk) is a secondary concern: the trainer reports it once on stderr and keeps training
/// (the callback's later errors are counted, not printed). Any other error stops the run.
///
/// In data-parallel training ([`TrainerBuilder::distributed`](super::TrainerBuilder::distributed))
/// every rank runs its callbacks with the same records (losses are averaged over the ranks,
/// validation runs on every rank), so their decisions agree; a callback that writes files
/// writes on [`TrainContext::is_main`] only. Checkpoints are written by rank 0 alone:
/// `save_state` runs there, and `on_checkpoint_saved` on other ranks names the directory
/// rank 0 writes (it may not be complete yet).
///
/// A callback with state that must survive a resume (early stopping's counters) returns it
/// from [`Callback::save_state`] and takes it back in [`Callback::load_state`]; the state is stored
/// in every checkpoint under the callback's [`name`](Callback::name), and the callback may
/// write files of its own into the checkpoint directory.
pub trait Callback: Send {
    /// A short name, unique among a trainer's callbacks (the key of its checkpoint state).
    fn name(&self) -> &str;

    /// Before the first step (also when resuming).
    fn on_train_start(&mut self, _ctx: &mut TrainContext<'_>) -> HookResult {
        Ok(())
    }
    /// At the start of each epoch.
    fn on_epoch_start(&mut self, _ctx: &mut TrainContext<'_>) -> HookResult {
        Ok(())
    }
    /// Before each optimizer step's batches.
    fn on_batch_start(&mut self, _ctx: &mut TrainContext<'_>) -> HookResult {
        Ok(())
    }
    /// After each optimizer step: its loss, learning rate and gradient norm.
    fn on_batch_end(&mut self, _ctx: &mut TrainContext<'_>, _step: &StepRecord) -> HookResult {
        Ok(())
    }
    /// After each validation run.
    fn on_validation_end(
        &mut self,
        _ctx: &mut TrainContext<'_>,
        _record: &EpochRecord,
    ) -> HookResult {
        Ok(())
    }
    /// After each epoch, with its train and validation metrics.
    fn on_epoch_end(&mut self, _ctx: &mut TrainContext<'_>, _record: &EpochRecord) -> HookResult {
        Ok(())
    }
    /// After a checkpoint was written (and renamed into place).
    fn on_checkpoint_saved(&mut self, _ctx: &mut TrainContext<'_>, _dir: &Path) -> HookResult {
        Ok(())
    }
    /// At the end of the run (epochs or step budget done, or an early stop).
    fn on_train_end(&mut self, _ctx: &mut TrainContext<'_>, _history: &History) -> HookResult {
        Ok(())
    }
    /// When the run fails; the error is returned from `fit` afterwards. Errors from this hook
    /// are ignored (the run is failing already).
    fn on_exception(&mut self, _ctx: &mut TrainContext<'_>, _error: &TrainError) {}

    /// State to keep in checkpoints (`None`: nothing). `dir` is the checkpoint being written,
    /// for state that is better kept in a file of its own.
    ///
    /// # Errors
    /// A [`CallbackError`] when the state cannot be written; the checkpoint then fails.
    fn save_state(&self, _dir: &Path) -> Result<Option<Value>, CallbackError> {
        Ok(None)
    }
    /// Restores what [`Callback::save_state`] returned.
    ///
    /// # Errors
    /// A [`CallbackError`] when the state is not this callback's.
    fn load_state(&mut self, _state: &Value, _dir: &Path) -> HookResult {
        Ok(())
    }
}

/// A boxed callback is a callback, so `Vec<Box<dyn Callback>>` feeds the builder's
/// `callback(impl Callback)`.
impl<C: Callback + ?Sized> Callback for Box<C> {
    fn name(&self) -> &str {
        (**self).name()
    }
    fn on_train_start(&mut self, ctx: &mut TrainContext<'_>) -> HookResult {
        (**self).on_train_start(ctx)
    }
    fn on_epoch_start(&mut self, ctx: &mut TrainContext<'_>) -> HookResult {
        (**self).on_epoch_start(ctx)
    }
    fn on_batch_start(&mut self, ctx: &mut TrainContext<'_>) -> HookResult {
        (**self).on_batch_start(ctx)
    }
    fn on_batch_end(&mut self, ctx: &mut TrainContext<'_>, step: &StepRecord) -> HookResult {
        (**self).on_batch_end(ctx, step)
    }
    fn on_validation_end(&mut self, ctx: &mut TrainContext<'_>, r: &EpochRecord) -> HookResult {
        (**self).on_validation_end(ctx, r)
    }
    fn on_epoch_end(&mut self, ctx: &mut TrainContext<'_>, r: &EpochRecord) -> HookResult {
        (**self).on_epoch_end(ctx, r)
    }
    fn on_checkpoint_saved(&mut self, ctx: &mut TrainContext<'_>, dir: &Path) -> HookResult {
        (**self).on_checkpoint_saved(ctx, dir)
    }
    fn on_train_end(&mut self, ctx: &mut TrainContext<'_>, history: &History) -> HookResult {
        (**self).on_train_end(ctx, history)
    }
    fn on_exception(&mut self, ctx: &mut TrainContext<'_>, error: &TrainError) {
        (**self).on_exception(ctx, error);
    }
    fn save_state(&self, dir: &Path) -> Result<Option<Value>, CallbackError> {
        (**self).save_state(dir)
    }
    fn load_state(&mut self, state: &Value, dir: &Path) -> HookResult {
        (**self).load_state(state, dir)
    }
}
