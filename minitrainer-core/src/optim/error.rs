//! `OptimError`: building an optimizer (hyperparameters, groups, names) and loading its state.

use crate::config::{CallSyntaxError, ConfigError};
use crate::weights::IoError;

/// Building an optimizer or loading its state failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OptimError {
    /// A hyperparameter broke its rule (the violation names the field, e.g. `lr`).
    #[error("invalid optimizer config: {0}")]
    Config(#[from] ConfigError),

    /// The compact form (`adamw(lr=3e-4)`) was malformed.
    #[error(transparent)]
    Spec(#[from] CallSyntaxError),

    /// `optimizer_from_str` named no known optimizer.
    #[error(
        "unknown optimizer \"{name}\"{}; known optimizers: {}",
        suggestion.as_ref().map(|s| format!("; did you mean \"{s}\"?")).unwrap_or_default(),
        known.join(", ")
    )]
    UnknownOptimizer {
        /// The name given.
        name: String,
        /// The closest known name, when it looks like a typo.
        suggestion: Option<String>,
        /// Every known name.
        known: Vec<&'static str>,
    },

    /// The model has no trainable parameter (all frozen, or none at all).
    #[error("the model has no trainable parameter to optimize (unfreeze some, or check the model)")]
    NoParameters,

    /// A parameter group's pattern matches no trainable parameter.
    #[error(
        "parameter group pattern `{pattern}` matches no trainable parameter{}",
        suggestion.as_ref().map(|s| format!("; did you mean `{s}`?")).unwrap_or_default()
    )]
    NoMatch {
        /// The pattern given.
        pattern: String,
        /// The closest parameter or module path, when it looks like a typo.
        suggestion: Option<String>,
    },

    /// Every parameter a group's pattern matches already joined an earlier group.
    #[error(
        "parameter group pattern `{pattern}` gets no parameter: every one it matches joined \
         the earlier group `{earlier}` (a parameter joins the first group that matches; put \
         the narrower pattern first)"
    )]
    ShadowedGroup {
        /// The pattern that got nothing.
        pattern: String,
        /// The earlier pattern that took its parameters.
        earlier: String,
    },

    /// Saved state belongs to another optimizer type.
    #[error("optimizer state was saved by `{found}`, not `{expected}` (nothing was loaded)")]
    WrongOptimizer {
        /// This optimizer's name.
        expected: &'static str,
        /// The name recorded in the state.
        found: String,
    },

    /// Saved state does not fit this optimizer's parameters; nothing was loaded.
    #[error("optimizer state does not fit (nothing was loaded):{}", list_problems(.problems))]
    StateMismatch {
        /// One line per problem: missing, unexpected or mis-shaped entries, group differences.
        problems: Vec<String>,
    },

    /// The state file's metadata is missing or not what this crate writes.
    #[error("malformed optimizer state: {0}")]
    MalformedState(String),

    /// The state file could not be read or written.
    #[error(transparent)]
    Io(#[from] IoError),
}

fn list_problems(problems: &[String]) -> String {
    problems.iter().map(|p| format!("\n  - {p}")).collect()
}
