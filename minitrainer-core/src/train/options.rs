//! The trainer's options, a validated config: JSON round trip (checkpoints keep the run's
//! options), defaults, and every problem reported at once.

use minitrainer_macros::Config;

use crate::config::CheckError;

/// What the trainer does when a batch loss (or the gradient norm) is NaN or infinite.
#[derive(Config, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnNonFinite {
    /// Stop with [`TrainError::NonFiniteLoss`](super::TrainError::NonFiniteLoss) naming the
    /// epoch and step (`"stop"`, the default).
    Stop,
    /// Skip the update (gradients are dropped), log the step as skipped and go on (`"skip"`).
    Skip,
}

/// When the learning-rate scheduler steps.
#[derive(Config, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SchedulerInterval {
    /// After every epoch (`"epoch"`, the default; PyTorch's usual `scheduler.step()` per epoch).
    Epoch,
    /// After every optimizer step (`"step"`: warm-up, one-cycle).
    Step,
}

/// Whether a monitored metric improves downwards (a loss) or upwards (an accuracy).
#[derive(Config, Clone, Copy, Debug, PartialEq, Eq)]
pub enum MonitorMode {
    /// Lower is better (`"min"`).
    Min,
    /// Higher is better (`"max"`).
    Max,
}

impl MonitorMode {
    /// Whether `value` beats `best` by more than `min_delta`.
    pub fn improves(self, value: f64, best: f64, min_delta: f64) -> bool {
        match self {
            MonitorMode::Min => value < best - min_delta,
            MonitorMode::Max => value > best + min_delta,
        }
    }
}

/// Where and how often the trainer writes checkpoints.
#[derive(Config, Clone, Debug, PartialEq)]
#[config(check = some_interval)]
pub struct CheckpointConfig {
    /// The directory holding the checkpoints (`step-00000123/` each, plus a `best` pointer).
    #[config(non_empty)]
    pub dir: String,
    /// A checkpoint every N epochs (0: none at epoch ends).
    #[config(default = 1)]
    pub every_epochs: u64,
    /// A checkpoint every N optimizer steps too.
    #[config(min = 1)]
    pub every_steps: Option<u64>,
    /// How many of the latest checkpoints to keep (the best is kept as well).
    #[config(default = 2, min = 1)]
    pub keep_last: usize,
    /// The metric that picks the best checkpoint (`"valid_loss"`); none: no best.
    pub monitor: Option<String>,
    /// Whether `monitor` improves downwards or upwards.
    #[config(default = MonitorMode::Min)]
    pub mode: MonitorMode,
}

impl CheckpointConfig {
    /// Checkpoints into `dir` at every epoch's end, keeping the last two; no best.
    pub fn new(dir: impl Into<String>) -> Self {
        CheckpointConfig {
            dir: dir.into(),
            every_epochs: 1,
            every_steps: None,
            keep_last: 2,
            monitor: None,
            mode: MonitorMode::Min,
        }
    }
}

fn some_interval(c: &CheckpointConfig) -> Result<(), CheckError> {
    if c.every_epochs == 0 && c.every_steps.is_none() {
        return Err(CheckError::new(
            ["every_epochs", "every_steps"],
            "set every_epochs >= 1 or every_steps, or leave checkpointing off",
        ));
    }
    Ok(())
}

/// The trainer's options. Training runs for `epochs` epochs or `max_steps` optimizer steps,
/// whichever ends first.
///
/// ```
/// use minitrainer_core::config::Config;
/// use minitrainer_core::train::TrainerOptions;
/// let options = TrainerOptions::from_json(r#"{"epochs": 10, "accumulate": 4, "clip_grad_norm": 1.0}"#)?;
/// assert_eq!(options.accumulate, 4);
/// let err = TrainerOptions::from_json(r#"{"epochs": 0}"#).unwrap_err();
/// assert!(err.to_string().contains("max_steps"));
/// # Ok::<(), minitrainer_core::config::ConfigError>(())
/// ```
#[derive(Config, Clone, Debug, PartialEq)]
#[config(check = some_budget)]
pub struct TrainerOptions {
    /// Epochs to train (0: only `max_steps` bounds the run).
    #[config(default = 1)]
    pub epochs: u64,
    /// A budget of optimizer steps; the run ends at the first step past it.
    #[config(min = 1)]
    pub max_steps: Option<u64>,
    /// Batches whose gradients are summed before each optimizer step (each batch's loss is
    /// divided by it, PyTorch's usual accumulation). An epoch's leftover batches make one last,
    /// smaller step.
    #[config(default = 1, min = 1)]
    pub accumulate: usize,
    /// Clip the gradients' global L2 norm to this before each step.
    #[config(min = 0.0)]
    pub clip_grad_norm: Option<f64>,
    /// Clip each gradient entry to `[-v, v]` before each step (after norm clipping).
    #[config(min = 0.0)]
    pub clip_grad_value: Option<f64>,
    /// Validate every N optimizer steps as well as at each epoch's end.
    #[config(min = 1)]
    pub validate_every_steps: Option<u64>,
    /// Reseeds the model's generators (dropout) at the start of a fresh run, so a run's
    /// randomness comes from this seed and the data loader's.
    pub seed: Option<u64>,
    /// What to do about a NaN or infinite loss or gradient norm.
    #[config(default = OnNonFinite::Stop)]
    pub on_non_finite: OnNonFinite,
    /// When the scheduler (if any) steps.
    #[config(default = SchedulerInterval::Epoch)]
    pub scheduler_interval: SchedulerInterval,
    /// The metric a plateau scheduler reads (`"valid_loss"`, falling back to `"train_loss"`
    /// when there is no validation).
    #[config(default = "valid_loss".to_string(), non_empty)]
    pub scheduler_monitor: String,
    /// Checkpoints (none by default).
    pub checkpoint: Option<CheckpointConfig>,
}

fn some_budget(c: &TrainerOptions) -> Result<(), CheckError> {
    if c.epochs == 0 && c.max_steps.is_none() {
        return Err(CheckError::new(
            ["epochs", "max_steps"],
            "set epochs >= 1 or a max_steps budget",
        ));
    }
    Ok(())
}
