//! What every classification metric shares: reading a batch (`[N, C]` scores, `[N]` labels),
//! keeping the class count fixed across batches, and ranking a row's scores.
//!
//! Ranking: a higher score ranks first; NaN ranks above every number (as `torch.argmax` and
//! `torch.topk` treat it); among equal scores the lower class index ranks first. So top-1 is
//! `torch.argmax` (the first maximum), and top-k is `torch.topk` whenever the k-th place is not
//! tied. On a tie at the k-th place `torch.topk` promises no order (on CPU it returned classes
//! 2, 3, 0 for four equal scores) and sklearn's `top_k_accuracy_score` prefers the *higher*
//! index; the lower-index rule is deterministic and agrees with argmax.

use std::cmp::Ordering;

use super::error::MetricError;
use super::target::Target;
use crate::Tensor;

/// The number of classes of a metric: set by its config, or fixed by the first batch.
#[derive(Clone, Debug)]
pub(crate) struct ClassCount {
    configured: Option<usize>,
    seen: Option<usize>,
}

impl ClassCount {
    pub(crate) fn new(configured: Option<usize>) -> Self {
        ClassCount {
            configured,
            seen: None,
        }
    }

    /// The count, once known.
    pub(crate) fn get(&self) -> Option<usize> {
        self.configured.or(self.seen)
    }

    /// Forgets the count fixed by a batch (a configured count stays).
    pub(crate) fn reset(&mut self) {
        self.seen = None;
    }

    fn check(&self, metric: &str, found: usize) -> Result<(), MetricError> {
        let (expected, fixed_by) = match (self.configured, self.seen) {
            (Some(c), _) => (c, "the config (num_classes)"),
            (None, Some(c)) => (c, "the first batch"),
            (None, None) => return Ok(()),
        };
        if expected == found {
            return Ok(());
        }
        Err(MetricError::WidthChanged {
            metric: metric.to_string(),
            what: "classes",
            expected,
            fixed_by,
            found,
        })
    }
}

/// One checked batch: `scores` row-major `[N, C]`, one label per row, each below `C`.
pub(crate) struct ClassBatch {
    pub(crate) num_classes: usize,
    pub(crate) scores: Vec<f32>,
    pub(crate) labels: Vec<usize>,
}

impl ClassBatch {
    /// Checks a batch against the metric's class count and fixes the count if it was unset.
    /// Nothing is changed when a check fails.
    ///
    /// # Errors
    /// [`MetricError::PredictionShape`] (not `[N, C]` with `C >= 1`),
    /// [`MetricError::WidthChanged`], [`MetricError::BatchSizeMismatch`], and the label errors
    /// of [`Target`].
    pub(crate) fn read(
        metric: &str,
        prediction: &Tensor,
        target: &Target,
        classes: &mut ClassCount,
    ) -> Result<ClassBatch, MetricError> {
        let &[n, num_classes] = prediction.shape() else {
            return Err(prediction_shape(metric, prediction));
        };
        if num_classes == 0 {
            return Err(prediction_shape(metric, prediction));
        }
        classes.check(metric, num_classes)?;
        if target.len() != n {
            return Err(MetricError::BatchSizeMismatch {
                metric: metric.to_string(),
                predictions: n,
                targets: target.len(),
            });
        }
        let labels = target.labels(metric, num_classes)?;
        classes.seen = Some(num_classes);
        Ok(ClassBatch {
            num_classes,
            scores: prediction.to_vec(),
            labels,
        })
    }

    /// Each sample's scores and label.
    pub(crate) fn rows(&self) -> impl Iterator<Item = (&[f32], usize)> {
        self.scores
            .chunks_exact(self.num_classes)
            .zip(self.labels.iter().copied())
    }
}

fn prediction_shape(metric: &str, prediction: &Tensor) -> MetricError {
    MetricError::PredictionShape {
        metric: metric.to_string(),
        expected: "[N, C] with C >= 1 (logits or probabilities, one row per sample)",
        shape: prediction.shape().to_vec(),
    }
}

