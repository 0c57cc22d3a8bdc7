//! `LinearLr`: PyTorch's `LinearLR`, a factor moving linearly from `start_factor` to
//! `end_factor` over `total_iters` steps (a warm-up, typically).

use minitrainer_macros::Config;

use super::chainable::{Chainable, Clock, LrRule};
use super::{ScheduleError, positive, validated};

/// PyTorch's `LinearLR`: the rate is `base · factor`, the factor moving linearly from
/// `start_factor` (at t = 0) to `end_factor` (at `total_iters`, and after).
pub type LinearLr = Chainable<LinearLrConfig>;

/// Config of [`LinearLr`] (`"linear_lr"`). Defaults are PyTorch's.
#[derive(Config, Clone, Debug, PartialEq)]
pub struct LinearLrConfig {
    /// The factor at t = 0, in `(0, 1]`.
    #[config(default = 1.0 / 3.0, max = 1.0, validate = positive)]
    pub start_factor: f64,
    /// The factor from `total_iters` on, in `[0, 1]`.
    #[config(default = 1.0, range = 0.0..=1.0)]
    pub end_factor: f64,
    /// Steps to go from one factor to the other (PyTorch's closed form divides by it, so at
    /// least 1).
    #[config(default = 5, min = 1)]
    pub total_iters: usize,
}

impl LrRule for LinearLrConfig {
    fn name(&self) -> &'static str {
        "linear_lr"
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
        let t = clock.last_epoch;
        // t == 0: lr · start_factor
        if t == 0 {
            return Ok(current.iter().map(|lr| lr * self.start_factor).collect());
        }
        if clock.is_initial || t > self.total_iters as i64 {
            return Ok(current.to_vec());
        }
        // lr · (1 + (end - start) / (total_iters · start + (t - 1) · (end - start)))
        let delta = self.end_factor - self.start_factor;
        let factor =
            1.0 + delta / (self.total_iters as f64 * self.start_factor + (t - 1) as f64 * delta);
        Ok(current.iter().map(|lr| lr * factor).collect())
    }

    fn closed_form(&self, last_epoch: i64, base_lrs: &[f64]) -> Vec<f64> {
        // base_lr · (start + (end - start) · min(total_iters, t) / total_iters)
        let total = self.total_iters as i64;
        let reached = total.min(last_epoch) as f64;
        let factor = self.start_factor
            + (self.end_factor - self.start_factor) * reached / self.total_iters as f64;
        base_lrs.iter().map(|lr| lr * factor).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::schedule::LrScheduler;

    #[test]
    fn warms_up_linearly_then_holds() -> Result<(), ScheduleError> {
        let config = LinearLrConfig {
            start_factor: 0.25,
            end_factor: 1.0,
            total_iters: 3,
        };
        let mut lrs = vec![1.0];
        let mut scheduler = LinearLr::new(config, &lrs)?;
        lrs = scheduler.last_lr().to_vec();
        let mut seen = vec![lrs[0]];
        for _ in 0..4 {
            scheduler.step(&mut lrs)?;
            seen.push(lrs[0]);
        }
        // factor_t = 0.25 + 0.75 · min(t, 3) / 3 (up to rounding of the recursive form)
        for (got, want) in seen.iter().zip([0.25, 0.5, 0.75, 1.0, 1.0]) {
            assert!((got - want).abs() < 1e-15, "{seen:?}");
        }
        Ok(())
    }

    #[test]
    fn a_start_factor_above_one_is_a_config_error() {
        let config = LinearLrConfig {
            start_factor: 1.5,
            ..LinearLrConfig::default()
        };
        let err = LinearLr::new(config, &[0.1]).unwrap_err().to_string();
        assert!(
            err.contains("start_factor: must be <= 1.0, got 1.5"),
            "{err}"
        );
    }
}
