//! Saved scheduler states: the JSON encoding of their numbers, and `StateReader`, which reads a
//! state back field by field with errors naming the field.
//!
//! Floats are JSON numbers (serde_json writes the shortest form that reads back to the same
//! bits); JSON has no infinity or NaN, so those are the strings `"inf"`, `"-inf"`, `"nan"`
//! (the plateau scheduler's `best` starts at ±infinity).

use serde_json::{Map, Value};

use super::ScheduleError;

/// `x` as JSON: a number, or `"inf"` / `"-inf"` / `"nan"`.
pub(super) fn encode(x: f64) -> Value {
    if x.is_finite() {
        Value::from(x)
    } else if x.is_nan() {
        Value::from("nan")
    } else if x > 0.0 {
        Value::from("inf")
    } else {
        Value::from("-inf")
    }
}

/// Each of `xs` [`encode`]d, as a JSON list.
pub(super) fn encode_all(xs: &[f64]) -> Value {
    Value::Array(xs.iter().map(|&x| encode(x)).collect())
}

/// Reads a saved state's fields, each error naming the field (with `prefix`, e.g.
/// `children.1.`, for a state nested in another).
pub(super) struct StateReader<'a> {
    map: &'a Map<String, Value>,
    prefix: String,
}

impl<'a> StateReader<'a> {
    /// Checks that `value` is an object whose `"scheduler"` is `expected`.
    pub(super) fn new(
        value: &'a Value,
        expected: &'static str,
        prefix: &str,
    ) -> Result<Self, ScheduleError> {
        let Some(map) = value.as_object() else {
            return Err(ScheduleError::State {
                field: if prefix.is_empty() {
                    "(state)".into()
                } else {
                    prefix.trim_end_matches('.').into()
                },
                problem: format!("must be an object as `state()` writes it, got {value}"),
            });
        };
        let reader = StateReader {
            map,
            prefix: prefix.to_string(),
        };
        match reader.get("scheduler")? {
            Value::String(found) if found == expected => Ok(reader),
            Value::String(found) => Err(ScheduleError::StateKind {
                expected,
                found: found.clone(),
            }),
            other => Err(reader.problem(
                "scheduler",
                format!("must be a scheduler name, got {other}"),
            )),
        }
    }

    /// The dotted name of `field` for messages.
    pub(super) fn path(&self, field: &str) -> String {
        format!("{}{field}", self.prefix)
    }

    pub(super) fn problem(&self, field: &str, problem: String) -> ScheduleError {
        ScheduleError::State {
            field: self.path(field),
            problem,
        }
    }

    pub(super) fn get(&self, field: &str) -> Result<&'a Value, ScheduleError> {
        self.map
            .get(field)
            .ok_or_else(|| self.problem(field, "is missing".into()))
    }

    /// An integer `>= min`.
    pub(super) fn int(&self, field: &str, min: i64) -> Result<i64, ScheduleError> {
        match self.get(field)?.as_i64() {
            Some(n) if n >= min => Ok(n),
            _ => Err(self.problem(
                field,
                format!("must be an integer >= {min}, got {}", self.get(field)?),
            )),
        }
    }

    /// A non-negative integer.
    pub(super) fn uint(&self, field: &str) -> Result<u64, ScheduleError> {
        self.get(field)?.as_u64().ok_or_else(|| {
            let found = self.map.get(field).cloned().unwrap_or_default();
            self.problem(
                field,
                format!("must be a non-negative integer, got {found}"),
            )
        })
    }

    /// A float written by [`encode`].
    pub(super) fn float(&self, field: &str) -> Result<f64, ScheduleError> {
        decode(self.get(field)?).ok_or_else(|| {
            self.problem(field, format!("must be a number, got {}", self.map[field]))
        })
    }

    /// A list of exactly `len` floats written by [`encode_all`].
    pub(super) fn floats(&self, field: &str, len: usize) -> Result<Vec<f64>, ScheduleError> {
        let value = self.get(field)?;
        let items = value.as_array().ok_or_else(|| {
            self.problem(field, format!("must be a list of numbers, got {value}"))
        })?;
        if items.len() != len {
            return Err(self.problem(
                field,
                format!(
                    "has {} entries, but the scheduler has {len} parameter groups",
                    items.len()
                ),
            ));
        }
        items
            .iter()
            .map(|item| {
                decode(item)
                    .ok_or_else(|| self.problem(field, format!("must hold numbers, got {item}")))
            })
            .collect()
    }
}

fn decode(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => match s.as_str() {
            "inf" => Some(f64::INFINITY),
            "-inf" => Some(f64::NEG_INFINITY),
            "nan" => Some(f64::NAN),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn infinities_round_trip_through_strings() {
        let state = json!({"scheduler": "x", "best": encode(f64::NEG_INFINITY), "lrs": encode_all(&[0.1, f64::INFINITY])});
        let reader = StateReader::new(&state, "x", "").unwrap();
        assert_eq!(reader.float("best").unwrap(), f64::NEG_INFINITY);
        assert_eq!(reader.floats("lrs", 2).unwrap(), [0.1, f64::INFINITY]);
    }

    #[test]
    fn errors_name_the_field_with_its_prefix() {
        let state = json!({"scheduler": "x", "last_epoch": "three", "lrs": [0.1]});
        let reader = StateReader::new(&state, "x", "children.1.").unwrap();
        let err = reader.int("last_epoch", -1).unwrap_err().to_string();
        assert!(
            err.contains("`children.1.last_epoch` must be an integer"),
            "{err}"
        );
        let err = reader.floats("lrs", 2).unwrap_err().to_string();
        assert!(err.contains("`children.1.lrs` has 1 entries"), "{err}");
        let err = reader.uint("missing").unwrap_err().to_string();
        assert!(err.contains("`children.1.missing` is missing"), "{err}");
    }

    #[test]
    fn a_state_of_another_scheduler_is_refused() {
        let err = StateReader::new(&json!({"scheduler": "y"}), "x", "")
            .err()
            .unwrap();
        assert!(matches!(
            err,
            ScheduleError::StateKind { expected: "x", .. }
        ));
    }
}
