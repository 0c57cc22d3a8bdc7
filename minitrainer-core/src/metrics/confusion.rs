//! [`ConfusionMatrix`]: counts of (true class, predicted class) pairs, sklearn's
//! `confusion_matrix(y, argmax, labels=range(C))` layout (row = true, column = predicted).
//!
//! Memory is `C²` counts, so the class count is capped at [`MAX_CONFUSION_CLASSES`]; a
//! larger task should use the classification report (three counts per class).

use minitrainer_macros::Config;

use super::classes::{ClassBatch, ClassCount, argmax};
use super::{Metric, MetricError, MetricValue, Target};
use crate::Tensor;

/// The most classes a confusion matrix holds: 4096² counts are 128 MiB.
pub const MAX_CONFUSION_CLASSES: usize = 4096;

/// Options of `confusion_matrix`.
#[derive(Config, Clone, Debug, PartialEq)]
pub struct ConfusionMatrixConfig {
    /// The number of classes; when absent, the first batch's `C` fixes it. At most
    /// [`MAX_CONFUSION_CLASSES`].
    #[config(min = 1, max = 4096)]
    pub num_classes: Option<usize>,
}

/// The confusion matrix over every sample since the last reset (`"confusion_matrix"`).
///
/// ```
/// use minitrainer_core::{Tensor, metrics::{ConfusionMatrix, ConfusionMatrixConfig, Metric, MetricValue}};
/// let mut matrix = ConfusionMatrix::new(&ConfusionMatrixConfig::default());
/// let probs = Tensor::from_vec(vec![0.9, 0.1, 0.6, 0.4, 0.2, 0.8], &[3, 2])?;
/// matrix.update(&probs, &vec![0, 1, 1].into())?;
/// // Row = true class, column = predicted class.
/// assert_eq!(matrix.compute(), Some(MetricValue::ConfusionMatrix(vec![vec![1, 0], vec![1, 1]])));
/// # Ok::<(), minitrainer_core::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct ConfusionMatrix {
    classes: ClassCount,
    /// Row-major `[C, C]`, allocated by the first batch.
    counts: Vec<u64>,
    samples: u64,
}

impl ConfusionMatrix {
    /// A matrix over `config.num_classes` classes, or as many as the first batch has.
    pub fn new(config: &ConfusionMatrixConfig) -> Self {
        ConfusionMatrix {
            classes: ClassCount::new(config.num_classes),
            counts: Vec::new(),
            samples: 0,
        }
    }
}

impl Metric for ConfusionMatrix {
    fn name(&self) -> &str {
        "confusion_matrix"
    }

    /// # Errors
    /// The batch errors of [`MetricError`] (shape, labels, class count), and
    /// [`MetricError::TooManyClasses`] above [`MAX_CONFUSION_CLASSES`] classes.
    fn update(&mut self, prediction: &Tensor, target: &Target) -> Result<(), MetricError> {
        let num_classes = prediction.shape().get(1).copied().unwrap_or(0);
        if num_classes > MAX_CONFUSION_CLASSES {
            return Err(MetricError::TooManyClasses {
                metric: self.name().to_string(),
                num_classes,
                max: MAX_CONFUSION_CLASSES,
            });
        }
        let batch = ClassBatch::read("confusion_matrix", prediction, target, &mut self.classes)?;
        let c = batch.num_classes;
        if self.counts.len() != c * c {
            // Only on the first batch after a reset: the class count is fixed from then on.
            self.counts = vec![0; c * c];
        }
        for (row, label) in batch.rows() {
            self.counts[label * c + argmax(row)] += 1;
        }
        self.samples += batch.labels.len() as u64;
        Ok(())
    }

    /// A [`MetricValue::ConfusionMatrix`]; `None` until a sample has been seen.
    fn compute(&self) -> Option<MetricValue> {
        let c = self.classes.get()?;
        (self.samples > 0).then(|| {
            MetricValue::ConfusionMatrix(self.counts.chunks_exact(c).map(<[u64]>::to_vec).collect())
        })
    }

    fn reset(&mut self) {
        self.classes.reset();
        self.counts.clear();
        self.samples = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_pairs_of_true_and_predicted_class() -> crate::Result<()> {
        let mut metric = ConfusionMatrix::new(&ConfusionMatrixConfig::default());
        assert_eq!(metric.compute(), None);
        let probs = Tensor::from_vec(vec![0.1, 0.9, 0.0, 0.2, 0.3, 0.5, 0.7, 0.2, 0.1], &[3, 3])?;
        metric.update(&probs, &vec![1, 1, 2].into())?;
        metric.update(&probs, &vec![0, 2, 0].into())?;
        assert_eq!(
            metric.compute(),
            Some(MetricValue::ConfusionMatrix(vec![
                vec![1, 1, 0],
                vec![0, 1, 1],
                vec![1, 0, 1]
            ]))
        );
        metric.reset();
        assert_eq!(metric.compute(), None);
        Ok(())
    }

    #[test]
    fn too_many_classes_is_an_error_before_allocating() {
        let mut metric = ConfusionMatrix::new(&ConfusionMatrixConfig::default());
        let wide = Tensor::zeros(&[1, MAX_CONFUSION_CLASSES + 1]);
        assert!(matches!(
            metric.update(&wide, &vec![0].into()),
            Err(MetricError::TooManyClasses {
                num_classes: 4097,
                ..
            })
        ));
    }
}
