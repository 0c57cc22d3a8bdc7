//! Config errors: malformed JSON, or a list of violations, each naming the dotted field path,
//! what was expected and the offending value.
//!
//! Decoding and validation never stop at the first problem: they push every [`Violation`] into
//! a [`Violations`] list, and the caller turns a non-empty list into [`ConfigError::Invalid`].

use std::fmt;

use serde_json::Value;

use super::path::FieldPath;
use crate::suggest::did_you_mean;

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

/// Unknown keys listed (each with its suggestion) before the rest are only counted: a text
/// with thousands of stray keys gets a short message, and no edit distance per key.
const UNKNOWN_FIELDS_LISTED: usize = 5;

/// Every violation found by one decode or validation, in the order found; past the first few
/// unknown keys, further unknown keys are counted instead of listed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Violations {
    list: Vec<Violation>,
    /// Unknown keys seen, listed or not.
    unknown_fields: usize,
}

impl Violations {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// The number of violations listed (not counting [`Violations::unlisted_unknown_fields`]).
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Unknown keys beyond the first five: counted, not listed (the message ends with
    /// "… and N more unknown keys").
    pub fn unlisted_unknown_fields(&self) -> usize {
        self.unknown_fields.saturating_sub(UNKNOWN_FIELDS_LISTED)
    }

    /// Whether nothing was found.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The violations, in the order found.
    pub fn iter(&self) -> std::slice::Iter<'_, Violation> {
        self.list.iter()
    }

    /// `Ok(())` when empty, else [`ConfigError::Invalid`] with every violation.
    ///
    /// # Errors
    /// When at least one violation was recorded.
    pub fn into_result(self) -> Result<(), ConfigError> {
        // Unlisted unknown keys come after listed ones, so an empty list means no problem.
        if self.list.is_empty() {
            Ok(())
        } else {
            Err(ConfigError::Invalid(self))
        }
    }

    /// Records a violation at `path`.
    pub fn push(&mut self, path: &FieldPath<'_>, kind: ViolationKind) {
        self.list.push(Violation {
            path: path.to_string(),
            kind,
        });
    }

    /// Records a failed value rule.
    pub fn rule(
        &mut self,
        path: &FieldPath<'_>,
        rule: &'static str,
        expected: String,
        value: &Value,
    ) {
        self.rule_shown(path, rule, expected, value.to_string());
    }

    /// Records a failed value rule whose value is already written out (`inf`, which JSON
    /// can't express).
    pub(crate) fn rule_shown(
        &mut self,
        path: &FieldPath<'_>,
        rule: &'static str,
        expected: String,
        value: String,
    ) {
        self.push(
            path,
            ViolationKind::Rule {
                rule,
                expected,
                value,
            },
        );
    }

    /// Records a required field with no value.
    pub fn missing(&mut self, path: &FieldPath<'_>) {
        self.push(path, ViolationKind::Missing);
    }

    /// Records a JSON value of the wrong type.
    pub fn wrong_type(&mut self, path: &FieldPath<'_>, expected: String, found: &Value) {
        self.push(
            path,
            ViolationKind::WrongType {
                expected,
                found: describe(found),
            },
        );
    }

    /// Records a JSON key of `object` that is none of `fields`, suggesting the closest field.
    /// Past the first five unknown keys (of the whole config), only counts it.
    pub fn unknown_field(&mut self, object: &FieldPath<'_>, key: &str, fields: &[&str]) {
        self.unknown_fields += 1;
        if self.unknown_fields > UNKNOWN_FIELDS_LISTED {
            return;
        }
        let suggestion = did_you_mean(key, fields.iter().copied()).map(str::to_owned);
        self.push(
            &object.field(key),
            ViolationKind::UnknownField { suggestion },
        );
    }

    /// Records a string that is none of an enum's `variants`, suggesting the closest one.
    pub fn unknown_variant(
        &mut self,
        path: &FieldPath<'_>,
        found: &str,
        variants: &[&'static str],
    ) {
        let suggestion = did_you_mean(found, variants.iter().copied()).map(str::to_owned);
        self.push(
            path,
            ViolationKind::UnknownVariant {
                found: found.to_owned(),
                suggestion,
                expected: variants.to_vec(),
            },
        );
    }

    /// Records a failed cross-field check of the config at `path`.
    pub fn check(&mut self, path: &FieldPath<'_>, error: CheckError) {
        let fields = error
            .fields
            .iter()
            .map(|field| path.field(field).to_string())
            .collect();
        self.push(
            path,
            ViolationKind::Check {
                fields,
                message: error.message,
            },
        );
    }
}

impl fmt::Display for Violations {
    /// One violation per line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, violation) in self.list.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{violation}")?;
        }
        match self.unlisted_unknown_fields() {
            0 => Ok(()),
            1 => f.write_str("\n… and 1 more unknown key"),
            n => write!(f, "\n… and {n} more unknown keys"),
        }
    }
}

impl<'a> IntoIterator for &'a Violations {
    type Item = &'a Violation;
    type IntoIter = std::slice::Iter<'a, Violation>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
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
    fields: Vec<String>,
    message: String,
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
fn describe(value: &Value) -> String {
    const LIMIT: usize = 40;
    let text = value.to_string();
    match text.char_indices().nth(LIMIT) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text,
    }
}