/// Orders scores as `torch.argmax`/`torch.topk` do: NaN above every number, `-0.0 == 0.0`.
fn score_cmp(x: f32, y: f32) -> Ordering {
    match (x.is_nan(), y.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
    }
}

/// The predicted class: the first index of the highest score. `row` is not empty.
pub(crate) fn argmax(row: &[f32]) -> usize {
    let mut best = 0;
    for (i, &x) in row.iter().enumerate().skip(1) {
        if score_cmp(x, row[best]) == Ordering::Greater {
            best = i;
        }
    }
    best
}

/// Whether `label` is among the `k` top-ranked classes of `row`: fewer than `k` classes rank
/// above it (higher score, or equal score and lower index). O(C), no sort.
pub(crate) fn in_top_k(row: &[f32], label: usize, k: usize) -> bool {
    let own = row[label];
    let above = row
        .iter()
        .enumerate()
        .filter(|&(i, &x)| match score_cmp(x, own) {
            Ordering::Greater => true,
            Ordering::Equal => i < label,
            Ordering::Less => false,
        })
        .count();
    above < k
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argmax_takes_the_first_maximum_and_nan_as_largest() {
        assert_eq!(argmax(&[0.1, 0.7, 0.7, 0.2]), 1);
        assert_eq!(argmax(&[0.1, f32::NAN, 3.0, f32::NAN]), 1);
        assert_eq!(argmax(&[-0.0, 0.0]), 0);
        assert_eq!(argmax(&[f32::NEG_INFINITY]), 0);
    }

    #[test]
    fn top_k_breaks_ties_toward_the_lower_index() {
        let row = [1.0, 1.0, 1.0, 1.0];
        assert!(in_top_k(&row, 0, 2));
        assert!(in_top_k(&row, 1, 2));
        assert!(!in_top_k(&row, 2, 2));
        assert!(in_top_k(&row, 3, 4));
        let row = [0.5, 2.0, f32::NAN, 1.0];
        assert!(in_top_k(&row, 2, 1));
        assert!(in_top_k(&row, 1, 2));
        assert!(!in_top_k(&row, 3, 2));
        // Top-1 is argmax.
        for label in 0..4 {
            assert_eq!(in_top_k(&row, label, 1), argmax(&row) == label);
        }
    }

    #[test]
    fn a_failed_read_leaves_the_class_count_unset() -> crate::Result<()> {
        let mut classes = ClassCount::new(None);
        let prediction = Tensor::zeros(&[2, 3]);
        let bad = Target::from(vec![0, 3]);
        assert!(ClassBatch::read("accuracy", &prediction, &bad, &mut classes).is_err());
        assert_eq!(classes.get(), None);
        ClassBatch::read(
            "accuracy",
            &prediction,
            &Target::from(vec![0, 2]),
            &mut classes,
        )?;
        assert_eq!(classes.get(), Some(3));
        let error = ClassBatch::read(
            "accuracy",
            &Tensor::zeros(&[1, 4]),
            &Target::from(vec![0]),
            &mut classes,
        )
        .err()
        .map(|e| e.to_string());
        assert_eq!(
            error.as_deref(),
            Some(
                "accuracy: this batch has 4 classes, but 3 were fixed by the first batch; every \
                 batch of one evaluation must have the same number of classes (call `reset` between \
                 evaluations of different tasks)"
            )
        );
        Ok(())
    }

    #[test]
    fn prediction_must_be_two_dimensional_with_classes() {
        let mut classes = ClassCount::new(None);
        for shape in [&[3][..], &[3, 0], &[1, 2, 3]] {
            let result = ClassBatch::read(
                "accuracy",
                &Tensor::zeros(shape),
                &Target::from(vec![0]),
                &mut classes,
            );
            assert!(
                matches!(result, Err(MetricError::PredictionShape { .. })),
                "{shape:?}"
            );
        }
    }
}
