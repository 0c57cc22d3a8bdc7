//! `MultiStepLr`: PyTorch's `MultiStepLR`, the rate times `gamma` at each milestone.

use minitrainer_macros::Config;

use super::chainable::{Chainable, Clock, LrRule};
use super::{ScheduleError, positive, validated};

/// PyTorch's `MultiStepLR`: multiplies each rate by `gamma` when the step count reaches a
/// milestone (by `gamma^n` for a milestone listed `n` times, as PyTorch's `Counter` does).
pub type MultiStepLr = Chainable<MultiStepLrConfig>;

/// Config of [`MultiStepLr`] (`"multi_step_lr"`).
#[derive(Config, Clone, Debug, PartialEq)]
pub struct MultiStepLrConfig {
    /// The steps at which to decay, in any order (PyTorch documents them increasing but
    /// accepts any list).
    pub milestones: Vec<usize>,
    /// Multiplicative decay.
    #[config(default = 0.1, validate = positive)]
    pub gamma: f64,
}

impl MultiStepLrConfig {
    /// Decay by PyTorch's default `gamma` of 0.1 at each of `milestones`.
    pub fn new(milestones: Vec<usize>) -> Self {
        MultiStepLrConfig {
            milestones,
            gamma: 0.1,
        }
    }

    /// How many milestones are `at` (PyTorch's `self.milestones[at]`).
    fn count_at(&self, at: i64) -> usize {
        self.milestones.iter().filter(|&&m| m as i64 == at).count()
    }
}

impl LrRule for MultiStepLrConfig {
    fn name(&self) -> &'static str {
        "multi_step_lr"
    }

    fn check(&self, _groups: usize) -> Result<(), ScheduleError> {
        validated(self, self.name())
    }

    fn get_lr(
        &self,
        clock: Clock,
        current: &[f64],
        _base: &[f64],
    ) -> Result<Vec<f64>, ScheduleError> {
        // last_epoch not in milestones: lr; else lr · gamma ** milestones[last_epoch]
        let count = self.count_at(clock.last_epoch);
        if count == 0 {
            return Ok(current.to_vec());
        }
        let factor = self.gamma.powf(count as f64);
        Ok(current.iter().map(|lr| lr * factor).collect())
    }

    fn closed_form(&self, last_epoch: i64, base_lrs: &[f64]) -> Vec<f64> {
        // base_lr · gamma ** bisect_right(sorted(milestones), last_epoch)
        let passed = self
            .milestones
            .iter()
            .filter(|&&m| m as i64 <= last_epoch)
            .count();
        let factor = self.gamma.powf(passed as f64);
        base_lrs.iter().map(|lr| lr * factor).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::schedule::LrScheduler;

    #[test]
    fn decays_at_each_milestone_and_twice_at_a_repeated_one() -> Result<(), ScheduleError> {
        let mut lrs = vec![1.0];
        let config = MultiStepLrConfig {
            milestones: vec![3, 1, 3],
            gamma: 0.5,
        };
        let mut scheduler = MultiStepLr::new(config, &lrs)?;
        let mut seen = vec![];
        for _ in 0..4 {
            scheduler.step(&mut lrs)?;
            seen.push(lrs[0]);
        }
        assert_eq!(seen, [0.5, 0.5, 0.125, 0.125]);
        Ok(())
    }

    #[test]
    fn a_milestone_at_zero_applies_at_construction() -> Result<(), ScheduleError> {
        let scheduler = MultiStepLr::new(MultiStepLrConfig::new(vec![0]), &[1.0])?;
        assert_eq!(scheduler.last_lr(), [0.1]);
        Ok(())
    }
}
