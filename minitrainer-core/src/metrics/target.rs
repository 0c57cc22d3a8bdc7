//! [`Target`]: what a batch's predictions are compared with — class labels or values.
//!
//! Labels from data are user input, so a label tensor is checked here and a bad value is a
//! [`MetricError`], not a panic. (`tensor::IntoIndices` panics on such values: for an op, a bad
//! index is a programming error; for a metric fed from a data set, it is bad data.)

use super::error::MetricError;
use crate::Tensor;
use crate::tensor::IntoIndices;

/// The targets of one batch.
///
/// Classification metrics read class labels from either variant: `Labels`, or a `Tensor` of
/// shape `[N]` holding whole numbers (as a data loader yields labels). Regression metrics
/// ([`Mae`](super::Mae), [`R2Score`](super::R2Score)) read values from a `Tensor` of the
/// prediction's shape and refuse `Labels`. [`MeanLoss`](super::MeanLoss) only counts the
/// samples.
///
/// ```
/// use minitrainer_core::{Tensor, metrics::Target};
/// let labels: Target = vec![0, 2, 1].into();
/// let from_loader: Target = Tensor::from_vec(vec![0.0, 2.0, 1.0], &[3])?.into();
/// assert_eq!(labels.len(), 3);
/// assert_eq!(from_loader.len(), 3);
/// # Ok::<(), minitrainer_core::tensor::TensorError>(())
/// ```
#[derive(Clone, Debug)]
pub enum Target {
    /// One class label per sample.
    Labels(Vec<usize>),
    /// Class labels as whole numbers `[N]`, or regression values of the prediction's shape.
    Tensor(Tensor),
}

impl Target {
    /// The number of samples: the labels' length, or the tensor's first axis (1 for a scalar).
    pub fn len(&self) -> usize {
        match self {
            Target::Labels(labels) => labels.len(),
            Target::Tensor(tensor) => tensor.shape().first().copied().unwrap_or(1),
        }
    }

    /// Whether the batch has no samples.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The class labels, each checked to be below `num_classes`.
    ///
    /// # Errors
    /// [`MetricError::TargetShape`] for a tensor that is not 1-D, [`MetricError::NotALabel`]
    /// for a tensor value that is not a whole number in `0..=2²⁴`,
    /// [`MetricError::LabelOutOfRange`] for a label `>= num_classes`.
    pub(crate) fn labels(
        &self,
        metric: &str,
        num_classes: usize,
    ) -> Result<Vec<usize>, MetricError> {
        let labels = match self {
            Target::Labels(labels) => labels.clone(),
            Target::Tensor(tensor) => labels_from_tensor(metric, tensor)?,
        };
        if let Some((position, &label)) =
            labels.iter().enumerate().find(|&(_, &l)| l >= num_classes)
        {
            return Err(MetricError::LabelOutOfRange {
                metric: metric.to_string(),
                label,
                position,
                num_classes,
            });
        }
        Ok(labels)
    }

    /// The regression values, which must have the prediction's shape.
    ///
    /// # Errors
    /// [`MetricError::LabelsForRegression`] for `Labels`, [`MetricError::BatchSizeMismatch`]
    /// or [`MetricError::TargetShape`] when the shape differs from `shape`.
    pub(crate) fn values(&self, metric: &str, shape: &[usize]) -> Result<Vec<f32>, MetricError> {
        let Target::Tensor(tensor) = self else {
            return Err(MetricError::LabelsForRegression {
                metric: metric.to_string(),
            });
        };
        if tensor.shape() != shape {
            if tensor.shape().first() != shape.first() {
                return Err(MetricError::BatchSizeMismatch {
                    metric: metric.to_string(),
                    predictions: shape.first().copied().unwrap_or(1),
                    targets: self.len(),
                });
            }
            return Err(MetricError::TargetShape {
                metric: metric.to_string(),
                expected: format!("{shape:?} (the prediction's shape)"),
                shape: tensor.shape().to_vec(),
            });
        }
        Ok(tensor.to_vec())
    }
}

