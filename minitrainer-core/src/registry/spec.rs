//! Model specs: the text that names a model and its config.
//!
//! Two forms are accepted by [`ModelSpec::parse`]:
//! - JSON, as in a `config.json`: `{"model_type": "mlp", "in_dim": 64}`;
//! - the compact call form, handy on a command line: `mlp(in_dim=64, hidden=[64, 32])`, where
//!   each value is a JSON literal (`"relu"`, `true`, `null`, nested lists and objects).
//!
//! The compact form is parsed by [`parse_call`](crate::config::parse_call), shared with the
//! optimizer and scheduler factories.

use serde_json::{Map, Value};

use super::error::RegistryError;
use crate::config::parse_call;

/// A model type name and the fields of its config, before the config is validated.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelSpec {
    /// The registered name, e.g. `"mlp"`.
    pub model_type: String,
    /// The config fields (without `model_type`), in the order written.
    pub fields: Map<String, Value>,
}

impl ModelSpec {
    /// Parses either form; the JSON form is recognised by its leading `{`.
    ///
    /// # Errors
    /// [`RegistryError::Syntax`] (compact form, with the column), [`RegistryError::Json`]
    /// (malformed JSON, with line and column), [`RegistryError::NotAnObject`] and
    /// [`RegistryError::MissingModelType`].
    ///
    /// # Examples
    /// ```
    /// use minitrainer_core::registry::ModelSpec;
    /// let spec = ModelSpec::parse(r#"mlp(in_dim=64, hidden=[64, 32], act="relu")"#)?;
    /// assert_eq!(spec.model_type, "mlp");
    /// assert_eq!(spec.fields["hidden"], serde_json::json!([64, 32]));
    /// let same = ModelSpec::parse(r#"{"model_type": "mlp", "in_dim": 64, "hidden": [64, 32], "act": "relu"}"#)?;
    /// assert_eq!(spec, same);
    /// # Ok::<(), minitrainer_core::registry::RegistryError>(())
    /// ```
    pub fn parse(text: &str) -> Result<ModelSpec, RegistryError> {
        if text.trim_start().starts_with('{') {
            let value: Value = serde_json::from_str(text).map_err(RegistryError::Json)?;
            ModelSpec::from_json(value)
        } else {
            let (model_type, fields) = parse_call(text, "model", "mlp(in_dim=64)")?;
            Ok(ModelSpec { model_type, fields })
        }
    }

    /// Splits a JSON object into its `model_type` and the remaining config fields.
    ///
    /// # Errors
    /// [`RegistryError::NotAnObject`] or [`RegistryError::MissingModelType`] (also when
    /// `model_type` is not a string).
    pub fn from_json(value: Value) -> Result<ModelSpec, RegistryError> {
        let Value::Object(mut fields) = value else {
            return Err(RegistryError::NotAnObject {
                found: json_kind(&value),
            });
        };
        match fields.shift_remove("model_type") {
            Some(Value::String(model_type)) => Ok(ModelSpec { model_type, fields }),
            found => Err(RegistryError::MissingModelType {
                found: found.map(|v| v.to_string()),
                keys: fields.keys().cloned().collect(),
            }),
        }
    }

    /// The JSON form: `{"model_type": ..., <fields>}`, `model_type` first.
    pub fn to_json(&self) -> Value {
        let mut object = Map::with_capacity(self.fields.len() + 1);
        object.insert("model_type".into(), Value::String(self.model_type.clone()));
        object.extend(self.fields.clone());
        Value::Object(object)
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}
