//! [`MeanLoss`]: the mean of a loss over every sample since the last reset, from batch losses.
//!
//! Sufficient statistics: the sum of per-sample losses (f64) and the sample count. A batch's
//! mean loss is weighted by its size, so uneven batches (a short last batch) give the mean
//! over samples — what one evaluation over the whole set would report — rather than the mean
//! of batch means.

use super::{Metric, MetricError, MetricValue, Target};
use crate::Tensor;

/// Mean loss (`"loss"`).
///
/// Fed the *loss* as its prediction, not the model's output: either per-sample losses `[N]`
/// (PyTorch's `reduction="none"`) or the batch mean as a scalar (`reduction="mean"`, shape
/// `[]` or `[1]`), weighted by the batch size `N` read from the target. So it does not belong
/// in a [`MetricSet`](super::MetricSet) of metrics that read the model's output; the training
/// loop keeps it beside them.
///
/// ```
/// use minitrainer_core::{Tensor, metrics::{MeanLoss, Metric, MetricValue}};
/// let mut loss = MeanLoss::new();
/// loss.update(&Tensor::scalar(1.0), &vec![0, 1, 2].into())?; // mean of 3 samples
/// loss.update(&Tensor::scalar(3.0), &vec![1].into())?; // a short last batch
/// assert_eq!(loss.compute(), Some(MetricValue::Scalar(1.5))); // (3·1 + 1·3) / 4
/// # Ok::<(), minitrainer_core::Error>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct MeanLoss {
    sum: f64,
    count: u64,
}

impl MeanLoss {
    /// An empty accumulator.
    pub fn new() -> Self {
        MeanLoss::default()
    }
}

impl Metric for MeanLoss {
    fn name(&self) -> &str {
        "loss"
    }

    /// # Errors
    /// [`MetricError::BatchSizeMismatch`] when per-sample losses `[N]` do not match the
    /// target's `N`; [`MetricError::PredictionShape`] for a loss of any other shape.
    fn update(&mut self, prediction: &Tensor, target: &Target) -> Result<(), MetricError> {
        let n = target.len();
        let losses = prediction.to_vec();
        let sum = match prediction.shape() {
            [] => f64::from(losses[0]) * n as f64,
            [len] if *len == n => losses.iter().map(|&l| f64::from(l)).sum(),
            [1] => f64::from(losses[0]) * n as f64,
            [len] => {
                return Err(MetricError::BatchSizeMismatch {
                    metric: self.name().to_string(),
                    predictions: *len,
                    targets: n,
                });
            }
            shape => {
                return Err(MetricError::PredictionShape {
                    metric: self.name().to_string(),
                    expected: "[] or [1] (the batch mean) or [N] (per-sample losses)",
                    shape: shape.to_vec(),
                });
            }
        };
        self.sum += sum;
        self.count += n as u64;
        Ok(())
    }

    /// `None` until a sample has been seen; NaN if a loss was NaN (a diverged run shows).
    fn compute(&self) -> Option<MetricValue> {
        (self.count > 0).then(|| MetricValue::Scalar(self.sum / self.count as f64))
    }

    fn reset(&mut self) {
        *self = MeanLoss::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_sample_losses_and_batch_means_agree() -> crate::Result<()> {
        let mut per_sample = MeanLoss::new();
        per_sample.update(
            &Tensor::from_vec(vec![1.0, 2.0, 3.0], &[3])?,
            &vec![0, 0, 0].into(),
        )?;
        per_sample.update(&Tensor::from_vec(vec![6.0], &[1])?, &vec![0].into())?;
        let mut means = MeanLoss::new();
        means.update(&Tensor::scalar(2.0), &vec![0, 0, 0].into())?;
        means.update(&Tensor::scalar(6.0), &vec![0].into())?;
        assert_eq!(per_sample.compute(), Some(MetricValue::Scalar(3.0)));
        assert_eq!(means.compute(), per_sample.compute());
        Ok(())
    }

    #[test]
    fn loss_shape_must_fit_the_batch() -> crate::Result<()> {
        let mut loss = MeanLoss::new();
        assert_eq!(loss.compute(), None);
        let error = loss
            .update(&Tensor::zeros(&[2]), &vec![0, 0, 0].into())
            .unwrap_err();
        assert!(matches!(
            error,
            MetricError::BatchSizeMismatch {
                predictions: 2,
                targets: 3,
                ..
            }
        ));
        let error = loss
            .update(&Tensor::zeros(&[3, 1]), &vec![0, 0, 0].into())
            .unwrap_err();
        assert!(matches!(error, MetricError::PredictionShape { .. }));
        assert_eq!(loss.compute(), None);
        loss.update(&Tensor::scalar(f32::NAN), &vec![0].into())?;
        assert!(
            loss.compute()
                .and_then(|v| v.as_scalar())
                .is_some_and(f64::is_nan)
        );
        loss.reset();
        assert_eq!(loss.compute(), None);
        Ok(())
    }
}
