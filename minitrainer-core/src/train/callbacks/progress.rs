//! `Progress`: what a run is doing, for a person watching it. On a terminal (and with the
//! `progress` cargo feature) a bar per epoch; otherwise plain lines that read well in a log
//! file or CI output: no carriage returns, no escape codes.

use std::io::{self, IsTerminal, Write};
use std::time::Instant;

use crate::train::callback::{Callback, CallbackError, HookResult, TrainContext};
use crate::train::records::{EpochRecord, History, StepRecord};
use crate::train::sinks::{human_line, human_number};

/// Reports progress on stderr (or an injected writer).
///
/// - **Bar mode**, when the `progress` feature is on, stderr is a terminal, and neither
///   [`Progress::plain`] nor [`Progress::to_writer`] was used: an `indicatif` bar per epoch
///   with the step count, loss and learning rate (its length is the previous epoch's step
///   count; the first epoch shows a counter), then the epoch line.
/// - **Plain mode** otherwise: a line every [`Progress::every_steps`] optimizer steps
///   (default 50) — `epoch 1  step 50  loss 0.5123  lr 0.0100` — and a line per epoch with
///   its metrics and duration — `epoch 1  step 45  train_loss 0.6021  lr 0.0100  valid_loss
///   0.3012  valid_accuracy 0.9111  (1.2s)`. Each line ends with `\n`; none has a `\r`.
///
/// [`Progress::quiet`] silences it. In data-parallel training it reports on rank 0 only. Write errors are I/O errors: reported once, training goes
/// on.
///
/// ```
/// use minitrainer_core::train::callbacks::Progress;
/// let progress = Progress::new().every_steps(100).quiet(std::env::var_os("QUIET").is_some());
/// ```
pub struct Progress {
    out: Option<Box<dyn Write + Send>>,
    every_steps: u64,
    quiet: bool,
    plain: bool,
    steps_in_epoch: u64,
    last_epoch_steps: Option<u64>,
    epoch_started: Option<Instant>,
    bar: Option<bar::EpochBar>,
}

impl Default for Progress {
    fn default() -> Self {
        Progress::new()
    }
}

impl Progress {
    /// Progress on stderr: a bar on a terminal (with the `progress` feature), plain lines
    /// otherwise, a step line every 50 steps.
    pub fn new() -> Self {
        Progress {
            out: None,
            every_steps: 50,
            quiet: false,
            plain: false,
            steps_in_epoch: 0,
            last_epoch_steps: None,
            epoch_started: None,
            bar: None,
        }
    }

    /// Plain lines to `out` (a log file, or a buffer in tests), flushed after each.
    pub fn to_writer(out: impl Write + Send + 'static) -> Self {
        Progress {
            out: Some(Box::new(out)),
            ..Progress::new()
        }
    }

    /// A step line every `n` optimizer steps (when the global step is a multiple of `n`); 0
    /// for epoch lines only. Plain mode only: a bar shows every step.
    pub fn every_steps(mut self, n: u64) -> Self {
        self.every_steps = n;
        self
    }

    /// Nothing at all when `quiet` (a `--quiet` flag passed straight through).
    pub fn quiet(mut self, quiet: bool) -> Self {
        self.quiet = quiet;
        self
    }

    /// Plain lines even on a terminal.
    pub fn plain(mut self) -> Self {
        self.plain = true;
        self
    }

    /// Whether this callback draws bars: the `progress` feature is on, stderr is a terminal,
    /// and it is neither quiet, plain, nor writing elsewhere.
    pub fn uses_bars(&self) -> bool {
        bar::AVAILABLE
            && !self.quiet
            && !self.plain
            && self.out.is_none()
            && io::stderr().is_terminal()
    }

    /// Writes one line (plain mode, or the epoch line under a cleared bar).
    fn line(&mut self, line: &str) -> HookResult {
        let result = match &mut self.out {
            Some(out) => writeln!(out, "{line}").and_then(|()| out.flush()),
            None => writeln!(io::stderr().lock(), "{line}"),
        };
        result.map_err(|source| {
            let target = if self.out.is_some() {
                "writer"
            } else {
                "stderr"
            };
            CallbackError::io("progress", "write", target, source)
        })
    }

    fn start_epoch(&mut self, epoch: u64) {
        self.steps_in_epoch = 0;
        self.epoch_started = Some(Instant::now());
        if self.uses_bars() {
            self.bar = bar::EpochBar::start(epoch, self.last_epoch_steps);
        }
    }
}

impl Callback for Progress {
    fn name(&self) -> &str {
        "progress"
    }

