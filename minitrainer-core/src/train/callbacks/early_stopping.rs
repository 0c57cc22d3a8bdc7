//! `EarlyStopping`: stops a run when a monitored metric has not improved for `patience`
//! epochs, and puts back the best epoch's weights at the end (Keras's `EarlyStopping` with
//! `restore_best_weights=True`; Lightning's counters).

use std::path::Path;

use minitrainer_macros::Config;
use serde_json::{Value, json};

use crate::Tensor;
use crate::config::Config as _;
use crate::module::StateDict;
use crate::train::callback::{Callback, CallbackError, HookResult, TrainContext};
use crate::train::options::MonitorMode;
use crate::train::records::{EpochRecord, History, from_number, number};

/// Config of [`EarlyStopping`].
#[derive(Config, Clone, Debug, PartialEq)]
pub struct EarlyStoppingConfig {
    /// The epoch metric watched (`"valid_loss"`, `"valid_accuracy"`, `"train_loss"`).
    #[config(default = "valid_loss".to_string(), non_empty)]
    pub monitor: String,
    /// Whether lower (`min`) or higher (`max`) is better.
    #[config(default = MonitorMode::Min)]
    pub mode: MonitorMode,
    /// Epochs without improvement before stopping.
    #[config(default = 3, min = 1)]
    pub patience: u64,
    /// The least change that counts as an improvement.
    #[config(default = 0.0, min = 0.0)]
    pub min_delta: f64,
    /// Put back the best epoch's weights when the run ends.
    #[config(default = true)]
    pub restore_best_weights: bool,
}

/// Stops training when `monitor` stops improving; see [`EarlyStoppingConfig`].
///
/// ```
/// use minitrainer_core::train::callbacks::{EarlyStopping, EarlyStoppingConfig};
/// let stopper = EarlyStopping::new(EarlyStoppingConfig { patience: 5, ..Default::default() })?;
/// # Ok::<(), minitrainer_core::config::ConfigError>(())
/// ```
pub struct EarlyStopping {
    config: EarlyStoppingConfig,
    best: Option<f64>,
    best_epoch: u64,
    wait: u64,
    best_weights: Option<Vec<(String, Tensor)>>,
}

/// The file early stopping keeps its best weights in, in a checkpoint.
const BEST_WEIGHTS_FILE: &str = "early_stopping_best.safetensors";
const NAME: &str = "early_stopping";

impl EarlyStopping {
    /// An early stopper.
    ///
    /// # Errors
    /// The config's rule violations.
    pub fn new(config: EarlyStoppingConfig) -> Result<Self, crate::config::ConfigError> {
        config.validate()?;
        Ok(EarlyStopping {
            config,
            best: None,
            best_epoch: 0,
            wait: 0,
            best_weights: None,
        })
    }

    /// The best value seen and its epoch.
    pub fn best(&self) -> Option<(f64, u64)> {
        self.best.map(|best| (best, self.best_epoch))
    }

    fn failed(message: String) -> CallbackError {
        CallbackError::failed(NAME, message)
    }
}

impl Callback for EarlyStopping {
    fn name(&self) -> &str {
        NAME
    }

    fn on_epoch_end(&mut self, ctx: &mut TrainContext<'_>, record: &EpochRecord) -> HookResult {
        let Some(value) = record.get(&self.config.monitor) else {
            let known: Vec<&str> = record.metrics.iter().map(|(n, _)| n.as_str()).collect();
            return Err(Self::failed(format!(
                "the epoch has no metric `{}` to monitor; it has {}",
                self.config.monitor,
                known.join(", ")
            )));
        };
        let improved = !value.is_nan()
            && self.best.is_none_or(|best| {
                self.config
                    .mode
                    .improves(value, best, self.config.min_delta)
            });
        if improved {
            self.best = Some(value);
            self.best_epoch = record.epoch;
            self.wait = 0;
            if self.config.restore_best_weights {
                let weights = ctx.model.state_dict();
                self.best_weights = Some(
                    weights
                        .iter()
                        .map(|(k, t)| (k.to_string(), t.detach()))
                        .collect(),
                );
            }
        } else {
            self.wait += 1;
            if self.wait >= self.config.patience {
                ctx.request_stop(format!(
                    "early stopping: `{}` has not improved for {} epochs (best {} at epoch {})",
                    self.config.monitor,
                    self.wait,
                    self.best.unwrap_or(f64::NAN),
                    self.best_epoch
                ));
            }
        }
        Ok(())
    }

    fn on_train_end(&mut self, ctx: &mut TrainContext<'_>, _history: &History) -> HookResult {
        if let Some(weights) = &self.best_weights {
            let state: StateDict = weights.iter().cloned().collect();
            ctx.model
                .load_state_dict(&state, true)
                .map_err(|e| Self::failed(format!("cannot restore the best weights: {e}")))?;
        }
        Ok(())
    }

    fn save_state(&self, dir: &Path) -> Result<Option<Value>, CallbackError> {
        if let Some(weights) = &self.best_weights {
            let path = dir.join(BEST_WEIGHTS_FILE);
            crate::weights::write_safetensors(&path, weights)
                .map_err(|e| Self::failed(e.to_string()))?;
        }
        Ok(Some(json!({
            "best": self.best.map(number),
            "best_epoch": self.best_epoch,
            "wait": self.wait,
            "has_best_weights": self.best_weights.is_some(),
        })))
    }

    fn load_state(&mut self, state: &Value, dir: &Path) -> HookResult {
        let malformed = || Self::failed(format!("malformed saved state {state}"));
        let best = match state.get("best") {
            None | Some(Value::Null) => None,
            Some(value) => Some(from_number(value).ok_or_else(malformed)?),
        };
        let best_epoch = state
            .get("best_epoch")
            .and_then(Value::as_u64)
            .ok_or_else(malformed)?;
        let wait = state
            .get("wait")
            .and_then(Value::as_u64)
            .ok_or_else(malformed)?;
        let best_weights = if state.get("has_best_weights") == Some(&Value::Bool(true)) {
            let path = dir.join(BEST_WEIGHTS_FILE);
            Some(crate::weights::read_safetensors(&path).map_err(|e| Self::failed(e.to_string()))?)
        } else {
            None
        };
        self.best = best;
        self.best_epoch = best_epoch;
        self.wait = wait;
        self.best_weights = best_weights;
        Ok(())
    }
}
