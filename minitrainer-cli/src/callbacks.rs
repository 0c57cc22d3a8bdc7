//! The run's callbacks besides the metrics log: [`callbacks`] is the one place to add more (the
//! library's progress bar plugs in here). Until then, [`EpochLines`] prints one plain line per
//! epoch (no carriage returns, so logs stay readable).

use std::io::Write;
use std::path::Path;

use minitrainer::train::{
    Callback, CallbackError, EpochRecord, History, HookResult, StepRecord, TrainContext, TrainError,
};
use serde_json::Value;

use crate::run_file::RunFile;

/// The callbacks of a run: a line per epoch on stdout unless `quiet`.
pub fn callbacks(run: &RunFile, quiet: bool) -> Vec<Box<dyn Callback>> {
    let mut list: Vec<Box<dyn Callback>> = Vec::new();
    if !quiet {
        list.push(Box::new(EpochLines { epochs: run.epochs }));
    }
    list
}

/// Prints `epoch 3/60  train_loss 0.1234  valid_loss 0.2345  valid_accuracy 0.9611` at each
/// epoch's end.
pub struct EpochLines {
    /// The run's epochs, for `3/60`.
    pub epochs: u64,
}

impl Callback for EpochLines {
    fn name(&self) -> &str {
        "epoch_lines"
    }

    fn on_epoch_end(&mut self, _ctx: &mut TrainContext<'_>, record: &EpochRecord) -> HookResult {
        let mut line = format!("epoch {}/{}", record.epoch, self.epochs);
        for (name, value) in &record.metrics {
            line.push_str(&format!("  {name} {}", format_metric(name, *value)));
        }
        let mut out = std::io::stdout().lock();
        // A closed stdout (`| head`) must not stop training.
        let _ = writeln!(out, "{line}");
        Ok(())
    }
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
