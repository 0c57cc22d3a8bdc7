//! Errors of the metrics: batches that do not fit the metric (shapes, labels, class counts) and
//! metric specs that do not name a metric (`metric_from_str`).
//!
//! An `update` that returns an error has changed nothing: every check runs before the first
//! count is added.

use crate::config::{CallSyntaxError, ConfigError};

/// A batch did not fit a metric, or a metric spec could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MetricError {
    /// A class label is not below the number of classes.
    #[error(
        "{metric}: label {label} at position {position} is out of range for {num_classes} \
         classes (labels must be 0..{num_classes}); check the labels or the prediction's last axis"
    )]
    LabelOutOfRange {
        /// The metric's name.
        metric: String,
        /// The label found.
        label: usize,
        /// Its position in the batch.
        position: usize,
        /// The number of classes (the prediction's second axis).
        num_classes: usize,
    },

    /// A label tensor holds a value that is not a class label.
    #[error(
        "{metric}: label {value} at position {position} is not a non-negative whole number \
         (at most 2^24, where f32 stops holding every whole number); a label tensor must hold \
         0, 1, 2, …"
    )]
    NotALabel {
        /// The metric's name.
        metric: String,
        /// The value found.
        value: f32,
        /// Its position in the batch.
        position: usize,
    },

    /// The prediction and the target hold different numbers of samples.
    #[error(
        "{metric}: the prediction holds {predictions} samples but the target holds {targets}; \
         give one target per prediction row"
    )]
    BatchSizeMismatch {
        /// The metric's name.
        metric: String,
        /// Samples in the prediction (its first axis).
        predictions: usize,
        /// Samples in the target.
        targets: usize,
    },

    /// The prediction's shape is not the one the metric reads.
    #[error("{metric}: expected a prediction of shape {expected}, got {shape:?}")]
    PredictionShape {
        /// The metric's name.
        metric: String,
        /// The shape expected, e.g. `"[N, C] (logits or probabilities)"`.
        expected: &'static str,
        /// The shape given.
        shape: Vec<usize>,
    },

    /// The target's shape is not the one the metric reads.
    #[error("{metric}: expected a target of shape {expected}, got {shape:?}")]
    TargetShape {
        /// The metric's name.
        metric: String,
        /// The shape expected, e.g. `"[N] (one class label per sample)"`.
        expected: String,
        /// The shape given.
        shape: Vec<usize>,
    },

    /// A regression metric was given class labels instead of a tensor of values.
    #[error(
        "{metric}: expected the target values as a tensor (`Target::Tensor`), got class labels \
         (`Target::Labels`)"
    )]
    LabelsForRegression {
        /// The metric's name.
        metric: String,
    },

    /// `k` of a top-k metric is larger than the number of classes.
    #[error(
        "{metric}: k = {k} is larger than the number of classes ({num_classes}); choose k \
         between 1 and {num_classes}"
    )]
    KTooLarge {
        /// The metric's name.
        metric: String,
        /// The configured k.
        k: usize,
        /// The number of classes of the batch.
        num_classes: usize,
    },

    /// The number of classes (or of regression outputs) differs from the one fixed before.
    #[error(
        "{metric}: this batch has {found} {what}, but {expected} were fixed by {fixed_by}; \
         every batch of one evaluation must have the same number of {what} (call `reset` between \
         evaluations of different tasks)"
    )]
    WidthChanged {
        /// The metric's name.
        metric: String,
        /// `"classes"` or `"outputs"`.
        what: &'static str,
        /// The count fixed earlier.
        expected: usize,
        /// What fixed it: `"the first batch"` or `"the config (num_classes)"`.
        fixed_by: &'static str,
        /// The count in this batch.
        found: usize,
    },

    /// A confusion matrix over this many classes would not fit in memory.
    #[error(
        "{metric}: a confusion matrix over {num_classes} classes would hold {num_classes}² \
         counts (at most {max} classes are supported); use `classification_report`, whose \
         memory grows with the class count only"
    )]
    TooManyClasses {
        /// The metric's name.
        metric: String,
        /// The number of classes asked for.
        num_classes: usize,
        /// The largest supported.
        max: usize,
    },

    /// The compact form of a metric spec (`top_k_accuracy(k=5)`) is malformed.
    #[error(transparent)]
    Syntax(#[from] CallSyntaxError),

    /// No metric has this name.
    #[error(
        "unknown metric \"{name}\"{}; known metrics: {}",
        .suggestion.map(|s| format!("; did you mean \"{s}\"?")).unwrap_or_default(),
        .known.iter().map(|k| format!("\"{k}\"")).collect::<Vec<_>>().join(", ")
    )]
    UnknownMetric {
        /// The name asked for.
        name: String,
        /// The closest known name, when one is close enough to be a typo.
        suggestion: Option<&'static str>,
        /// Every known name.
        known: Vec<&'static str>,
    },

    /// A metric's options are invalid (unknown key, wrong type, violated rule).
    #[error("invalid options for metric \"{metric}\": {source}")]
    Config {
        /// The metric name.
        metric: String,
        /// What was wrong.
        #[source]
        source: ConfigError,
    },

    /// Two metrics of one [`MetricSet`](super::MetricSet) have the same name (their values
    /// would overwrite each other in a log).
    #[error("metric \"{name}\" is listed twice; each metric of a set needs its own name")]
    DuplicateName {
        /// The name given twice.
        name: String,
    },
}
