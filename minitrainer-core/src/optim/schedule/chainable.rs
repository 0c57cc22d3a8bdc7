//! `Chainable<R>`: PyTorch's `LRScheduler` base class (the epoch counter, the initial step,
//! `step()` → `get_lr()`), around a rule `R` that is one scheduler's `get_lr()`.
//!
//! Entry points: [`LrRule`] (implemented by each chainable scheduler's config), [`Chainable`]
//! (the scheduler). The rule reads the target's *current* rates, as PyTorch's chainable
//! formulas read `group["lr"]`, so it composes with other changes to the rates.

use serde_json::{Value, json};

use super::state::{self, StateReader};
use super::{LrScheduler, ScheduleError, current_rates};
use crate::optim::LearningRates;

/// Where a schedule stands when a rule computes the next rates: PyTorch's `last_epoch`,
/// `_step_count` and `_is_initial`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Clock {
    /// The index of the step being computed: 0 at construction, then 1, 2, …
    pub last_epoch: i64,
    /// How many steps have run, this one and the construction's initial step included
    /// (PyTorch's `_step_count`: 1 at construction, 2 at the first `step`). Only
    /// `cosine_annealing_lr` reads it.
    pub step_count: u64,
    /// Whether this is the initial step made at construction.
    pub is_initial: bool,
}

/// One chainable scheduler's rule: PyTorch's `get_lr()` (and `_get_closed_form_lr()`, which
/// `sequential_lr` uses at its milestones). Implemented by the configs of [`super::StepLr`],
/// [`super::CosineAnnealingLr`], …; implement it for a schedule of your own and wrap it in
/// [`Chainable`].
pub trait LrRule: Send + 'static {
    /// The scheduler's name (`"step_lr"`).
    fn name(&self) -> &'static str;

    /// Checks the rule for a run with `groups` parameter groups (config rules, per-group
    /// lists); called once, by [`Chainable::new`].
    ///
    /// # Errors
    /// A [`ScheduleError`] naming the scheduler and the field.
    fn check(&self, groups: usize) -> Result<(), ScheduleError>;

    /// The schedule's base rates given the optimizer's initial ones (PyTorch's `base_lrs`);
    /// only `one_cycle_lr` replaces them (by `max_lr / div_factor`).
    fn base_lrs(&self, initial: &[f64]) -> Vec<f64> {
        initial.to_vec()
    }

    /// The rates at `clock` from the current ones (`get_lr()`).
    ///
    /// # Errors
    /// When the schedule has no value at `clock` (`one_cycle_lr` past its end).
    fn get_lr(
        &self,
        clock: Clock,
        current: &[f64],
        base_lrs: &[f64],
    ) -> Result<Vec<f64>, ScheduleError>;

    /// The rates at `last_epoch` from the base rates alone (`_get_closed_form_lr()`).
    fn closed_form(&self, last_epoch: i64, base_lrs: &[f64]) -> Vec<f64>;
}

impl LrRule for Box<dyn LrRule> {
    fn name(&self) -> &'static str {
        (**self).name()
    }
    fn check(&self, groups: usize) -> Result<(), ScheduleError> {
        (**self).check(groups)
    }
    fn base_lrs(&self, initial: &[f64]) -> Vec<f64> {
        (**self).base_lrs(initial)
    }
    fn get_lr(
        &self,
        clock: Clock,
        current: &[f64],
        base: &[f64],
    ) -> Result<Vec<f64>, ScheduleError> {
        (**self).get_lr(clock, current, base)
    }
    fn closed_form(&self, last_epoch: i64, base_lrs: &[f64]) -> Vec<f64> {
        (**self).closed_form(last_epoch, base_lrs)
    }
}

/// A chainable scheduler: PyTorch's `LRScheduler` counters around one [`LrRule`].
///
/// # Examples
/// ```
/// use minitrainer_core::optim::LearningRates;
/// use minitrainer_core::optim::schedule::{LrScheduler, StepLr, StepLrConfig};
/// let mut lrs = vec![0.1, 0.01]; // stands in for an optimizer's two groups
/// let mut scheduler = StepLr::new(StepLrConfig::new(2), &lrs)?; // gamma 0.1
/// lrs.set_learning_rates(scheduler.last_lr());
/// for _ in 0..4 {
///     scheduler.step(&mut lrs)?; // after each epoch
/// }
/// assert_eq!(lrs, [0.1 * 0.1 * 0.1, 0.01 * 0.1 * 0.1]);
/// # Ok::<(), minitrainer_core::optim::schedule::ScheduleError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Chainable<R> {
    rule: R,
    base_lrs: Vec<f64>,
    last_epoch: i64,
    step_count: u64,
    last_lr: Vec<f64>,
}

