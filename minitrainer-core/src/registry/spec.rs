//! Model specs: the text that names a model and its config.
//!
//! Two forms are accepted by [`ModelSpec::parse`]:
//! - JSON, as in a `config.json`: `{"model_type": "mlp", "in_dim": 64}`;
//! - the compact call form, handy on a command line: `mlp(in_dim=64, hidden=[64, 32])`, where
//!   each value is a JSON literal (`"relu"`, `true`, `null`, nested lists and objects).
//!
//! Each compact value is cut out by scanning for the `,` or `)` that ends it at nesting depth
//! zero (outside strings), then handed to `serde_json`; so the values mean exactly what they
//! mean in the JSON form. Errors carry the 1-based column and say what was expected.

use serde_json::{Map, Value};

use super::error::RegistryError;

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
            Compact { text, pos: 0 }.spec()
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

/// A cursor over the compact form; `pos` is a byte offset into `text`.
struct Compact<'a> {
    text: &'a str,
    pos: usize,
}

impl Compact<'_> {
    // name [ "(" [ key "=" value { "," key "=" value } [","] ] ")" ]
    fn spec(mut self) -> Result<ModelSpec, RegistryError> {
        self.skip_ws();
        let model_type = self.ident("a model name, e.g. `mlp(in_dim=64)`")?;
        self.skip_ws();
        let mut fields = Map::new();
        if self.eat('(') {
            loop {
                self.skip_ws();
                if self.eat(')') {
                    break;
                }
                let key_pos = self.pos;
                let key = self.ident("a field name or `)`")?;
                self.skip_ws();
                if !self.eat('=') {
                    return Err(self.error(format!("expected `=` after `{key}`")));
                }
                let value = self.value(&key)?;
                if fields.insert(key.clone(), value).is_some() {
                    self.pos = key_pos;
                    return Err(self.error(format!("field `{key}` is given twice")));
                }
                self.skip_ws();
                if self.eat(')') {
                    break;
                }
                if !self.eat(',') {
                    return Err(
                        self.error(format!("expected `,` or `)` after the value of `{key}`"))
                    );
                }
            }
            self.skip_ws();
        }
        if self.pos < self.text.len() {
            return Err(self.error("unexpected text after the model spec".to_string()));
        }
        Ok(ModelSpec { model_type, fields })
    }

    fn ident(&mut self, expected: &str) -> Result<String, RegistryError> {
        let rest = &self.text[self.pos..];
        let len = rest
            .char_indices()
            .find(|&(i, c)| !(c == '_' || c.is_ascii_alphabetic() || (i > 0 && c.is_ascii_digit())))
            .map_or(rest.len(), |(i, _)| i);
        if len == 0 {
            return Err(self.error(format!("expected {expected}")));
        }
        self.pos += len;
        Ok(rest[..len].to_string())
    }

    /// Cuts out the value that ends at the next `,` or `)` outside brackets and strings and
    /// parses it as JSON.
    fn value(&mut self, key: &str) -> Result<Value, RegistryError> {
        self.skip_ws();
        let start = self.pos;
        let mut closers = Vec::new();
        let mut chars = self.text[start..].char_indices();
        let mut end = None;
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    // Skip the string, escapes included; an unterminated one runs to the end
                    // and serde_json reports it.
                    while let Some((_, c)) = chars.next() {
                        match c {
                            '\\' => {
                                chars.next();
                            }
                            '"' => break,
                            _ => {}
                        }
                    }
                }
                '[' => closers.push(']'),
                '{' => closers.push('}'),
                // The guard pops: a matching closer falls through to `_`, already popped.
                ']' | '}' if closers.pop() != Some(c) => {
                    self.pos = start + i;
                    return Err(self.error(format!("unbalanced `{c}` in the value of `{key}`")));
                }
                ',' | ')' if closers.is_empty() => {
                    end = Some(start + i);
                    break;
                }
                _ => {}
            }
        }
        let Some(end) = end else {
            self.pos = self.text.len();
            let missing = closers.last().map_or(")".to_string(), |c| c.to_string());
            return Err(self.error(format!(
                "expected `{missing}`: the value of `{key}` is not closed"
            )));
        };
        let raw = self.text[start..end].trim_end();
        if raw.is_empty() {
            self.pos = start;
            return Err(self.error(format!("expected a JSON value for `{key}`")));
        }
        let value = serde_json::from_str(raw).map_err(|error| {
            let bare_word = raw
                .chars()
                .all(|c| c == '_' || c == '-' || c.is_alphanumeric());
            let hint = if bare_word {
                format!("; strings need double quotes: {key}=\"{raw}\"")
            } else {
                String::new()
            };
            // serde_json counts columns from 1 within the value (single-line values only).
            let offset = raw
                .char_indices()
                .nth(error.column().saturating_sub(1))
                .map_or(raw.len(), |(i, _)| i);
            self.pos = if error.line() == 1 {
                start + offset
            } else {
                start
            };
            // Our column replaces serde_json's "at line 1 column N", which counts within the value.
            let message = error.to_string();
            let message = message.split(" at line ").next().unwrap_or(&message);
            if message == "trailing characters" {
                // `in_dim=4 out_dim=2`: a complete value, then more; most likely a lost comma.
                return self.error(format!("expected `,` or `)` after the value of `{key}`"));
            }
            self.error(format!(
                "expected a JSON value for `{key}`: {message}{hint}"
            ))
        })?;
        self.pos = end;
        Ok(value)
    }

    fn skip_ws(&mut self) {
        let rest = &self.text[self.pos..];
        self.pos += rest.len() - rest.trim_start().len();
    }

    fn eat(&mut self, c: char) -> bool {
        if self.text[self.pos..].starts_with(c) {
            self.pos += c.len_utf8();
            true
        } else {
            false
        }
    }

    fn error(&self, message: String) -> RegistryError {
        RegistryError::Syntax {
            input: self.text.to_string(),
            column: self.text[..self.pos].chars().count() + 1,
            message,
        }
    }
}
