//! [`Mae`]: mean absolute error, `Σ|ŷ - y| / n` over every element since the last reset
//! (sklearn's `mean_absolute_error`, torchmetrics' `MeanAbsoluteError`).
//!
//! Sufficient statistics: the sum of absolute errors (f64) and the element count.

use super::{Metric, MetricError, MetricValue, Target};
use crate::Tensor;

/// Mean absolute error (`"mae"`).
///
/// Reads a prediction of any shape and a [`Target::Tensor`] of the same shape (no
/// broadcasting: `[N]` against `[N, 1]` is an error, not an `[N, N]` surprise). Every element
/// counts once, so for `[N, D]` this is sklearn's default `multioutput="uniform_average"`.
///
/// ```
/// use minitrainer_core::{Tensor, metrics::{Mae, Metric, MetricValue}};
/// let mut mae = Mae::new();
/// let prediction = Tensor::from_vec(vec![1.0, 2.0, 4.0], &[3])?;
/// mae.update(&prediction, &Tensor::from_vec(vec![1.5, 2.0, 3.0], &[3])?.into())?;
/// assert_eq!(mae.compute(), Some(MetricValue::Scalar(0.5)));
/// # Ok::<(), minitrainer_core::Error>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct Mae {
    abs_error_sum: f64,
    count: u64,
}

impl Mae {
    /// An empty accumulator.
    pub fn new() -> Self {
        Mae::default()
    }
}

impl Metric for Mae {
    fn name(&self) -> &str {
        "mae"
    }

    /// # Errors
    /// [`MetricError::LabelsForRegression`], [`MetricError::BatchSizeMismatch`] or
    /// [`MetricError::TargetShape`] when the target is not a tensor of the prediction's shape.
    fn update(&mut self, prediction: &Tensor, target: &Target) -> Result<(), MetricError> {
        let values = target.values(self.name(), prediction.shape())?;
        let predicted = prediction.to_vec();
        // In f64: an f32 difference is exact there, and the sum does not drift over an epoch.
        self.abs_error_sum += predicted
            .iter()
            .zip(&values)
            .map(|(&p, &y)| (f64::from(p) - f64::from(y)).abs())
            .sum::<f64>();
        self.count += values.len() as u64;
        Ok(())
    }

    /// `None` until an element has been seen.
    fn compute(&self) -> Option<MetricValue> {
        (self.count > 0).then(|| MetricValue::Scalar(self.abs_error_sum / self.count as f64))
    }

    fn reset(&mut self) {
        *self = Mae::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mae_over_batches_is_the_mean_over_all_elements() -> crate::Result<()> {
        let mut mae = Mae::new();
        assert_eq!(mae.compute(), None);
        let p = Tensor::from_vec(vec![0.0, 1.0, 2.0, 3.0], &[2, 2])?;
        mae.update(
            &p,
            &Tensor::from_vec(vec![1.0, 1.0, 0.0, 3.0], &[2, 2])?.into(),
        )?;
        mae.update(
            &Tensor::from_vec(vec![5.0], &[1])?,
            &Tensor::from_vec(vec![2.0], &[1])?.into(),
        )?;
        // |0-1| + 0 + |2-0| + 0 + |5-2| = 6 over 5 elements
        assert_eq!(mae.compute(), Some(MetricValue::Scalar(6.0 / 5.0)));
        mae.reset();
        assert_eq!(mae.compute(), None);
        Ok(())
    }

    #[test]
    fn mae_rejects_labels_and_other_shapes_without_counting() -> crate::Result<()> {
        let mut mae = Mae::new();
        let p = Tensor::zeros(&[2]);
        assert!(matches!(
            mae.update(&p, &vec![0, 1].into()),
            Err(MetricError::LabelsForRegression { .. })
        ));
        assert!(matches!(
            mae.update(&p, &Tensor::zeros(&[2, 1]).into()),
            Err(MetricError::TargetShape { .. })
        ));
        assert_eq!(mae.compute(), None);
        Ok(())
    }
}
