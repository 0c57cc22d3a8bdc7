//! `StepLr`: PyTorch's `StepLR`, the rate times `gamma` every `step_size` steps.

use minitrainer_macros::Config;

use super::chainable::{Chainable, Clock, LrRule};
use super::{ScheduleError, positive, validated};

/// PyTorch's `StepLR`: multiplies each rate by `gamma` every `step_size` steps.
pub type StepLr = Chainable<StepLrConfig>;

/// Config of [`StepLr`] (`"step_lr"`).
#[derive(Config, Clone, Debug, PartialEq)]
pub struct StepLrConfig {
    /// Steps between decays (PyTorch divides by it, so at least 1).
    #[config(min = 1)]
    pub step_size: usize,
    /// Multiplicative decay.
    #[config(default = 0.1, validate = positive)]
    pub gamma: f64,
}

impl StepLrConfig {
    /// Decay by PyTorch's default `gamma` of 0.1 every `step_size` steps.
    pub fn new(step_size: usize) -> Self {
        StepLrConfig {
            step_size,
            gamma: 0.1,
        }
    }
}

impl LrRule for StepLrConfig {
    fn name(&self) -> &'static str {
        "step_lr"
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
        // if last_epoch == 0 or last_epoch % step_size != 0: lr  else: lr · gamma
        let t = clock.last_epoch;
        if t == 0 || t.rem_euclid(self.step_size as i64) != 0 {
            return Ok(current.to_vec());
        }
        Ok(current.iter().map(|lr| lr * self.gamma).collect())
    }

    fn closed_form(&self, last_epoch: i64, base_lrs: &[f64]) -> Vec<f64> {
        // base_lr · gamma ** (last_epoch // step_size)
        let power = last_epoch.div_euclid(self.step_size as i64) as f64;
        base_lrs
            .iter()
            .map(|lr| lr * self.gamma.powf(power))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::schedule::LrScheduler;

    #[test]
    fn decays_every_step_size_steps() -> Result<(), ScheduleError> {
        let mut lrs = vec![1.0];
        let mut scheduler = StepLr::new(
            StepLrConfig {
                step_size: 2,
                gamma: 0.5,
            },
            &lrs,
        )?;
        let mut seen = vec![scheduler.last_lr()[0]];
        for _ in 0..5 {
            scheduler.step(&mut lrs)?;
            seen.push(lrs[0]);
        }
        // lr_t = 0.5 ** (t // 2)
        assert_eq!(seen, [1.0, 1.0, 0.5, 0.5, 0.25, 0.25]);
        Ok(())
    }

    #[test]
    fn zero_step_size_is_a_config_error() {
        let err = StepLr::new(StepLrConfig::new(0), &[0.1])
            .unwrap_err()
            .to_string();
        assert!(err.contains("step_size: must be >= 1, got 0"), "{err}");
    }
}
