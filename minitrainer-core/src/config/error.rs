//! Config errors: malformed JSON, or a list of violations, each naming the dotted field path,
//! what was expected and the offending value.
//!
//! Decoding and validation never stop at the first problem: they push every [`Violation`] into
//! a [`Violations`] list, and the caller turns a non-empty list into [`ConfigError::Invalid`].

use std::fmt;

use serde_json::Value;

use super::violations::Violations;

/// A config was invalid or could not be parsed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The text is not well-formed JSON.
    #[error("malformed JSON at line {line}, column {column}: {message}")]
    Json {
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
        /// What the JSON parser expected.
        message: String,
    },
    /// The config is invalid; every problem found, in field order.
    #[error("{0}")]
    Invalid(Violations),
}

impl ConfigError {
    /// The violations of an [`ConfigError::Invalid`] error; empty for malformed JSON.
    pub fn violations(&self) -> &[Violation] {
        match self {
            ConfigError::Invalid(violations) => &violations.list,
            ConfigError::Json { .. } => &[],
        }
    }

    pub(crate) fn from_json_error(error: &serde_json::Error) -> Self {
        let full = error.to_string();
        // serde_json appends " at line L column C"; we report those as fields instead.
        let suffix = format!(" at line {} column {}", error.line(), error.column());
        let message = full.strip_suffix(&suffix).unwrap_or(&full).to_owned();
        ConfigError::Json {
            line: error.line(),
            column: error.column(),
            message,
        }
    }
}

/// One problem with one field of a config.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Violation {
    /// Dotted path of the field (`optimizer.lr`, `layers.0.width`); empty for the config itself.
    pub path: String,
    /// What is wrong.
    pub kind: ViolationKind,
}

/// What is wrong with a field.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ViolationKind {
    /// A value rule failed, e.g. `rule: "min"`, `expected: "must be >= 1"`, `value: "0"`.
    Rule {
        /// The attribute that failed: `min`, `max`, `range`, `non_empty`, `one_of`, `validate`;
        /// or `finite`, the rule every `f32`/`f64` field obeys without an attribute.
        rule: &'static str,
        /// What the rule requires, as a sentence fragment (`must be >= 1`).
        expected: String,
        /// The offending value, as JSON (a non-finite float as Rust writes it: `inf`, `NaN`).
        value: String,
    },
    /// A required field has no value.
    Missing,
    /// The JSON has a key that is not a field; `path` ends with that key.
    UnknownField {
        /// The closest field name, when the key looks like a typo of it.
        suggestion: Option<String>,
    },
    /// The JSON value has the wrong type, or is out of the type's range.
    WrongType {
        /// The expected Rust type (`usize`, `Vec<f32>`, `OptimizerConfig`).
        expected: String,
        /// The JSON value found.
        found: String,
    },
    /// A string is not one of an enum's variant names.
    UnknownVariant {
        /// The string found.
        found: String,
        /// The closest variant name, when the string looks like a typo of it.
        suggestion: Option<String>,
        /// Every variant name.
        expected: Vec<&'static str>,
    },
    /// A cross-field check (`#[config(check = ..)]`) failed.
    Check {
        /// Dotted paths of the fields involved.
        fields: Vec<String>,
        /// What the check requires.
        message: String,
    },
    /// The config text names a `model_type` (a saved `config.json`) that is not a model built
    /// from this config.
    WrongModelType {
        /// The `model_type` found (as JSON).
        found: String,
        /// The config type.
        config: &'static str,
        /// The model types registered with this config.
        expected: Vec<&'static str>,
    },
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The field whose value is wrong leads ("hidden: ..."); for keys of an object (missing,
        // unknown) the object leads, so the message can quote the key alone.
        let (parent, key) = match self.path.rsplit_once('.') {
            Some((parent, key)) => (parent, key),
            None => ("", self.path.as_str()),
        };
        let object_prefix = |f: &mut fmt::Formatter<'_>| {
            if parent.is_empty() {
                Ok(())
            } else {
                write!(f, "{parent}: ")
            }
        };
        let field_prefix = |f: &mut fmt::Formatter<'_>| {
            if self.path.is_empty() {
                Ok(())
            } else {
                write!(f, "{}: ", self.path)
            }
        };
        match &self.kind {
            ViolationKind::Rule {
                expected, value, ..
            } => {
                field_prefix(f)?;
                write!(f, "{expected}, got {value}")
            }
            ViolationKind::Missing => {
                object_prefix(f)?;
                write!(f, "missing required field \"{key}\"")
            }
            ViolationKind::UnknownField { suggestion } => {
                object_prefix(f)?;
                write!(f, "unknown field \"{key}\"")?;
                match suggestion {
                    Some(close) => write!(f, "; did you mean \"{close}\"?"),
                    None => Ok(()),
                }
            }
            ViolationKind::WrongType { expected, found } => {
                field_prefix(f)?;
                write!(f, "expected {expected}, got {found}")
            }
            ViolationKind::UnknownVariant {
                found,
                suggestion,
                expected,
            } => {
                field_prefix(f)?;
                write!(f, "unknown variant \"{found}\"")?;
                if let Some(close) = suggestion {
                    write!(f, "; did you mean \"{close}\"?")?;
                }
                let names: Vec<String> = expected.iter().map(|n| format!("\"{n}\"")).collect();
                write!(f, " expected one of {}", names.join(", "))
            }
            ViolationKind::Check { fields, message } => {
                write!(f, "{}: {message}", fields.join(", "))
            }
            ViolationKind::WrongModelType {
                found,
                config,
                expected,
            } => {
                let names: Vec<String> = expected.iter().map(|n| format!("\"{n}\"")).collect();
                write!(
                    f,
                    "model_type: `{config}` is the config of model type {}, but the text is for \
                     model type {found}",
                    names.join(" or ")
                )
            }
        }
    }
}

/// The error a cross-field check (`#[config(check = path::to::fn)]`) returns: the fields
/// involved and what they must satisfy.
///
/// ```
/// use minitrainer_core::config::CheckError;
///
/// struct Attention { d_model: usize, n_heads: usize }
///
/// fn heads_divide_width(c: &Attention) -> Result<(), CheckError> {
///     if c.d_model.is_multiple_of(c.n_heads) {
///         Ok(())
///     } else {
///         Err(CheckError::new(["d_model", "n_heads"], "d_model must be divisible by n_heads"))
///     }
/// }
/// # assert!(heads_divide_width(&Attention { d_model: 10, n_heads: 3 }).is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckError {
    pub(super) fields: Vec<String>,
    pub(super) message: String,
}

impl CheckError {
    /// A failed check involving `fields` (names of the config's own fields).
    pub fn new<I, S>(fields: I, message: impl Into<String>) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        CheckError {
            fields: fields.into_iter().map(Into::into).collect(),
            message: message.into(),
        }
    }
}

/// A short description of a JSON value for "got ..." in messages: the value itself, cut
/// after 40 characters (a whole nested object would drown the message).
pub(super) fn describe(value: &Value) -> String {
    const LIMIT: usize = 40;
    let text = value.to_string();
    match text.char_indices().nth(LIMIT) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text,
    }
}