impl<R: LrRule> Chainable<R> {
    /// A scheduler following `rule` from the optimizer's initial rates `initial_lrs` (one per
    /// group); [`LrScheduler::last_lr`] holds the rates at t = 0.
    ///
    /// # Errors
    /// [`ScheduleError::NoGroups`] for no rates; the rule's own check
    /// ([`ScheduleError::Config`] naming the field, [`ScheduleError::GroupCount`]).
    pub fn new(rule: R, initial_lrs: &[f64]) -> Result<Self, ScheduleError> {
        if initial_lrs.is_empty() {
            return Err(ScheduleError::NoGroups);
        }
        rule.check(initial_lrs.len())?;
        let base_lrs = rule.base_lrs(initial_lrs);
        let mut scheduler = Chainable {
            rule,
            last_lr: base_lrs.clone(),
            base_lrs,
            last_epoch: -1,
            step_count: 0,
        };
        let mut rates = scheduler.base_lrs.clone();
        scheduler.initial_step(&mut rates)?;
        Ok(scheduler)
    }

    /// The rule (for a config: the scheduler's hyperparameters).
    pub fn rule(&self) -> &R {
        &self.rule
    }

    /// The base rates (PyTorch's `base_lrs`).
    pub fn base_lrs(&self) -> &[f64] {
        &self.base_lrs
    }

    /// The index of the last step taken (0 right after construction).
    pub fn last_epoch(&self) -> i64 {
        self.last_epoch
    }

    /// PyTorch's `_initial_step()`: the counter restarts and the step to t = 0 is taken.
    pub(super) fn initial_step(
        &mut self,
        target: &mut dyn LearningRates,
    ) -> Result<(), ScheduleError> {
        self.step_count = 0;
        self.advance(target, true)
    }

    /// PyTorch's `_update_lr(epoch)`: jump to `epoch` with the closed form (`sequential_lr`
    /// does this at a milestone, with 0). The step count is left alone, as in PyTorch.
    pub(super) fn jump_to(
        &mut self,
        target: &mut dyn LearningRates,
        epoch: i64,
    ) -> Result<(), ScheduleError> {
        current_rates(target, self.base_lrs.len())?;
        let rates = self.rule.closed_form(epoch, &self.base_lrs);
        self.last_epoch = epoch;
        target.set_learning_rates(&rates);
        self.last_lr = rates;
        Ok(())
    }

    /// PyTorch's `recursive_undo` on a child of `sequential_lr`.
    pub(super) fn undo_initial_step(&mut self) {
        self.last_epoch -= 1;
    }

    fn advance(
        &mut self,
        target: &mut dyn LearningRates,
        is_initial: bool,
    ) -> Result<(), ScheduleError> {
        let current = current_rates(target, self.base_lrs.len())?;
        let clock = Clock {
            last_epoch: self.last_epoch + 1,
            step_count: self.step_count + 1,
            is_initial,
        };
        // Counters move only when the rule accepts the step, so an error changes nothing.
        let rates = self.rule.get_lr(clock, &current, &self.base_lrs)?;
        self.last_epoch = clock.last_epoch;
        self.step_count = clock.step_count;
        target.set_learning_rates(&rates);
        self.last_lr = rates;
        Ok(())
    }
}

impl<R: LrRule> LrScheduler for Chainable<R> {
    fn name(&self) -> &'static str {
        self.rule.name()
    }

    fn step(&mut self, target: &mut dyn LearningRates) -> Result<(), ScheduleError> {
        self.advance(target, false)
    }

    fn last_lr(&self) -> &[f64] {
        &self.last_lr
    }

    fn state(&self) -> Value {
        json!({
            "scheduler": self.rule.name(),
            "last_epoch": self.last_epoch,
            "step_count": self.step_count,
            "base_lrs": state::encode_all(&self.base_lrs),
            "last_lr": state::encode_all(&self.last_lr),
        })
    }

    fn load_state(&mut self, value: &Value) -> Result<(), ScheduleError> {
        let reader = StateReader::new(value, self.rule.name(), "")?;
        let groups = self.base_lrs.len();
        let last_epoch = reader.int("last_epoch", -1)?;
        let step_count = reader.uint("step_count")?;
        let base_lrs = reader.floats("base_lrs", groups)?;
        let last_lr = reader.floats("last_lr", groups)?;
        // Every field was read before any is written: on error the scheduler is unchanged.
        self.base_lrs = base_lrs;
        self.last_epoch = last_epoch;
        self.step_count = step_count;
        self.last_lr = last_lr;
        Ok(())
    }
}
