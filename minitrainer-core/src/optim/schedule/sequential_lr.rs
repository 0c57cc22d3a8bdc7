//! `SequentialLr`: PyTorch's `SequentialLR`, one chainable scheduler after another, switching
//! at milestones (a warm-up, then a decay).

use minitrainer_macros::Config;
use serde_json::{Value, json};

use super::chainable::{Chainable, LrRule};
use super::state::{self, StateReader};
use super::{LrScheduler, ScheduleError, validated};
use crate::optim::LearningRates;

/// Config of [`SequentialLr`] (`"sequential_lr"`); the schedulers themselves are given
/// beside it (by name: a `"schedulers"` list, see [`super::scheduler_from_str`]).
#[derive(Config, Clone, Debug, PartialEq)]
pub struct SequentialLrConfig {
    /// The steps at which the next scheduler takes over, strictly increasing; one fewer than
    /// the schedulers.
    #[config(validate = strictly_increasing)]
    pub milestones: Vec<usize>,
}

// `validate` functions take `&FieldType`.
#[allow(clippy::ptr_arg)]
fn strictly_increasing(milestones: &Vec<usize>) -> Result<(), String> {
    if milestones.windows(2).all(|w| w[0] < w[1]) {
        Ok(())
    } else {
        Err("must be strictly increasing".into())
    }
}

/// PyTorch's `SequentialLR`: scheduler `i` runs from milestone `i - 1` (restarted there at its
/// own t = 0, by its closed form, as PyTorch does) until milestone `i`.
///
/// The children are chainable rules ([`LrRule`]: every scheduler here but
/// `reduce_lr_on_plateau`, which needs a metric, `sequential_lr` itself, and `one_cycle_lr`,
/// which in PyTorch rewrites the optimizer's initial rates under its siblings).
///
/// # Examples
/// ```
/// use minitrainer_core::optim::schedule::*;
/// // 5 steps of linear warm-up from 10%, then cosine decay over 20 steps.
/// let warmup = LinearLrConfig { start_factor: 0.1, end_factor: 1.0, total_iters: 5 };
/// let children: Vec<Box<dyn LrRule>> =
///     vec![Box::new(warmup), Box::new(CosineAnnealingLrConfig::new(20))];
/// let mut lrs = vec![0.1];
/// let mut scheduler = SequentialLr::new(SequentialLrConfig { milestones: vec![5] }, children, &lrs)?;
/// lrs.copy_from_slice(scheduler.last_lr());
/// assert!((lrs[0] - 0.01).abs() < 1e-15);
/// for _ in 0..5 {
///     scheduler.step(&mut lrs)?;
/// }
/// assert_eq!(lrs, [0.1]); // the cosine restarts from the base rate
/// # Ok::<(), ScheduleError>(())
/// ```
pub struct SequentialLr {
    milestones: Vec<usize>,
    children: Vec<Chainable<Box<dyn LrRule>>>,
    last_epoch: i64,
    last_lr: Vec<f64>,
}

impl SequentialLr {
    /// Runs `schedulers` in turn, switching at `config.milestones`, for an optimizer whose
    /// rates are `initial_lrs`.
    ///
    /// # Errors
    /// [`ScheduleError::Sequential`] for no scheduler, a count of milestones other than one
    /// fewer than the schedulers, or a scheduler that can't be chained; a child's own
    /// errors; [`ScheduleError::Config`] for milestones out of order.
    pub fn new(
        config: SequentialLrConfig,
        schedulers: Vec<Box<dyn LrRule>>,
        initial_lrs: &[f64],
    ) -> Result<Self, ScheduleError> {
        validated(&config, "sequential_lr")?;
        if schedulers.is_empty() {
            return Err(ScheduleError::Sequential(
                "it needs at least one scheduler".into(),
            ));
        }
        if config.milestones.len() + 1 != schedulers.len() {
            return Err(ScheduleError::Sequential(format!(
                "{} schedulers need {} milestones (one fewer), got {}",
                schedulers.len(),
                schedulers.len() - 1,
                config.milestones.len()
            )));
        }
        if let Some(i) = schedulers.iter().position(|s| s.name() == "one_cycle_lr") {
            return Err(ScheduleError::Sequential(format!(
                "scheduler {i} is `one_cycle_lr`, which sets the optimizer's initial rates itself \
                 and so can't be chained; use it alone"
            )));
        }
        // PyTorch: each child is built (taking its initial step), every child's step is
        // undone, and only the child that runs at step 0 takes its initial step again.
        let mut children = schedulers
            .into_iter()
            .map(|rule| Chainable::new(rule, initial_lrs))
            .collect::<Result<Vec<_>, _>>()?;
        children.iter_mut().for_each(Chainable::undo_initial_step);
        let first = bisect_right(&config.milestones, 0);
        let mut rates = initial_lrs.to_vec();
        children[first].initial_step(&mut rates)?;
        Ok(SequentialLr {
            last_lr: children[first].last_lr().to_vec(),
            milestones: config.milestones,
            children,
            last_epoch: 0,
        })
    }
}

