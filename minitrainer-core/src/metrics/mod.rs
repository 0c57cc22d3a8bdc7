//! Evaluation metrics accumulated over batches: accuracy, top-k accuracy, precision, recall,
//! F1, the classification report, the confusion matrix, MAE, R² and the mean loss.
//!
//! Every metric is *streaming*: [`Metric::update`] adds a batch's sufficient statistics
//! (counts, f64 sums), [`Metric::compute`] turns them into the value, [`Metric::reset`]
//! starts over. So an evaluation never holds every prediction, and the value over uneven
//! batches equals the value over the whole set at once. The numbers are sklearn's (and
//! torchmetrics' where the two agree); each metric's docs say which function it matches and
//! where the libraries differ.
//!
//! Inputs: classification metrics read predictions `[N, C]` (logits or probabilities; the
//! argmax, or the k best, are the predicted classes) and labels `[N]` ([`Target`]);
//! regression metrics read a prediction and a [`Target::Tensor`] of the same shape.
//!
//! Error policy: a batch that does not fit (shapes, a label `>= C`, a class count that
//! changes) is a [`MetricError`] and leaves the metric unchanged. [`Metric::compute`] returns
//! `None` until the metric has seen enough samples to be defined (one, or two for R²), never
//! a silent 0.
//!
//! Entry points: the metric types, [`metric_from_str`] (by name, for run files) and
//! [`MetricSet`].

mod accuracy;
mod class_counts;
mod class_score;
mod classes;
mod confusion;
mod error;
mod factory;
mod mae;
mod mean_loss;
mod r2;
mod report;
mod set;
mod target;
mod value;

pub use accuracy::{Accuracy, ClassesConfig, TopKAccuracyConfig};
pub use class_counts::ClassCounts;
pub use class_score::{Average, ClassScore, ClassScoreConfig, Score};
pub use confusion::{ConfusionMatrix, ConfusionMatrixConfig, MAX_CONFUSION_CLASSES};
pub use error::MetricError;
pub use factory::{METRIC_NAMES, NoOptions, metric_from_str};
pub use mae::Mae;
pub use mean_loss::MeanLoss;
pub use r2::R2Score;
pub use report::ClassificationReport;
pub use set::MetricSet;
pub use target::Target;
pub use value::{MetricValue, Report, Scores};

use crate::Tensor;

/// A metric accumulated over batches.
///
/// Object safe and `Send`, so a trainer holds `Vec<Box<dyn Metric>>` and may evaluate on
/// another thread.
pub trait Metric: Send {
    /// The key of this metric's value in a log: `"accuracy"`, `"top5_accuracy"`,
    /// `"f1_macro"`, `"mae"`, …
    fn name(&self) -> &str;

    /// Adds one batch.
    ///
    /// # Errors
    /// [`MetricError`] when the batch does not fit the metric (see each metric); the metric is
    /// then unchanged.
    fn update(&mut self, prediction: &Tensor, target: &Target) -> Result<(), MetricError>;

    /// The value over every batch since the last reset; `None` before the metric is defined
    /// (no sample yet, or one sample for R²).
    fn compute(&self) -> Option<MetricValue>;

    /// Forgets every batch (and a class count fixed by a batch; a configured one stays).
    fn reset(&mut self);
}

/// A boxed metric (what [`metric_from_str`] returns) is a metric.
impl<M: Metric + ?Sized> Metric for Box<M> {
    fn name(&self) -> &str {
        (**self).name()
    }
    fn update(&mut self, prediction: &Tensor, target: &Target) -> Result<(), MetricError> {
        (**self).update(prediction, target)
    }
    fn compute(&self) -> Option<MetricValue> {
        (**self).compute()
    }
    fn reset(&mut self) {
        (**self).reset();
    }
}
