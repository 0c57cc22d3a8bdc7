//! `ReduceLrOnPlateau`: PyTorch's `ReduceLROnPlateau`, rates cut by `factor` when a metric
//! stops improving.

use minitrainer_macros::Config;
use serde_json::{Value, json};

use super::state::{self, StateReader};
use super::{LrScheduler, ScheduleError, current_rates, validated};
use crate::optim::LearningRates;

/// Whether the monitored metric should go down (a loss) or up (an accuracy).
#[derive(Config, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlateauMode {
    /// Lower is better (`"min"`).
    Min,
    /// Higher is better (`"max"`).
    Max,
}

/// How `threshold` defines a significant improvement over the best value so far.
#[derive(Config, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ThresholdMode {
    /// Relative (`"rel"`): better than `best · (1 ∓ threshold)`.
    Rel,
    /// Absolute (`"abs"`): better than `best ∓ threshold`.
    Abs,
}

/// Config of [`ReduceLrOnPlateau`] (`"reduce_lr_on_plateau"`). Defaults are PyTorch's.
#[derive(Config, Clone, Debug, PartialEq)]
pub struct ReduceLrOnPlateauConfig {
    /// Whether the metric should fall or rise.
    #[config(default = PlateauMode::Min)]
    pub mode: PlateauMode,
    /// The cut: `new_lr = lr · factor`, in `(0, 1)`.
    #[config(default = 0.1, validate = open_unit)]
    pub factor: f64,
    /// Steps without improvement tolerated before a cut.
    #[config(default = 10)]
    pub patience: usize,
    /// What counts as an improvement (see `threshold_mode`).
    #[config(default = 1e-4, min = 0.0)]
    pub threshold: f64,
    /// Relative or absolute threshold.
    #[config(default = ThresholdMode::Rel)]
    pub threshold_mode: ThresholdMode,
    /// Steps after a cut during which bad steps are not counted.
    #[config(default = 0)]
    pub cooldown: usize,
    /// The lowest rate of every group.
    #[config(default = 0.0, min = 0.0)]
    pub min_lr: f64,
    /// The lowest rate of each group (replaces `min_lr`).
    pub min_lrs: Option<Vec<f64>>,
    /// A cut smaller than this is skipped.
    #[config(default = 1e-8, min = 0.0)]
    pub eps: f64,
}

/// PyTorch's `ReduceLROnPlateau`: after more than `patience` steps in a row without a
/// significant improvement of the metric, every rate is multiplied by `factor` (not below
/// its `min_lr`), then `cooldown` steps pass before bad steps count again.
///
/// Step it with [`LrScheduler::step_with_metric`]; [`LrScheduler::step`] without a metric is
/// an error. Construction leaves the rates as they are.
///
/// # Examples
/// ```
/// use minitrainer_core::optim::schedule::{LrScheduler, ReduceLrOnPlateau, ReduceLrOnPlateauConfig};
/// let config = ReduceLrOnPlateauConfig { patience: 1, ..ReduceLrOnPlateauConfig::default() };
/// let mut lrs = vec![0.1];
/// let mut scheduler = ReduceLrOnPlateau::new(config, &lrs)?;
/// for val_loss in [1.0, 0.9, 0.95, 0.97] {
///     scheduler.step_with_metric(&mut lrs, val_loss)?;
/// }
/// assert!((lrs[0] - 0.01).abs() < 1e-15); // two bad epochs > patience 1: cut by 0.1
/// # Ok::<(), minitrainer_core::optim::schedule::ScheduleError>(())
/// ```
#[derive(Clone, Debug)]
pub struct ReduceLrOnPlateau {
    config: ReduceLrOnPlateauConfig,
    min_lrs: Vec<f64>,
    last_epoch: i64,
    best: f64,
    num_bad_epochs: usize,
    cooldown_counter: usize,
    last_lr: Vec<f64>,
}

impl ReduceLrOnPlateau {
    /// A scheduler for an optimizer whose rates are `initial_lrs` (one per group).
    ///
    /// # Errors
    /// [`ScheduleError::NoGroups`]; [`ScheduleError::Config`] naming the field;
    /// [`ScheduleError::GroupCount`] when `min_lrs` has not one entry per group.
    pub fn new(
        config: ReduceLrOnPlateauConfig,
        initial_lrs: &[f64],
    ) -> Result<Self, ScheduleError> {
        if initial_lrs.is_empty() {
            return Err(ScheduleError::NoGroups);
        }
        validated(&config, "reduce_lr_on_plateau")?;
        let min_lrs = match &config.min_lrs {
            Some(lrs) if lrs.len() != initial_lrs.len() => {
                return Err(ScheduleError::GroupCount {
                    field: "min_lrs".into(),
                    expected: initial_lrs.len(),
                    found: lrs.len(),
                });
            }
            Some(lrs) => lrs.clone(),
            None => vec![config.min_lr; initial_lrs.len()],
        };
        Ok(ReduceLrOnPlateau {
            best: config.worst(),
            config,
            min_lrs,
            last_epoch: 0,
            num_bad_epochs: 0,
            cooldown_counter: 0,
            last_lr: initial_lrs.to_vec(),
        })
    }

