//! `OneCycleLr`: PyTorch's `OneCycleLR` (the 1cycle policy), learning rates only.
//!
//! Momentum cycling (PyTorch's `cycle_momentum`, `base_momentum`, `max_momentum`) is not
//! done: a scheduler reaches the optimizer only through `LearningRates`. Run PyTorch with
//! `cycle_momentum=False` to compare.

use std::f64::consts::PI;

use minitrainer_macros::Config;

use super::chainable::{Chainable, Clock, LrRule};
use super::{ScheduleError, positive, validated};
use crate::config::CheckError;

/// PyTorch's `OneCycleLR`: from `max_lr / div_factor` up to `max_lr` over the first
/// `pct_start` of `total_steps`, then down to `max_lr / div_factor / final_div_factor`
/// (with `three_phase`: back to the start rate symmetrically, then down). Meant to be stepped
/// per batch; the optimizer's own rates are replaced (PyTorch's `initial_lr`).
pub type OneCycleLr = Chainable<OneCycleLrConfig>;

/// How `one_cycle_lr` moves between two rates.
#[derive(Config, Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnnealStrategy {
    /// Half a cosine (`"cos"`), PyTorch's default.
    Cos,
    /// A straight line (`"linear"`).
    Linear,
}

/// Config of [`OneCycleLr`] (`"one_cycle_lr"`). Defaults are PyTorch's. Give `max_lr` (all
/// groups) or `max_lrs` (one per group), and `total_steps` or both `epochs` and
/// `steps_per_epoch`.
#[derive(Config, Clone, Debug, PartialEq)]
#[config(check = one_max_lr, check = a_length, check = phases_have_steps)]
pub struct OneCycleLrConfig {
    /// The peak rate of every group.
    #[config(validate = positive)]
    pub max_lr: Option<f64>,
    /// The peak rate of each group.
    #[config(non_empty)]
    pub max_lrs: Option<Vec<f64>>,
    /// Steps in the cycle (takes precedence over `epochs × steps_per_epoch`).
    #[config(min = 1)]
    pub total_steps: Option<usize>,
    /// Epochs, with `steps_per_epoch`, when `total_steps` is not given.
    #[config(min = 1)]
    pub epochs: Option<usize>,
    /// Steps per epoch, with `epochs`.
    #[config(min = 1)]
    pub steps_per_epoch: Option<usize>,
    /// The fraction of the cycle spent increasing the rate.
    #[config(default = 0.3, range = 0.0..=1.0)]
    pub pct_start: f64,
    /// Cosine or linear annealing.
    #[config(default = AnnealStrategy::Cos)]
    pub anneal_strategy: AnnealStrategy,
    /// The start rate is `max_lr / div_factor`.
    #[config(default = 25.0, validate = positive)]
    pub div_factor: f64,
    /// The final rate is the start rate `/ final_div_factor`.
    #[config(default = 1e4, validate = positive)]
    pub final_div_factor: f64,
    /// Three phases (up, back down to the start rate, then down to the final rate) as in the
    /// paper, rather than fastai's two.
    #[config(default = false)]
    pub three_phase: bool,
}

impl OneCycleLrConfig {
    /// A two-phase cosine cycle peaking at `max_lr` over `total_steps`.
    pub fn new(max_lr: f64, total_steps: usize) -> Self {
        OneCycleLrConfig {
            max_lr: Some(max_lr),
            max_lrs: None,
            total_steps: Some(total_steps),
            epochs: None,
            steps_per_epoch: None,
            pct_start: 0.3,
            anneal_strategy: AnnealStrategy::Cos,
            div_factor: 25.0,
            final_div_factor: 1e4,
            three_phase: false,
        }
    }

    /// The cycle's length: `total_steps`, else `epochs × steps_per_epoch` (0 when neither is
    /// given, which the config's checks refuse).
    pub fn steps(&self) -> usize {
        match (self.total_steps, self.epochs, self.steps_per_epoch) {
            (Some(total), _, _) => total,
            (None, Some(epochs), Some(per_epoch)) => epochs.saturating_mul(per_epoch),
            _ => 0,
        }
    }