fn labels_from_tensor(metric: &str, tensor: &Tensor) -> Result<Vec<usize>, MetricError> {
    if tensor.ndim() != 1 {
        return Err(MetricError::TargetShape {
            metric: metric.to_string(),
            expected: "[N] (one class label per sample)".to_string(),
            shape: tensor.shape().to_vec(),
        });
    }
    let not_a_label = |value: f32, position: usize| MetricError::NotALabel {
        metric: metric.to_string(),
        value,
        position,
    };
    // The tensor layer's label check (whole numbers up to 2²⁴), then: no negative classes.
    let labels = tensor
        .into_labels()
        .map_err(|e| not_a_label(e.value, e.position.first().copied().unwrap_or(0)))?;
    labels
        .iter()
        .enumerate()
        .map(|(position, &label)| {
            usize::try_from(label).map_err(|_| not_a_label(label as f32, position))
        })
        .collect()
}

impl From<Vec<usize>> for Target {
    fn from(labels: Vec<usize>) -> Self {
        Target::Labels(labels)
    }
}

impl From<&[usize]> for Target {
    fn from(labels: &[usize]) -> Self {
        Target::Labels(labels.to_vec())
    }
}

impl From<Tensor> for Target {
    fn from(tensor: Tensor) -> Self {
        Target::Tensor(tensor)
    }
}

impl From<&Tensor> for Target {
    fn from(tensor: &Tensor) -> Self {
        Target::Tensor(tensor.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_tensor_reads_whole_numbers_and_rejects_the_rest() -> crate::Result<()> {
        let ok = Target::from(Tensor::from_vec(vec![2.0, 0.0, 1.0], &[3])?);
        assert_eq!(ok.labels("accuracy", 3)?, vec![2, 0, 1]);
        for (bad, position) in [
            (vec![0.0, -1.0], 1),
            (vec![0.5, 1.0], 0),
            (vec![1.0, f32::NAN], 1),
        ] {
            let target = Target::from(Tensor::from_vec(bad, &[2])?);
            match target.labels("accuracy", 3) {
                Err(MetricError::NotALabel { position: p, .. }) => assert_eq!(p, position),
                other => panic!("expected NotALabel, got {other:?}"),
            }
        }
        let too_big = Target::from(Tensor::from_vec(vec![3e7], &[1])?);
        assert!(matches!(
            too_big.labels("accuracy", 3),
            Err(MetricError::NotALabel { .. })
        ));
        Ok(())
    }

    #[test]
    fn label_out_of_range_names_label_position_and_class_count() {
        let error = Target::from(vec![0, 1, 5])
            .labels("accuracy", 3)
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "accuracy: label 5 at position 2 is out of range for 3 classes (labels must be \
             0..3); check the labels or the prediction's last axis"
        );
    }

    #[test]
    fn label_tensor_must_be_one_dimensional() -> crate::Result<()> {
        let target = Target::from(Tensor::zeros(&[2, 1]));
        assert!(matches!(
            target.labels("accuracy", 3),
            Err(MetricError::TargetShape { .. })
        ));
        Ok(())
    }

    #[test]
    fn regression_values_need_a_tensor_of_the_prediction_shape() -> crate::Result<()> {
        let labels = Target::from(vec![1, 2]);
        assert!(matches!(
            labels.values("mae", &[2]),
            Err(MetricError::LabelsForRegression { .. })
        ));
        let values = Target::from(Tensor::zeros(&[3]));
        assert!(matches!(
            values.values("mae", &[2]),
            Err(MetricError::BatchSizeMismatch {
                predictions: 2,
                targets: 3,
                ..
            })
        ));
        let values = Target::from(Tensor::zeros(&[2, 2]));
        assert!(matches!(
            values.values("mae", &[2, 1]),
            Err(MetricError::TargetShape { .. })
        ));
        assert_eq!(values.values("mae", &[2, 2])?, vec![0.0; 4]);
        Ok(())
    }
}
