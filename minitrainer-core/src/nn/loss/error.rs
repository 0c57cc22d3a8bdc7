//! `LossError`: what can be wrong with a loss's inputs or options, all of it coming from data
//! or config text, so it is an error and never a panic.

use crate::config::{CallSyntaxError, ConfigError};
use crate::tensor::NotALabel;

/// A loss could not be computed from these inputs.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum LossError {
    /// A class label is neither a class index nor the ignored label.
    #[error(
        "{loss}: label {label} at position {position:?} is out of range for {classes} classes; \
         labels must be in 0..{classes} (or equal `ignore_index`, {ignore_index})"
    )]
    LabelOutOfRange {
        /// The loss (`cross_entropy`, `nll_loss`).
        loss: &'static str,
        /// The label.
        label: i64,
        /// Its position in the labels.
        position: Vec<usize>,
        /// The number of classes (the length of the input's axis 1).
        classes: usize,
        /// The label that is ignored.
        ignore_index: i64,
    },
    /// A label tensor held a value that is not a whole number.
    #[error("{loss}: {source}")]
    NotALabel {
        /// The loss.
        loss: &'static str,
        /// The value and its position.
        source: NotALabel,
    },
    /// The labels' shape does not fit the input's: labels `[N, d…]` for an input `[N, C, d…]`.
    #[error(
        "{loss}: labels of shape {labels:?} do not fit an input of shape {input:?}; expected \
         labels of shape {expected:?} (the input's shape without the class axis 1)"
    )]
    LabelShape {
        /// The loss.
        loss: &'static str,
        /// The input's shape.
        input: Vec<usize>,
        /// The labels' shape.
        labels: Vec<usize>,
        /// The shape the labels should have.
        expected: Vec<usize>,
    },
    /// The input has too few axes (the class losses need `[N, C, …]`).
    #[error("{loss}: an input of shape {shape:?} has no class axis; expected {expected}")]
    InputShape {
        /// The loss.
        loss: &'static str,
        /// The input's shape.
        shape: Vec<usize>,
        /// What the loss accepts.
        expected: &'static str,
    },
    /// Prediction and target shapes differ.
    #[error(
        "{loss}: the target's shape {target:?} differs from the prediction's {prediction:?}; \
         reshape one of them (losses do not broadcast)"
    )]
    ShapeMismatch {
        /// The loss.
        loss: &'static str,
        /// The prediction's shape.
        prediction: Vec<usize>,
        /// The target's shape.
        target: Vec<usize>,
    },
    /// A weight vector's length does not fit the input.
    #[error("{loss}: `{option}` has {len} entries, expected {expected}")]
    WeightLength {
        /// The loss.
        loss: &'static str,
        /// The option (`weight`, `pos_weight`).
        option: &'static str,
        /// Its length.
        len: usize,
        /// What fits (`5 (one per class)`).
        expected: String,
    },
    /// The loss's config breaks its rules (e.g. `label_smoothing` outside `0.0..=1.0`).
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A batch's targets are not the kind the loss takes (class labels for `mse_loss`).
    #[error(
        "{loss} takes {expected} as targets, but the batch has {found}; pick a loss for the data's targets"
    )]
    Targets {
        /// The loss.
        loss: String,
        /// What it takes.
        expected: &'static str,
        /// What the batch holds.
        found: &'static str,
    },
    /// No loss has this name.
    #[error("unknown loss {name:?}{}; known losses: {}", suggestion.as_ref().map(|s| format!(" (did you mean {s:?}?)")).unwrap_or_default(), known.join(", "))]
    UnknownLoss {
        /// The name given.
        name: String,
        /// The closest known name.
        suggestion: Option<String>,
        /// Every known name.
        known: Vec<&'static str>,
    },
    /// Malformed compact loss text.
    #[error(transparent)]
    Spec(#[from] CallSyntaxError),
}