    fn max_lr_of(&self, group: usize) -> f64 {
        match (&self.max_lrs, self.max_lr) {
            (Some(lrs), _) => lrs.get(group).copied().unwrap_or(f64::NAN),
            (None, Some(lr)) => lr,
            (None, None) => f64::NAN,
        }
    }

    /// Each phase's last step and its (start, end) rate for a group with peak `max`.
    fn phases(&self, max: f64) -> Vec<(f64, f64, f64)> {
        let total = self.steps() as f64;
        let initial = max / self.div_factor;
        let min = initial / self.final_div_factor;
        let up_end = self.pct_start * total - 1.0;
        if self.three_phase {
            vec![
                (up_end, initial, max),
                (2.0 * self.pct_start * total - 2.0, max, initial),
                (total - 1.0, initial, min),
            ]
        } else {
            vec![(up_end, initial, max), (total - 1.0, max, min)]
        }
    }

    fn anneal(&self, start: f64, end: f64, pct: f64) -> f64 {
        match self.anneal_strategy {
            // end + (start - end) / 2 · (cos(π pct) + 1)
            AnnealStrategy::Cos => end + (start - end) / 2.0 * ((PI * pct).cos() + 1.0),
            // (end - start) · pct + start
            AnnealStrategy::Linear => (end - start) * pct + start,
        }
    }

    /// The rate of every group at `step` (no bound check).
    fn rates_at(&self, step: i64, groups: usize) -> Vec<f64> {
        let step = step as f64;
        (0..groups)
            .map(|group| {
                let phases = self.phases(self.max_lr_of(group));
                let mut start_step = 0.0;
                for (i, &(end_step, start_lr, end_lr)) in phases.iter().enumerate() {
                    if step <= end_step || i == phases.len() - 1 {
                        let pct = (step - start_step) / (end_step - start_step);
                        return self.anneal(start_lr, end_lr, pct);
                    }
                    start_step = end_step;
                }
                f64::NAN // unreachable: the last phase always matches
            })
            .collect()
    }
}

/// Exactly one of `max_lr`, `max_lrs`.
fn one_max_lr(c: &OneCycleLrConfig) -> Result<(), CheckError> {
    match (c.max_lr, &c.max_lrs) {
        (Some(_), None) | (None, Some(_)) => Ok(()),
        _ => Err(CheckError::new(
            ["max_lr", "max_lrs"],
            "give either max_lr (every group) or max_lrs (one per group)",
        )),
    }
}

/// PyTorch's "You must define either total_steps OR (epochs AND steps_per_epoch)".
fn a_length(c: &OneCycleLrConfig) -> Result<(), CheckError> {
    if c.total_steps.is_some() || (c.epochs.is_some() && c.steps_per_epoch.is_some()) {
        Ok(())
    } else {
        Err(CheckError::new(
            ["total_steps", "epochs", "steps_per_epoch"],
            "give either total_steps or both epochs and steps_per_epoch",
        ))
    }
}

/// No step lands in a phase of zero length, where PyTorch would divide 0 by 0
/// (`ZeroDivisionError` mid-run, e.g. `pct_start × total_steps == 1`): refuse it up front.
fn phases_have_steps(c: &OneCycleLrConfig) -> Result<(), CheckError> {
    let total = c.steps() as f64;
    let ends: Vec<f64> = c.phases(1.0).iter().map(|p| p.0).collect();
    let mut start = 0.0;
    let mut lowest_taken = f64::NEG_INFINITY; // steps <= this went to an earlier phase
    for (i, &end) in ends.iter().enumerate() {
        let last = i == ends.len() - 1;
        let first_step = (lowest_taken.floor() + 1.0).max(0.0);
        let last_step = if last { total } else { end.floor().min(total) };
        if end == start && first_step <= last_step {
            return Err(CheckError::new(
                ["pct_start", "total_steps"],
                format!(
                    "phase {} of the cycle has no length (pct_start × total steps = {}); change pct_start or the step count",
                    i + 1,
                    c.pct_start * total
                ),
            ));
        }
        lowest_taken = lowest_taken.max(end);
        start = end;
    }
    Ok(())
}

