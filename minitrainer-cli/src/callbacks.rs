//! The run's callbacks besides the metrics log: [`callbacks`] is the one place to add more.

use std::path::Path;

use minitrainer::train::callbacks::Progress;
use minitrainer::train::{
    Callback, CallbackError, EpochRecord, History, HookResult, StepRecord, TrainContext, TrainError,
};
use serde_json::Value;

use crate::run_file::RunFile;

/// The callbacks of a run: progress on stderr unless `quiet` — an `indicatif` bar per epoch on
/// a terminal, otherwise one plain line per epoch and one every 50 steps (no carriage
/// returns, so logs stay readable). Stdout keeps the run's summary.
pub fn callbacks(_run: &RunFile, quiet: bool) -> Vec<Box<dyn Callback>> {
    let mut list: Vec<Box<dyn Callback>> = Vec::new();
    if !quiet {
        list.push(Box::new(Progress::new()));
    }
    list
}

/// A metric for people: learning rates in scientific notation, the rest with 4 decimals.
pub fn format_metric(name: &str, value: f64) -> String {
    match name {
        "lr" => format!("{value:.3e}"),
        _ => format!("{value:.4}"),
    }
}

/// A boxed callback as a callback (the builder takes `impl Callback`).
pub struct Boxed(pub Box<dyn Callback>);

impl Callback for Boxed {
    fn name(&self) -> &str {
        self.0.name()
    }
    fn on_train_start(&mut self, ctx: &mut TrainContext<'_>) -> HookResult {
        self.0.on_train_start(ctx)
    }
    fn on_epoch_start(&mut self, ctx: &mut TrainContext<'_>) -> HookResult {
        self.0.on_epoch_start(ctx)
    }
    fn on_batch_start(&mut self, ctx: &mut TrainContext<'_>) -> HookResult {
        self.0.on_batch_start(ctx)
    }
    fn on_batch_end(&mut self, ctx: &mut TrainContext<'_>, step: &StepRecord) -> HookResult {
        self.0.on_batch_end(ctx, step)
    }
    fn on_validation_end(&mut self, ctx: &mut TrainContext<'_>, r: &EpochRecord) -> HookResult {
        self.0.on_validation_end(ctx, r)
    }
    fn on_epoch_end(&mut self, ctx: &mut TrainContext<'_>, r: &EpochRecord) -> HookResult {
        self.0.on_epoch_end(ctx, r)
    }
    fn on_checkpoint_saved(&mut self, ctx: &mut TrainContext<'_>, dir: &Path) -> HookResult {
        self.0.on_checkpoint_saved(ctx, dir)
    }
    fn on_train_end(&mut self, ctx: &mut TrainContext<'_>, history: &History) -> HookResult {
        self.0.on_train_end(ctx, history)
    }
    fn on_exception(&mut self, ctx: &mut TrainContext<'_>, error: &TrainError) {
        self.0.on_exception(ctx, error);
    }
    fn save_state(&self, dir: &Path) -> Result<Option<Value>, CallbackError> {
        self.0.save_state(dir)
    }
    fn load_state(&mut self, state: &Value, dir: &Path) -> HookResult {
        self.0.load_state(state, dir)
    }
}
