//! `Violations`: every problem one decode or validation found, in the order found; past the
//! first few unknown keys, further unknown keys are counted instead of listed.

use std::fmt;

use serde_json::Value;

use super::error::{CheckError, ConfigError, Violation, ViolationKind, describe};
use super::path::FieldPath;
use crate::suggest::did_you_mean;

/// Unknown keys listed (each with its suggestion) before the rest are only counted: a text
/// with thousands of stray keys gets a short message, and no edit distance per key.
const UNKNOWN_FIELDS_LISTED: usize = 5;

/// Every violation found by one decode or validation, in the order found; past the first few
/// unknown keys, further unknown keys are counted instead of listed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Violations {
    pub(super) list: Vec<Violation>,
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
