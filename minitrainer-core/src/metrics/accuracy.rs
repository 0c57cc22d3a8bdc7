//! [`Accuracy`]: the fraction of samples whose label is the top-scored class, or among the k
//! top-scored classes (`top_k_accuracy`).
//!
//! Sufficient statistics: two counts (hits, samples). Equal to sklearn's `accuracy_score` on
//! the argmax, and to `top_k_accuracy_score` / torchmetrics' `MulticlassAccuracy(top_k=k,
//! average="micro")` when the k-th place is not tied (ties: see `classes.rs`).

use minitrainer_macros::Config;

use super::classes::{ClassBatch, ClassCount, argmax, in_top_k};
use super::{Metric, MetricError, MetricValue, Target};
use crate::Tensor;
use crate::config::CheckError;

/// Options of the metrics that only need the class count (`accuracy`, `classification_report`,
/// `precision`'s and the others' shared part).
#[derive(Config, Clone, Debug, PartialEq)]
pub struct ClassesConfig {
    /// The number of classes; when absent, the first batch's `C` fixes it. When set, a batch
    /// with another `C` is an error. At most 2²⁴ (larger labels are not exact in an `f32`
    /// tensor).
    #[config(min = 1, max = 16_777_216)]
    pub num_classes: Option<usize>,
}

/// Options of `top_k_accuracy`.
#[derive(Config, Clone, Debug, PartialEq)]
#[config(check = k_fits)]
pub struct TopKAccuracyConfig {
    /// A sample counts as correct when its label is among the `k` top-scored classes.
    #[config(min = 1)]
    pub k: usize,
    /// As in [`ClassesConfig`]; when set, `k` may not exceed it.
    #[config(min = 1, max = 16_777_216)]
    pub num_classes: Option<usize>,
}

impl TopKAccuracyConfig {
    /// Top-`k` with the class count fixed by the first batch.
    pub fn new(k: usize) -> Self {
        TopKAccuracyConfig {
            k,
            num_classes: None,
        }
    }
}

fn k_fits(config: &TopKAccuracyConfig) -> Result<(), CheckError> {
    match config.num_classes {
        Some(c) if config.k > c => Err(CheckError::new(
            ["k", "num_classes"],
            format!("k ({}) may not exceed num_classes ({c})", config.k),
        )),
        _ => Ok(()),
    }
}

/// Accuracy over every sample seen since the last reset: `hits / samples`.
///
/// Reads predictions `[N, C]` (logits or probabilities: only the order of a row matters) and
/// labels `[N]`. Named `"accuracy"`, or `"top{k}_accuracy"` for top-k.
///
/// ```
/// use minitrainer_core::{Tensor, metrics::{Accuracy, ClassesConfig, Metric, MetricValue}};
/// let mut accuracy = Accuracy::new(&ClassesConfig::default());
/// let logits = Tensor::from_vec(vec![2.0, 1.0, 0.0, 0.5, 0.1, 3.0], &[2, 3])?;
/// accuracy.update(&logits, &vec![0, 1].into())?;
/// assert_eq!(accuracy.compute(), Some(MetricValue::Scalar(0.5)));
/// # Ok::<(), minitrainer_core::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Accuracy {
    name: String,
    k: usize,
    classes: ClassCount,
    hits: u64,
    samples: u64,
}

impl Accuracy {
    /// Top-1 accuracy (`"accuracy"`).
    pub fn new(config: &ClassesConfig) -> Self {
        Accuracy::with_k("accuracy".to_string(), 1, config.num_classes)
    }

    /// Top-k accuracy (`"top{k}_accuracy"`, e.g. `"top5_accuracy"`).
    pub fn top_k(config: &TopKAccuracyConfig) -> Self {
        Accuracy::with_k(
            format!("top{}_accuracy", config.k),
            config.k,
            config.num_classes,
        )
    }

    fn with_k(name: String, k: usize, num_classes: Option<usize>) -> Self {
        Accuracy {
            name,
            k,
            classes: ClassCount::new(num_classes),
            hits: 0,
            samples: 0,
        }
    }

    /// The raw counts: (correct samples, samples).
    pub fn counts(&self) -> (u64, u64) {
        (self.hits, self.samples)
    }
}

impl Metric for Accuracy {
    fn name(&self) -> &str {
        &self.name
    }