    /// The best metric so far (±infinity before the first step).
    pub fn best(&self) -> f64 {
        self.best
    }

    /// Steps in a row without a significant improvement.
    pub fn num_bad_epochs(&self) -> usize {
        self.num_bad_epochs
    }

    fn is_better(&self, a: f64, best: f64) -> bool {
        let threshold = self.config.threshold;
        match (self.config.mode, self.config.threshold_mode) {
            (PlateauMode::Min, ThresholdMode::Rel) => a < best * (1.0 - threshold),
            (PlateauMode::Min, ThresholdMode::Abs) => a < best - threshold,
            (PlateauMode::Max, ThresholdMode::Rel) => a > best * (threshold + 1.0),
            (PlateauMode::Max, ThresholdMode::Abs) => a > best + threshold,
        }
    }
}

/// `0 < x < 1` (PyTorch refuses `factor >= 1`; a factor of 0 or less is no cut either).
fn open_unit(x: &f64) -> Result<(), String> {
    if *x > 0.0 && *x < 1.0 {
        Ok(())
    } else {
        Err("must be in (0, 1)".into())
    }
}

impl ReduceLrOnPlateauConfig {
    /// The metric's worst value, which any first metric improves on.
    fn worst(&self) -> f64 {
        match self.mode {
            PlateauMode::Min => f64::INFINITY,
            PlateauMode::Max => f64::NEG_INFINITY,
        }
    }
}

impl LrScheduler for ReduceLrOnPlateau {
    fn name(&self) -> &'static str {
        "reduce_lr_on_plateau"
    }

    fn step(&mut self, _target: &mut dyn LearningRates) -> Result<(), ScheduleError> {
        Err(ScheduleError::MetricRequired {
            scheduler: self.name(),
        })
    }

    fn step_with_metric(
        &mut self,
        target: &mut dyn LearningRates,
        metric: f64,
    ) -> Result<(), ScheduleError> {
        let mut rates = current_rates(target, self.min_lrs.len())?;
        self.last_epoch += 1;
        if self.is_better(metric, self.best) {
            self.best = metric;
            self.num_bad_epochs = 0;
        } else {
            self.num_bad_epochs += 1;
        }
        if self.cooldown_counter > 0 {
            self.cooldown_counter -= 1;
            self.num_bad_epochs = 0; // bad epochs in cooldown are ignored
        }
        if self.num_bad_epochs > self.config.patience {
            for (lr, min_lr) in rates.iter_mut().zip(&self.min_lrs) {
                // new = max(old · factor, min_lr); applied only if old - new > eps
                let new = (*lr * self.config.factor).max(*min_lr);
                if *lr - new > self.config.eps {
                    *lr = new;
                }
            }
            target.set_learning_rates(&rates);
            self.cooldown_counter = self.config.cooldown;
            self.num_bad_epochs = 0;
        }
        self.last_lr = rates;
        Ok(())
    }

    fn needs_metric(&self) -> bool {
        true
    }

    fn last_lr(&self) -> &[f64] {
        &self.last_lr
    }

    fn state(&self) -> Value {
        json!({
            "scheduler": self.name(),
            "last_epoch": self.last_epoch,
            "best": state::encode(self.best),
            "num_bad_epochs": self.num_bad_epochs,
            "cooldown_counter": self.cooldown_counter,
            "last_lr": state::encode_all(&self.last_lr),
        })
    }

    fn load_state(&mut self, value: &Value) -> Result<(), ScheduleError> {
        let reader = StateReader::new(value, self.name(), "")?;
        let last_epoch = reader.int("last_epoch", 0)?;
        let best = reader.float("best")?;
        let num_bad_epochs = reader.uint("num_bad_epochs")?;
        let cooldown_counter = reader.uint("cooldown_counter")?;
        let last_lr = reader.floats("last_lr", self.min_lrs.len())?;
        let too_big = |field: &str| reader.problem(field, "is too large".into());
        let num_bad_epochs =
            usize::try_from(num_bad_epochs).map_err(|_| too_big("num_bad_epochs"))?;
        let cooldown_counter =
            usize::try_from(cooldown_counter).map_err(|_| too_big("cooldown_counter"))?;
        // Every field was read before any is written: on error the scheduler is unchanged.
        self.num_bad_epochs = num_bad_epochs;
        self.cooldown_counter = cooldown_counter;
        self.last_epoch = last_epoch;
        self.best = best;
        self.last_lr = last_lr;
        Ok(())
    }
}