impl LrRule for OneCycleLrConfig {
    fn name(&self) -> &'static str {
        "one_cycle_lr"
    }

    fn check(&self, groups: usize) -> Result<(), ScheduleError> {
        validated(self, self.name())?;
        match &self.max_lrs {
            Some(lrs) if lrs.len() != groups => Err(ScheduleError::GroupCount {
                field: "max_lrs".into(),
                expected: groups,
                found: lrs.len(),
            }),
            _ => Ok(()),
        }
    }

    fn base_lrs(&self, initial: &[f64]) -> Vec<f64> {
        // PyTorch sets each group's initial_lr = max_lr / div_factor.
        (0..initial.len())
            .map(|group| self.max_lr_of(group) / self.div_factor)
            .collect()
    }

    fn get_lr(
        &self,
        clock: Clock,
        current: &[f64],
        _base: &[f64],
    ) -> Result<Vec<f64>, ScheduleError> {
        let total_steps = self.steps();
        if clock.last_epoch > total_steps as i64 {
            return Err(ScheduleError::PastTotalSteps {
                step: clock.last_epoch,
                total_steps,
            });
        }
        Ok(self.rates_at(clock.last_epoch, current.len()))
    }

    /// The schedule is a function of the step alone; past the end it holds the final rate.
    fn closed_form(&self, last_epoch: i64, base_lrs: &[f64]) -> Vec<f64> {
        self.rates_at(last_epoch.min(self.steps() as i64), base_lrs.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::schedule::LrScheduler;

    #[test]
    fn starts_low_peaks_at_pct_start_and_ends_lowest() -> Result<(), ScheduleError> {
        let mut lrs = vec![0.5];
        let mut scheduler = OneCycleLr::new(OneCycleLrConfig::new(1.0, 10), &lrs)?;
        // max_lr / div_factor, by the cosine from the peak: rounded as PyTorch rounds it
        assert!((scheduler.last_lr()[0] - 1.0 / 25.0).abs() < 1e-16);
        let mut seen = vec![];
        for _ in 0..10 {
            scheduler.step(&mut lrs)?;
            seen.push(lrs[0]);
        }
        // the peak at step pct_start · 10 - 1 = 2, the end at 10 - 1 = 9 is max / 25 / 1e4
        assert_eq!(seen[1], 1.0);
        assert!((seen[8] - 1.0 / 25.0 / 1e4).abs() < 1e-18);
        let err = scheduler.step(&mut lrs).unwrap_err();
        assert!(matches!(
            err,
            ScheduleError::PastTotalSteps {
                step: 11,
                total_steps: 10
            }
        ));
        assert_eq!(scheduler.last_epoch(), 10, "a refused step changes nothing");
        Ok(())
    }

    #[test]
    fn needs_a_length_and_one_peak() {
        let config = OneCycleLrConfig {
            total_steps: None,
            max_lrs: Some(vec![0.1]),
            ..OneCycleLrConfig::new(0.1, 1)
        };
        let err = OneCycleLr::new(config, &[0.1]).unwrap_err().to_string();
        assert!(err.contains("max_lr, max_lrs: give either"), "{err}");
        assert!(
            err.contains("total_steps, epochs, steps_per_epoch: give either"),
            "{err}"
        );
    }

    #[test]
    fn a_phase_without_length_is_refused_up_front() {
        // pct_start · total_steps = 1: PyTorch divides 0 by 0 at step 0.
        let config = OneCycleLrConfig {
            pct_start: 0.1,
            ..OneCycleLrConfig::new(0.1, 10)
        };
        let err = OneCycleLr::new(config, &[0.1]).unwrap_err().to_string();
        assert!(err.contains("phase 1 of the cycle has no length"), "{err}");
    }

    #[test]
    fn max_lrs_needs_one_per_group() {
        let config = OneCycleLrConfig {
            max_lr: None,
            max_lrs: Some(vec![0.1, 0.2, 0.3]),
            ..OneCycleLrConfig::new(0.1, 10)
        };
        let err = OneCycleLr::new(config, &[0.1, 0.1]).unwrap_err();
        assert!(matches!(
            err,
            ScheduleError::GroupCount {
                expected: 2,
                found: 3,
                ..
            }
        ));
    }
}