    /// # Errors
    /// The batch errors of [`MetricError`] (shape, labels, class count), and
    /// [`MetricError::KTooLarge`] when `k` exceeds the batch's class count.
    fn update(&mut self, prediction: &Tensor, target: &Target) -> Result<(), MetricError> {
        let mut classes = self.classes.clone();
        let batch = ClassBatch::read(&self.name, prediction, target, &mut classes)?;
        if self.k > batch.num_classes {
            return Err(MetricError::KTooLarge {
                metric: self.name.clone(),
                k: self.k,
                num_classes: batch.num_classes,
            });
        }
        let hits = batch
            .rows()
            .filter(|&(row, label)| match self.k {
                1 => argmax(row) == label,
                k => in_top_k(row, label, k),
            })
            .count();
        self.classes = classes;
        self.hits += hits as u64;
        self.samples += batch.labels.len() as u64;
        Ok(())
    }

    /// `None` until a sample has been seen.
    fn compute(&self) -> Option<MetricValue> {
        (self.samples > 0).then(|| MetricValue::Scalar(self.hits as f64 / self.samples as f64))
    }

    fn reset(&mut self) {
        self.classes.reset();
        self.hits = 0;
        self.samples = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn logits() -> crate::Result<Tensor> {
        // Rows rank: [1, 0, 2], [2, 1, 0], [0, 2, 1], [1, 2, 0].
        Ok(Tensor::from_vec(
            vec![0.5, 0.9, 0.1, 0.1, 0.2, 0.7, 3.0, 1.0, 2.0, 0.0, 5.0, 4.0],
            &[4, 3],
        )?)
    }

    #[test]
    fn accuracy_counts_argmax_hits() -> crate::Result<()> {
        let mut metric = Accuracy::new(&ClassesConfig::default());
        metric.update(&logits()?, &vec![1, 0, 0, 2].into())?;
        // argmax = 1, 2, 0, 1 → hits at positions 0 and 2.
        assert_eq!(metric.counts(), (2, 4));
        assert_eq!(metric.compute(), Some(MetricValue::Scalar(0.5)));
        Ok(())
    }

    #[test]
    fn top_k_accuracy_counts_labels_among_the_k_best() -> crate::Result<()> {
        let mut metric = Accuracy::top_k(&TopKAccuracyConfig::new(2));
        assert_eq!(metric.name(), "top2_accuracy");
        metric.update(&logits()?, &vec![1, 0, 0, 2].into())?;
        // Second choices: 0, 1, 2, 2 → label 2 of the last row is a hit; label 0 of row 1 is not.
        assert_eq!(metric.counts(), (3, 4));
        Ok(())
    }

    #[test]
    fn compute_before_any_sample_is_none_and_reset_forgets() -> crate::Result<()> {
        let mut metric = Accuracy::new(&ClassesConfig::default());
        assert_eq!(metric.compute(), None);
        metric.update(&Tensor::zeros(&[0, 3]), &vec![].into())?;
        assert_eq!(metric.compute(), None);
        metric.update(&logits()?, &vec![1, 0, 0, 2].into())?;
        metric.reset();
        assert_eq!(metric.compute(), None);
        // The class count was forgotten too: another C is accepted after a reset.
        metric.update(&Tensor::zeros(&[1, 5]), &vec![0].into())?;
        assert_eq!(metric.compute(), Some(MetricValue::Scalar(1.0)));
        Ok(())
    }

    #[test]
    fn k_above_the_class_count_is_an_error_and_changes_nothing() -> crate::Result<()> {
        let mut metric = Accuracy::top_k(&TopKAccuracyConfig::new(4));
        let error = metric
            .update(&logits()?, &vec![1, 0, 0, 2].into())
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "top4_accuracy: k = 4 is larger than the number of classes (3); choose k between 1 and 3"
        );
        assert_eq!(metric.compute(), None);
        // The failed batch did not fix the class count.
        metric.update(&Tensor::zeros(&[1, 6]), &vec![3].into())?;
        Ok(())
    }

    #[test]
    fn configured_class_count_is_enforced() -> crate::Result<()> {
        let mut metric = Accuracy::new(&ClassesConfig {
            num_classes: Some(4),
        });
        let error = metric
            .update(&logits()?, &vec![1, 0, 0, 2].into())
            .unwrap_err();
        assert!(
            error
                .to_string()
                .contains("fixed by the config (num_classes)"),
            "{error}"
        );
        Ok(())
    }

    #[test]
    fn top_k_config_rejects_k_above_num_classes() {
        let error = TopKAccuracyConfig::from_json(r#"{"k": 5, "num_classes": 3}"#).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("k (5) may not exceed num_classes (3)"),
            "{error}"
        );
        assert!(TopKAccuracyConfig::from_json(r#"{"k": 0}"#).is_err());
    }
}