/// How many of the sorted `milestones` are `<= at` (Python's `bisect_right`).
fn bisect_right(milestones: &[usize], at: i64) -> usize {
    milestones.iter().take_while(|&&m| m as i64 <= at).count()
}

impl LrScheduler for SequentialLr {
    fn name(&self) -> &'static str {
        "sequential_lr"
    }

    fn step(&mut self, target: &mut dyn LearningRates) -> Result<(), ScheduleError> {
        let epoch = self.last_epoch + 1;
        let idx = bisect_right(&self.milestones, epoch);
        let child = &mut self.children[idx];
        if idx > 0 && self.milestones[idx - 1] as i64 == epoch {
            // At its milestone a scheduler restarts from its own t = 0 (PyTorch's
            // `_update_lr(0)`: the closed form from the base rates).
            child.jump_to(target, 0)?;
        } else {
            child.step(target)?;
        }
        self.last_lr = child.last_lr().to_vec();
        self.last_epoch = epoch;
        Ok(())
    }

    fn last_lr(&self) -> &[f64] {
        &self.last_lr
    }

    fn state(&self) -> Value {
        let children: Vec<Value> = self.children.iter().map(LrScheduler::state).collect();
        json!({
            "scheduler": self.name(),
            "last_epoch": self.last_epoch,
            "last_lr": state::encode_all(&self.last_lr),
            "children": children,
        })
    }

    fn load_state(&mut self, value: &Value) -> Result<(), ScheduleError> {
        let reader = StateReader::new(value, self.name(), "")?;
        let last_epoch = reader.int("last_epoch", 0)?;
        let last_lr = reader.floats("last_lr", self.last_lr.len())?;
        let states = reader.get("children")?;
        let states = match states.as_array() {
            Some(states) if states.len() == self.children.len() => states,
            _ => {
                return Err(reader.problem(
                    "children",
                    format!("must be a list of {} scheduler states", self.children.len()),
                ));
            }
        };
        let saved: Vec<Value> = self.children.iter().map(LrScheduler::state).collect();
        for (i, child_state) in states.iter().enumerate() {
            if let Err(error) = self.children[i].load_state(child_state) {
                // All or nothing: put back the children already loaded (their own states
                // always load).
                for (child, state) in self.children.iter_mut().zip(&saved).take(i) {
                    let _ = child.load_state(state);
                }
                return Err(nested(error, i));
            }
        }
        self.last_epoch = last_epoch;
        self.last_lr = last_lr;
        Ok(())
    }
}

/// A child's state error, its field prefixed with `children.{i}.`.
fn nested(error: ScheduleError, i: usize) -> ScheduleError {
    match error {
        ScheduleError::State { field, problem } => ScheduleError::State {
            field: format!("children.{i}.{field}"),
            problem,
        },
        ScheduleError::StateKind { expected, found } => ScheduleError::State {
            field: format!("children.{i}.scheduler"),
            problem: format!("is \"{found}\", but scheduler {i} is `{expected}`"),
        },
        other => other,
    }
}
