//! `CosineAnnealingLr`: PyTorch's `CosineAnnealingLR` (SGDR without restarts), by its
//! recursive formula.

use std::f64::consts::PI;

use minitrainer_macros::Config;

use super::chainable::{Chainable, Clock, LrRule};
use super::{ScheduleError, validated};

/// PyTorch's `CosineAnnealingLR`: rates follow half a cosine from the base rates down to
/// `eta_min` over `t_max` steps (and back up over the next `t_max`: there is no restart).
///
/// Computed by PyTorch's recursive update
/// `η_{t} = η_min + (η_{t-1} - η_min) · (1 + cos(π t / T)) / (1 + cos(π (t-1) / T))`,
/// not the closed form `η_min + (base - η_min)(1 + cos(π t / T)) / 2`: the two differ in the
/// last bits, and this follows PyTorch's sequence.
pub type CosineAnnealingLr = Chainable<CosineAnnealingLrConfig>;

/// Config of [`CosineAnnealingLr`] (`"cosine_annealing_lr"`).
#[derive(Config, Clone, Debug, PartialEq)]
pub struct CosineAnnealingLrConfig {
    /// Steps from the base rate down to `eta_min` (PyTorch's `T_max`; it divides by it, so at
    /// least 1).
    #[config(min = 1)]
    pub t_max: usize,
    /// The lowest rate.
    #[config(default = 0.0, min = 0.0)]
    pub eta_min: f64,
}

impl CosineAnnealingLrConfig {
    /// Annealing to 0 over `t_max` steps.
    pub fn new(t_max: usize) -> Self {
        CosineAnnealingLrConfig {
            t_max,
            eta_min: 0.0,
        }
    }
}

impl LrRule for CosineAnnealingLrConfig {
    fn name(&self) -> &'static str {
        "cosine_annealing_lr"
    }

    fn check(&self, _groups: usize) -> Result<(), ScheduleError> {
        validated(self, self.name())
    }

    fn get_lr(
        &self,
        clock: Clock,
        current: &[f64],
        base: &[f64],
    ) -> Result<Vec<f64>, ScheduleError> {
        let (t, t_max, eta_min) = (clock.last_epoch, self.t_max as f64, self.eta_min);
        if clock.is_initial {
            return Ok(current.to_vec());
        }
        if clock.step_count == 1 && t > 0 {
            // The first step of a scheduler that did not start at 0 (PyTorch's branch for
            // `last_epoch` given at construction): the closed form.
            return Ok(self.closed_form(t, base));
        }
        if (t - 1 - self.t_max as i64).rem_euclid(2 * self.t_max as i64) == 0 {
            // Leaving the bottom, where the ratio below would be 0/0:
            // lr + (base - η_min)(1 - cos(π / T)) / 2
            return Ok(current
                .iter()
                .zip(base)
                .map(|(lr, base)| lr + (base - eta_min) * (1.0 - (PI / t_max).cos()) / 2.0)
                .collect());
        }
        // (1 + cos(π t / T)) / (1 + cos(π (t - 1) / T)) · (lr - η_min) + η_min
        let ratio =
            (1.0 + (PI * t as f64 / t_max).cos()) / (1.0 + (PI * (t - 1) as f64 / t_max).cos());
        Ok(current
            .iter()
            .map(|lr| ratio * (lr - eta_min) + eta_min)
            .collect())
    }

    fn closed_form(&self, last_epoch: i64, base_lrs: &[f64]) -> Vec<f64> {
        // η_min + (base - η_min)(1 + cos(π t / T)) / 2
        let cos = (PI * last_epoch as f64 / self.t_max as f64).cos();
        base_lrs
            .iter()
            .map(|base| self.eta_min + (base - self.eta_min) * (1.0 + cos) / 2.0)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::schedule::LrScheduler;

    #[test]
    fn reaches_eta_min_at_t_max_and_climbs_back() -> Result<(), ScheduleError> {
        let config = CosineAnnealingLrConfig {
            t_max: 4,
            eta_min: 0.1,
        };
        let mut lrs = vec![1.0];
        let mut scheduler = CosineAnnealingLr::new(config.clone(), &lrs)?;
        for t in 1..=8 {
            scheduler.step(&mut lrs)?;
            // close to the closed form η_min + (1 - η_min)(1 + cos(π t / 4)) / 2
            let want = config.closed_form(t, &[1.0])[0];
            assert!(
                (lrs[0] - want).abs() < 1e-12,
                "t = {t}: {} vs {want}",
                lrs[0]
            );
        }
        assert!((lrs[0] - 1.0).abs() < 1e-12);
        Ok(())
    }

    #[test]
    fn zero_t_max_is_a_config_error() {
        let err = CosineAnnealingLr::new(CosineAnnealingLrConfig::new(0), &[0.1]).unwrap_err();
        assert!(
            err.to_string().contains("t_max: must be >= 1, got 0"),
            "{err}"
        );
    }
}
