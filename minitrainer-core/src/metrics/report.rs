//! [`ClassificationReport`]: sklearn's `classification_report` — per-class precision, recall,
//! F1 and support, accuracy, and the macro and weighted averages — from per-class counts.

use super::class_counts::{ClassCounts, macro_average, weighted_average};
use super::classes::{ClassBatch, ClassCount};
use super::value::Report;
use super::{ClassesConfig, Metric, MetricError, MetricValue, Target};
use crate::Tensor;

/// The classification report over every sample since the last reset (`"classification_report"`).
///
/// Equal to sklearn's `classification_report(y, argmax, labels=range(C), zero_division=0,
/// output_dict=True)`: every class `0..C` has an entry, classes never seen nor predicted
/// included (scoring 0, counted in the macro average). Memory: three counts per class.
///
/// ```
/// use minitrainer_core::{Tensor, metrics::{ClassificationReport, ClassesConfig, Metric, MetricValue}};
/// let mut report = ClassificationReport::new(&ClassesConfig::default());
/// let probs = Tensor::from_vec(vec![0.9, 0.1, 0.6, 0.4, 0.2, 0.8], &[3, 2])?;
/// report.update(&probs, &vec![0, 1, 1].into())?;
/// let Some(MetricValue::Report(value)) = report.compute() else { panic!("a report") };
/// assert_eq!(value.classes[1].recall, 0.5);
/// assert_eq!(report.compute().map(|v| v.to_json()["macro avg"]["precision"].clone()), Some(0.75.into()));
/// # Ok::<(), minitrainer_core::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct ClassificationReport {
    classes: ClassCount,
    counts: ClassCounts,
}

impl ClassificationReport {
    /// A report over `config.num_classes` classes, or as many as the first batch has.
    pub fn new(config: &ClassesConfig) -> Self {
        ClassificationReport {
            classes: ClassCount::new(config.num_classes),
            counts: ClassCounts::default(),
        }
    }

    /// The per-class counts accumulated so far.
    pub fn counts(&self) -> &ClassCounts {
        &self.counts
    }
}

impl Metric for ClassificationReport {
    fn name(&self) -> &str {
        "classification_report"
    }

    /// # Errors
    /// The batch errors of [`MetricError`] (shape, labels, class count).
    fn update(&mut self, prediction: &Tensor, target: &Target) -> Result<(), MetricError> {
        let batch = ClassBatch::read(
            "classification_report",
            prediction,
            target,
            &mut self.classes,
        )?;
        self.counts.add(&batch);
        Ok(())
    }

    /// A [`MetricValue::Report`]; `None` until a sample has been seen.
    fn compute(&self) -> Option<MetricValue> {
        if self.counts.samples() == 0 {
            return None;
        }
        let classes = self.counts.per_class();
        Some(MetricValue::Report(Report {
            accuracy: self.counts.accuracy(),
            macro_avg: macro_average(&classes),
            weighted_avg: weighted_average(&classes),
            classes,
        }))
    }

    fn reset(&mut self) {
        self.classes.reset();
        self.counts = ClassCounts::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_holds_every_class_and_both_averages() -> crate::Result<()> {
        let mut metric = ClassificationReport::new(&ClassesConfig {
            num_classes: Some(3),
        });
        // Predicted 0, 0, 1; labels 0, 1, 1; class 2 never appears.
        let probs = Tensor::from_vec(vec![0.9, 0.1, 0.0, 0.6, 0.4, 0.0, 0.2, 0.8, 0.0], &[3, 3])?;
        metric.update(&probs, &vec![0, 1, 1].into())?;
        let Some(MetricValue::Report(report)) = metric.compute() else {
            panic!("expected a report");
        };
        assert_eq!(report.classes.len(), 3);
        assert_eq!(report.accuracy, 2.0 / 3.0);
        // precision 1/2, 1/1, 0 → macro 0.5; support 1, 2, 0 → weighted (0.5 + 2) / 3
        assert_eq!(report.macro_avg.precision, 0.5);
        assert_eq!(report.weighted_avg.precision, 2.5 / 3.0);
        assert_eq!(report.macro_avg.support, 3);
        metric.reset();
        assert_eq!(metric.compute(), None);
        Ok(())
    }
}
