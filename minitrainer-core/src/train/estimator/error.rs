//! `EstimatorError`: the estimator's own mistakes to report — data that does not fit the
//! model, parameters that are not parameters, an `estimator.json` that is not one.

use std::path::PathBuf;

use super::super::error::TrainError;

/// Why an estimator refused its data, its parameters or a saved directory.
///
/// Errors of the layers below (a config rule, an optimizer spec, the loss, the trainer) keep
/// their own types; these are the estimator's.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EstimatorError {
    /// `x` and `y` do not hold the same number of samples.
    #[error(
        "x has {x_rows} rows but y has {y_rows} targets: give one target per row of x \
         (both are indexed by sample along their first axis)"
    )]
    LengthMismatch {
        /// Rows of `x` (its first axis).
        x_rows: usize,
        /// Targets in `y`.
        y_rows: usize,
    },

    /// `x` has no sample, or no first axis.
    #[error(
        "x has shape {shape:?}: `{method}` needs at least one sample, as x[N, ...] with N >= 1"
    )]
    NoSamples {
        /// The method called.
        method: &'static str,
        /// The shape of `x`.
        shape: Vec<usize>,
    },

    /// A class label is not below the model's number of outputs.
    #[error(
        "label {label} (sample {sample}) is out of range: the model outputs {classes} classes, \
         so labels must be in 0..{classes}; widen the model's output or fix the labels"
    )]
    LabelOutOfRange {
        /// The label.
        label: usize,
        /// Its position in `y`.
        sample: usize,
        /// The model's output width.
        classes: usize,
    },

    /// The model's output does not have the shape the estimator needs.
    #[error(
        "a {estimator} needs a model whose output is {expected}, but `{model_type}` outputs \
         shape {shape:?} for a batch of one"
    )]
    OutputShape {
        /// `"Classifier"` or `"Regressor"`.
        estimator: &'static str,
        /// The model's registered name.
        model_type: String,
        /// The shape needed, in words.
        expected: &'static str,
        /// The model's output shape for one sample.
        shape: Vec<usize>,
    },

    /// Regression targets whose per-sample shape differs from the model's per-sample output.
    #[error(
        "each target has shape {target:?} but `{model_type}` outputs {output:?} per sample: give \
         y as [N] for one output or [N, outputs], or change the model's output width"
    )]
    TargetShape {
        /// One sample's target shape.
        target: Vec<usize>,
        /// The model's registered name.
        model_type: String,
        /// One sample's output shape.
        output: Vec<usize>,
    },

    /// `set_params` was given a key that is neither `model` nor `options`.
    #[error(
        "unknown parameter group \"{key}\"{}: parameters are {{\"model\": {{...}}, \
         \"options\": {{...}}}}, as `get_params` returns them",
        suggestion.as_ref().map(|s| format!("; did you mean {s}?")).unwrap_or_default()
    )]
    UnknownParam {
        /// The key given.
        key: String,
        /// A likely intended key (`"options"`, or `{"options": {"epochs": ...}}` for a bare
        /// option name).
        suggestion: Option<String>,
    },

    /// A parameter group was not a JSON object.
    #[error("parameters `{group}` must be a JSON object, got {found}")]
    NotAnObject {
        /// `"params"`, `"model"` or `"options"`.
        group: &'static str,
        /// The JSON given.
        found: String,
    },

    /// A parameter group failed validation.
    #[error("invalid `{group}` parameters: {source}")]
    Params {
        /// `"model"` or `"options"`.
        group: &'static str,
        /// The config, registry, optimizer or loss error, naming the field.
        #[source]
        source: Box<crate::Error>,
    },

    /// A saved estimator's `estimator.json` is for another kind of estimator.
    #[error(
        "`{}` holds a {found}, not a {expected}: load it with `{found}::load`",
        path.display()
    )]
    WrongKind {
        /// The `estimator.json` file.
        path: PathBuf,
        /// The kind asked for.
        expected: &'static str,
        /// The kind in the file.
        found: String,
    },

    /// A saved estimator's `estimator.json` cannot be read as one.
    #[error("`{}` is not an estimator file: {reason}", path.display())]
    BadFile {
        /// The `estimator.json` file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },

    /// The score is not defined on this data (R² of fewer than two samples).
    #[error("the {metric} score is undefined here: {reason}")]
    ScoreUndefined {
        /// The metric.
        metric: &'static str,
        /// Why.
        reason: &'static str,
    },
}

impl From<EstimatorError> for crate::Error {
    fn from(error: EstimatorError) -> Self {
        crate::Error::Train(TrainError::Estimator(error))
    }
}

impl EstimatorError {
    /// Wraps a validation error of a parameter group.
    pub(super) fn params(group: &'static str, source: impl Into<crate::Error>) -> Self {
        EstimatorError::Params {
            group,
            source: Box::new(source.into()),
        }
    }
}
