//! `ExponentialLr`: PyTorch's `ExponentialLR`, the rate times `gamma` every step.

use minitrainer_macros::Config;

use super::chainable::{Chainable, Clock, LrRule};
use super::{ScheduleError, positive, validated};

/// PyTorch's `ExponentialLR`: multiplies each rate by `gamma` every step.
pub type ExponentialLr = Chainable<ExponentialLrConfig>;

/// Config of [`ExponentialLr`] (`"exponential_lr"`).
#[derive(Config, Clone, Debug, PartialEq)]
pub struct ExponentialLrConfig {
    /// Multiplicative decay per step.
    #[config(validate = positive)]
    pub gamma: f64,
}

impl LrRule for ExponentialLrConfig {
    fn name(&self) -> &'static str {
        "exponential_lr"
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
        // initial step: lr; then lr · gamma
        if clock.is_initial {
            return Ok(current.to_vec());
        }
        Ok(current.iter().map(|lr| lr * self.gamma).collect())
    }

    fn closed_form(&self, last_epoch: i64, base_lrs: &[f64]) -> Vec<f64> {
        // base_lr · gamma ** last_epoch
        let power = last_epoch as f64;
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
    fn multiplies_by_gamma_each_step() -> Result<(), ScheduleError> {
        let mut lrs = vec![1.0, 2.0];
        let mut scheduler = ExponentialLr::new(ExponentialLrConfig { gamma: 0.5 }, &lrs)?;
        assert_eq!(scheduler.last_lr(), [1.0, 2.0]);
        scheduler.step(&mut lrs)?;
        scheduler.step(&mut lrs)?;
        // lr_t = lr_0 · 0.5^t
        assert_eq!(lrs, [0.25, 0.5]);
        Ok(())
    }

    #[test]
    fn non_positive_gamma_is_a_config_error() {
        let err = ExponentialLr::new(ExponentialLrConfig { gamma: 0.0 }, &[0.1]).unwrap_err();
        assert!(
            err.to_string().contains("gamma: must be > 0, got 0.0"),
            "{err}"
        );
    }
}
