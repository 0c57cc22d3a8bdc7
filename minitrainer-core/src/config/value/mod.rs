//! [`ConfigValue`]: what a config field's type must implement, i.e. JSON (de)serialisation,
//! a type name for errors and schemas, and a JSON Schema fragment.
//!
//! Implemented here for `bool`, `String`, `Vec<T>`, `Option<T>` and (in `number.rs`) every
//! integer type, `f32` and `f64`; `#[derive(Config)]` implements it for config structs and
//! unit-variant enums, which is what lets configs nest.
//!
//! Why not serde: a derive on every user config would make users name serde, and serde stops
//! at the first error, where we report every problem with its dotted path at once.

mod number;

use std::fmt;

use serde_json::Value;

use super::Violations;
use super::json_schema::JsonSchemaDefs;
use super::path::FieldPath;

/// A type that can be the type of a config field.
///
/// Implement it by hand only for a type `#[derive(Config)]` can't produce; the derive
/// implements it for configs and config enums.
#[diagnostic::on_unimplemented(
    message = "`{Self}` can't be the type of a config field",
    label = "not a config value",
    note = "config fields may be integers, `f32`, `f64`, `bool`, `String`, `Vec<T>`, `Option<T>`, or types with `#[derive(Config)]` (structs and unit-variant enums)"
)]
pub trait ConfigValue: Sized {
    /// The type as error messages and schemas name it: `usize`, `Vec<f32>`, `MlpConfig`.
    fn type_name() -> String;

    /// The value as JSON.
    fn encode(&self) -> Value;

    /// Reads a value from JSON. Every problem goes into `errors` under `path`; `None` when the
    /// value is unusable (at least one problem was recorded then).
    fn decode(value: Value, path: &FieldPath<'_>, errors: &mut Violations) -> Option<Self>;

    /// Checks the rules of configs nested in this value (recursively, with dotted paths).
    /// Nothing to do for plain values.
    fn validate_nested(&self, path: &FieldPath<'_>, errors: &mut Violations) {
        let _ = (path, errors);
    }

    /// The JSON Schema of this type; configs and enums add themselves to `defs` and return a
    /// `$ref`.
    fn json_schema(defs: &mut JsonSchemaDefs) -> Value;

    /// Writes the value for a config's `Display`: JSON unless the type knows better.
    fn fmt_value(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.encode())
    }
}

impl ConfigValue for bool {
    fn type_name() -> String {
        "bool".to_owned()
    }

    fn encode(&self) -> Value {
        Value::Bool(*self)
    }

    fn decode(value: Value, path: &FieldPath<'_>, errors: &mut Violations) -> Option<Self> {
        match value {
            Value::Bool(b) => Some(b),
            other => {
                errors.wrong_type(path, Self::type_name(), &other);
                None
            }
        }
    }

    fn json_schema(_defs: &mut JsonSchemaDefs) -> Value {
        serde_json::json!({ "type": "boolean" })
    }
}

impl ConfigValue for String {
    fn type_name() -> String {
        "String".to_owned()
    }

    fn encode(&self) -> Value {
        Value::String(self.clone())
    }

    fn decode(value: Value, path: &FieldPath<'_>, errors: &mut Violations) -> Option<Self> {
        match value {
            Value::String(s) => Some(s),
            other => {
                errors.wrong_type(path, Self::type_name(), &other);
                None
            }
        }
    }

    fn json_schema(_defs: &mut JsonSchemaDefs) -> Value {
        serde_json::json!({ "type": "string" })
    }
}

impl<T: ConfigValue> ConfigValue for Vec<T> {
    fn type_name() -> String {
        format!("Vec<{}>", T::type_name())
    }

    fn encode(&self) -> Value {
        Value::Array(self.iter().map(T::encode).collect())
    }

    fn decode(value: Value, path: &FieldPath<'_>, errors: &mut Violations) -> Option<Self> {
        let Value::Array(items) = value else {
            errors.wrong_type(path, Self::type_name(), &value);
            return None;
        };
        // Decode every element even after a failure, so each bad element is reported.
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for (i, item) in items.into_iter().enumerate() {
            match T::decode(item, &path.index(i), errors) {
                Some(v) if ok => out.push(v),
                Some(_) => {}
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn validate_nested(&self, path: &FieldPath<'_>, errors: &mut Violations) {
        for (i, item) in self.iter().enumerate() {
            item.validate_nested(&path.index(i), errors);
        }
    }

    fn json_schema(defs: &mut JsonSchemaDefs) -> Value {
        array_of(T::json_schema(defs))
    }

    fn fmt_value(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[")?;
        for (i, item) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            item.fmt_value(f)?;
        }
        f.write_str("]")
    }
}

/// `None` is JSON `null`; a missing key also reads as `None` (the derive treats `Option`
/// fields as defaulting to `None`).
impl<T: ConfigValue> ConfigValue for Option<T> {
    fn type_name() -> String {
        format!("Option<{}>", T::type_name())
    }

    fn encode(&self) -> Value {
        match self {
            Some(v) => v.encode(),
            None => Value::Null,
        }
    }

    fn decode(value: Value, path: &FieldPath<'_>, errors: &mut Violations) -> Option<Self> {
        match value {
            Value::Null => Some(None),
            other => T::decode(other, path, errors).map(Some),
        }
    }

    fn validate_nested(&self, path: &FieldPath<'_>, errors: &mut Violations) {
        if let Some(v) = self {
            v.validate_nested(path, errors);
        }
    }

    fn json_schema(defs: &mut JsonSchemaDefs) -> Value {
        nullable(T::json_schema(defs))
    }

    fn fmt_value(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Some(v) => v.fmt_value(f),
            None => f.write_str("null"),
        }
    }
}

/// `{"type": "array", "items": schema}`. Outside the generic impls, which are compiled for
/// every field type (`json!` expands to a lot of code); so is [`nullable`].
fn array_of(schema: Value) -> Value {
    serde_json::json!({ "type": "array", "items": schema })
}

/// `{"anyOf": [schema, {"type": "null"}]}`.
fn nullable(schema: Value) -> Value {
    serde_json::json!({ "anyOf": [schema, { "type": "null" }] })
}