    fn on_epoch_start(&mut self, ctx: &mut TrainContext<'_>) -> HookResult {
        if !ctx.is_main() {
            return Ok(());
        }
        self.start_epoch(ctx.position.epoch);
        Ok(())
    }

    fn on_batch_end(&mut self, ctx: &mut TrainContext<'_>, step: &StepRecord) -> HookResult {
        if !ctx.is_main() {
            return Ok(());
        }
        if self.quiet {
            return Ok(());
        }
        // A resumed run starts in the middle of an epoch, without `on_epoch_start`.
        if self.epoch_started.is_none() {
            self.start_epoch(step.epoch);
        }
        self.steps_in_epoch += 1;
        if let Some(bar) = &self.bar {
            bar.step(step);
            return Ok(());
        }
        if self.every_steps > 0 && step.step.is_multiple_of(self.every_steps) {
            let mut line = format!(
                "epoch {}  step {}  loss {}  lr {}",
                step.epoch,
                step.step,
                human_number(step.loss),
                human_number(step.lr)
            );
            if step.skipped {
                line.push_str("  skipped");
            }
            self.line(&line)?;
        }
        Ok(())
    }

    fn on_epoch_end(&mut self, ctx: &mut TrainContext<'_>, record: &EpochRecord) -> HookResult {
        if !ctx.is_main() {
            return Ok(());
        }
        if let Some(bar) = self.bar.take() {
            bar.clear();
        }
        let seconds = self
            .epoch_started
            .take()
            .map(|start| start.elapsed().as_secs_f64());
        self.last_epoch_steps = Some(self.steps_in_epoch);
        if self.quiet {
            return Ok(());
        }
        let mut line = match record.to_json("epoch") {
            serde_json::Value::Object(object) => human_line(&object),
            _ => format!("epoch {}  step {}", record.epoch, record.step),
        };
        if let Some(seconds) = seconds {
            line.push_str(&format!("  ({seconds:.1}s)"));
        }
        self.line(&line)
    }

    fn on_train_end(&mut self, _ctx: &mut TrainContext<'_>, _history: &History) -> HookResult {
        // A step budget can end the run inside an epoch: its bar must not stay on screen.
        if let Some(bar) = self.bar.take() {
            bar.clear();
        }
        self.epoch_started = None;
        Ok(())
    }

    fn on_exception(&mut self, _ctx: &mut TrainContext<'_>, _error: &crate::train::TrainError) {
        // Left on screen: where the run stopped.
        if let Some(bar) = self.bar.take() {
            bar.abandon();
        }
        self.epoch_started = None;
    }
}

/// The epoch bar, drawn by `indicatif` on stderr.
#[cfg(feature = "progress")]
mod bar {
    use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

    use crate::train::records::StepRecord;
    use crate::train::sinks::human_number;

    pub(super) const AVAILABLE: bool = true;

    pub(super) struct EpochBar(ProgressBar);

    impl EpochBar {
        /// A bar of `length` steps (a counter when unknown).
        pub(super) fn start(epoch: u64, length: Option<u64>) -> Option<Self> {
            let template = match length {
                Some(_) => "epoch {prefix}  [{bar:30}] {pos}/{len}  {msg}  {elapsed}",
                None => "epoch {prefix}  step {pos}  {msg}  {elapsed}",
            };
            let style = ProgressStyle::with_template(template)
                .map(|style| style.progress_chars("=> "))
                .unwrap_or_else(|_| ProgressStyle::default_bar());
            let bar = ProgressBar::with_draw_target(length, ProgressDrawTarget::stderr())
                .with_style(style)
                .with_prefix(epoch.to_string());
            Some(EpochBar(bar))
        }

        pub(super) fn step(&self, step: &StepRecord) {
            self.0.set_message(format!(
                "loss {}  lr {}",
                human_number(step.loss),
                human_number(step.lr)
            ));
            self.0.inc(1);
        }

        pub(super) fn clear(self) {
            self.0.finish_and_clear();
        }

        pub(super) fn abandon(self) {
            self.0.abandon();
        }
    }
}

/// Without the `progress` feature: no bar can exist (an empty enum), so nothing of
/// `indicatif` is compiled.
#[cfg(not(feature = "progress"))]
mod bar {
    use crate::train::records::StepRecord;

    pub(super) const AVAILABLE: bool = false;

    pub(super) enum EpochBar {}

    impl EpochBar {
        pub(super) fn start(_epoch: u64, _length: Option<u64>) -> Option<Self> {
            None
        }

        pub(super) fn step(&self, _step: &StepRecord) {
            match *self {}
        }

        pub(super) fn clear(self) {
            match self {}
        }

        pub(super) fn abandon(self) {
            match self {}
        }
    }
}
