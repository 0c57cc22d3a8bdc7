//! `MetricsLog`: the callback that writes every step, validation and epoch record to a
//! [`MetricsSink`] (the port; adapters in [`sinks`](crate::train::sinks)).

use std::path::Path;

use serde_json::{Value, json};

use crate::train::callback::{Callback, CallbackError, HookResult, TrainContext};
use crate::train::records::{EpochRecord, StepRecord};
use crate::train::sinks::MetricsSink;

/// Logs a line per optimizer step (`epoch`, `step`, `loss`, `lr`, `grad_norm`), a line per
/// validation and a line per epoch (its train and validation metrics). A sink that fails is
/// reported once and training goes on. Its checkpoint state is the sink's position, so a
/// resumed run cuts the log back to the checkpoint (when `fit` starts again) and rewrites the
/// rest identically. In data-parallel training it writes on rank 0 only (the records are the
/// same on every rank).
pub struct MetricsLog<S: MetricsSink> {
    sink: S,
    name: String,
    /// A checkpoint's position, cut back to when the run starts (on rank 0: another rank may
    /// share the file and must not touch it).
    rewind: Option<u64>,
}

impl<S: MetricsSink> MetricsLog<S> {
    /// A log writing to `sink`.
    pub fn new(sink: S) -> Self {
        MetricsLog {
            sink,
            name: "metrics_log".into(),
            rewind: None,
        }
    }

    /// Another name (to have two logs in one trainer).
    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// The sink.
    pub fn sink(&self) -> &S {
        &self.sink
    }

    fn write(&mut self, record: &Value) -> HookResult {
        self.sink.write(record).map_err(|source| {
            CallbackError::io(self.name.clone(), "write", self.sink.describe(), source)
        })
    }
}

impl<S: MetricsSink> Callback for MetricsLog<S> {
    fn name(&self) -> &str {
        &self.name
    }

    fn on_train_start(&mut self, ctx: &mut TrainContext<'_>) -> HookResult {
        match self.rewind.take() {
            Some(position) if ctx.is_main() => self.sink.rewind(position).map_err(|source| {
                CallbackError::io(self.name.clone(), "rewind", self.sink.describe(), source)
            }),
            _ => Ok(()),
        }
    }

    fn on_batch_end(&mut self, ctx: &mut TrainContext<'_>, step: &StepRecord) -> HookResult {
        if !ctx.is_main() {
            return Ok(());
        }
        self.write(&step.to_json())
    }

    fn on_validation_end(
        &mut self,
        ctx: &mut TrainContext<'_>,
        record: &EpochRecord,
    ) -> HookResult {
        if !ctx.is_main() {
            return Ok(());
        }
        self.write(&record.to_json("validation"))
    }

    fn on_epoch_end(&mut self, ctx: &mut TrainContext<'_>, record: &EpochRecord) -> HookResult {
        if !ctx.is_main() {
            return Ok(());
        }
        self.write(&record.to_json("epoch"))
    }

    fn save_state(&self, _dir: &Path) -> Result<Option<Value>, CallbackError> {
        Ok(self
            .rewind
            .or_else(|| self.sink.position())
            .map(|position| json!({ "position": position })))
    }

    fn load_state(&mut self, state: &Value, _dir: &Path) -> HookResult {
        let Some(position) = state.get("position").and_then(Value::as_u64) else {
            return Err(CallbackError::failed(
                self.name.clone(),
                format!("malformed saved state {state}"),
            ));
        };
        self.rewind = Some(position);
        Ok(())
    }
}
