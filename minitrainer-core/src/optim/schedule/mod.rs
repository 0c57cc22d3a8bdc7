//! Learning-rate schedulers with PyTorch's numbers (`torch.optim.lr_scheduler`).
//!
//! A scheduler sets an optimizer's learning rates through [`LearningRates`], so it works with any
//! optimizer (and with a plain `Vec<f64>`). Semantics are PyTorch's:
//! - **construction** takes the initial learning rates (PyTorch's `base_lrs`, the optimizer's
//!   lrs when the scheduler is made) and computes the schedule's value at t = 0, available as
//!   [`LrScheduler::last_lr`]. The constructor does not see the optimizer, so write that value
//!   to it once: `optimizer.set_learning_rates(scheduler.last_lr())` (it equals the initial
//!   lrs except for `linear_lr`, `one_cycle_lr` and a `multi_step_lr` milestone at 0);
//! - then call [`LrScheduler::step`] once per unit the schedule counts — after each epoch, or
//!   after each batch (`one_cycle_lr` is meant per batch): that choice is the caller's, and
//!   every count (`step_size`, `t_max`, `total_steps`, `milestones`) is in those units;
//! - the rates are computed with PyTorch's own recursive (chainable) formulas from
//!   `get_lr()`, reading the target's current rates, not the closed forms; so the sequence
//!   matches PyTorch's to the last bits, including where the two forms differ in rounding
//!   (`cosine_annealing_lr`).
//!
//! [`ReduceLrOnPlateau`] decides from a metric: step it with
//! [`LrScheduler::step_with_metric`] (which every scheduler accepts, ignoring the metric when
//! it needs none, so a training loop can call that one method for all).
//!
//! State: [`LrScheduler::state`] / [`LrScheduler::load_state`] save and restore the counters
//! and last rates as JSON, so a resumed run continues the same sequence. Build a scheduler by
//! name with [`scheduler_from_str`].

mod by_name;
mod chainable;
mod cosine_annealing_lr;
mod error;
mod exponential_lr;
mod linear_lr;
mod multi_step_lr;
mod one_cycle_lr;
mod reduce_lr_on_plateau;
mod sequential_lr;
mod state;
mod step_lr;

pub use by_name::{SCHEDULER_NAMES, scheduler_from_str};
pub use chainable::{Chainable, Clock, LrRule};
pub use cosine_annealing_lr::{CosineAnnealingLr, CosineAnnealingLrConfig};
pub use error::ScheduleError;
pub use exponential_lr::{ExponentialLr, ExponentialLrConfig};
pub use linear_lr::{LinearLr, LinearLrConfig};
pub use multi_step_lr::{MultiStepLr, MultiStepLrConfig};
pub use one_cycle_lr::{AnnealStrategy, OneCycleLr, OneCycleLrConfig};
pub use reduce_lr_on_plateau::{
    PlateauMode, ReduceLrOnPlateau, ReduceLrOnPlateauConfig, ThresholdMode,
};
pub use sequential_lr::{SequentialLr, SequentialLrConfig};
pub use step_lr::{StepLr, StepLrConfig};

use serde_json::Value;

use super::LearningRates;

/// A learning-rate scheduler: sets the learning rates of an optimizer's parameter groups,
/// one step at a time (see the [module docs](self) for when to call what).
///
/// Object safe: `Box<dyn LrScheduler>` is what [`scheduler_from_str`] returns.
pub trait LrScheduler: Send {
    /// The scheduler's name (`"step_lr"`), as [`scheduler_from_str`] and saved states spell it.
    fn name(&self) -> &'static str;

    /// Advances the schedule by one unit and writes the new rates to `target`.
    ///
    /// # Errors
    /// - [`ScheduleError::GroupCount`] when `target` has another number of groups than the
    ///   scheduler was built for (nothing is changed);
    /// - [`ScheduleError::PastTotalSteps`] when a `one_cycle_lr` is stepped past its end;
    /// - [`ScheduleError::MetricRequired`] for [`ReduceLrOnPlateau`] (use
    ///   [`LrScheduler::step_with_metric`]).
    fn step(&mut self, target: &mut dyn LearningRates) -> Result<(), ScheduleError>;

    /// Advances the schedule by one unit given the monitored metric (e.g. the validation
    /// loss). Schedulers that need no metric ignore it and [`step`](LrScheduler::step).
    ///
    /// # Errors
    /// As [`LrScheduler::step`].
    fn step_with_metric(
        &mut self,
        target: &mut dyn LearningRates,
        metric: f64,
    ) -> Result<(), ScheduleError> {
        let _ = metric;
        self.step(target)
    }

    /// Whether the scheduler decides from a metric ([`LrScheduler::step_with_metric`]).
    fn needs_metric(&self) -> bool {
        false
    }

    /// The rates last set (after construction: the schedule's value at t = 0), one per group.
    fn last_lr(&self) -> &[f64];

    /// The state to save with a checkpoint: counters and last rates, as JSON (infinities are
    /// written as the strings `"inf"` / `"-inf"`).
    fn state(&self) -> Value;

    /// Restores a state saved by [`LrScheduler::state`] on a scheduler of the same kind and
    /// config; stepping then continues the saved sequence. Write [`LrScheduler::last_lr`] to
    /// the optimizer if its rates were not restored with it.
    ///
    /// # Errors
    /// [`ScheduleError::StateKind`] for a state of another scheduler;
    /// [`ScheduleError::State`] naming the field that is missing or malformed. On error the
    /// scheduler is unchanged.
    fn load_state(&mut self, state: &Value) -> Result<(), ScheduleError>;
}

/// A boxed scheduler (what [`scheduler_from_str`] returns) is a scheduler.
impl<S: LrScheduler + ?Sized> LrScheduler for Box<S> {
    fn name(&self) -> &'static str {
        (**self).name()
    }
    fn step(&mut self, target: &mut dyn LearningRates) -> Result<(), ScheduleError> {
        (**self).step(target)
    }
    fn step_with_metric(
        &mut self,
        target: &mut dyn LearningRates,
        metric: f64,
    ) -> Result<(), ScheduleError> {
        (**self).step_with_metric(target, metric)
    }
    fn needs_metric(&self) -> bool {
        (**self).needs_metric()
    }
    fn last_lr(&self) -> &[f64] {
        (**self).last_lr()
    }
    fn state(&self) -> Value {
        (**self).state()
    }
    fn load_state(&mut self, state: &Value) -> Result<(), ScheduleError> {
        (**self).load_state(state)
    }
}

/// Checks that `target` has one rate per group the scheduler was built for, and returns them.
fn current_rates(target: &dyn LearningRates, groups: usize) -> Result<Vec<f64>, ScheduleError> {
    let current = target.learning_rates();
    if current.len() != groups {
        return Err(ScheduleError::GroupCount {
            field: "the optimizer's learning rates".into(),
            expected: groups,
            found: current.len(),
        });
    }
    Ok(current)
}

/// Validates a scheduler's config, naming the scheduler in the error.
fn validated<C: crate::config::Config>(
    config: &C,
    scheduler: &'static str,
) -> Result<(), ScheduleError> {
    config
        .validate()
        .map_err(|source| ScheduleError::Config { scheduler, source })
}

/// `x > 0` (a config rule: PyTorch's factors and gammas are positive).
fn positive(x: &f64) -> Result<(), String> {
    if *x > 0.0 {
        Ok(())
    } else {
        Err("must be > 0".into())
    }
}
