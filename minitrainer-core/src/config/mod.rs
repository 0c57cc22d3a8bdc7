//! Validated configs: the [`Config`] trait that `#[derive(Config)]` implements.
//!
//! A config is parsed from JSON (or built with its generated builder) and validated in one
//! step, so an invalid config is never handed out: [`Config::from_json`] and the builder's
//! `build()` report every problem at once, each naming the dotted field path, the rule and the
//! offending value. Code that consumes a config (the registry, the trainer) calls
//! [`Config::validate`] again, since public fields can be changed after building.
//!
//! [`Config::schema`] describes the fields at run time (for `describe` and the registry) and
//! exports a JSON Schema document for editors.
//!
//! [`check_tensor_size`] is a ready-made cross-field check for configs whose fields size a
//! tensor (layer widths, vocabulary sizes): a size that could never be allocated is a
//! validation error instead of a panic in the model's `build`.

mod call_syntax;
mod error;
mod json_schema;
mod model_type;
mod path;
mod schema;
mod snippet;
mod tensor_size;
mod value;
mod violations;

#[doc(hidden)]
pub mod rules;
#[doc(hidden)]
pub mod typestate;

use std::fmt;

use serde_json::Value;

pub use call_syntax::{CallSyntaxError, parse_call};
pub use error::{CheckError, ConfigError, Violation, ViolationKind};
pub use json_schema::JsonSchemaDefs;
#[doc(hidden)]
pub use model_type::{ModelTypeOf, type_id_of};
pub use path::FieldPath;
pub use schema::{Constraint, FieldSchema, Schema, SchemaKind, VariantSchema};
pub(crate) use snippet::Snippet;
pub use tensor_size::{MAX_TENSOR_ELEMENTS, check_tensor_size};
pub use value::ConfigValue;
pub use violations::Violations;

/// A validated config: JSON in and out, validation, and a schema.
///
/// Implemented by `#[derive(Config)]` (see its docs for the attributes). The methods that
/// create or describe a config need `Self: Sized`; the rest work on `dyn Config`.
///
/// Users write `use minitrainer::prelude::*;`; inside this crate's docs the runtime is named
/// directly, hence the `crate` override.
///
/// ```
/// use minitrainer_core::config::{Config, ConfigError};
/// use minitrainer_macros::Config;
///
/// #[derive(Config, Debug, PartialEq)]
/// #[config(crate = ::minitrainer_core)]
/// struct MlpConfig {
///     #[config(min = 1)]
///     in_dim: usize,
///     #[config(default = vec![128], non_empty)]
///     hidden: Vec<usize>,
/// }
///
/// let config = MlpConfig::from_json(r#"{"in_dim": 64}"#)?;
/// assert_eq!(config.hidden, [128]);
/// assert_eq!(MlpConfig::from_json(&config.to_json())?, config);
///
/// let err = MlpConfig::from_json(r#"{"in_dim": 0, "hiden": [8]}"#).unwrap_err();
/// assert_eq!(err.to_string(), r#"unknown field "hiden"; did you mean "hidden"?"#);
/// # Ok::<(), ConfigError>(())
/// ```
pub trait Config: fmt::Display {
    /// Reads and validates a config from a JSON value. Missing defaulted fields take their
    /// defaults. A `"model_type"` key naming a model registered with this config (as in a
    /// saved `config.json`) is accepted; one naming another model is an error naming both.
    ///
    /// # Errors
    /// [`ConfigError::Invalid`] listing every unknown key (with a suggestion), missing
    /// required field and value of the wrong type; once those are fixed, every violated rule.
    fn from_value(value: Value) -> Result<Self, ConfigError>
    where
        Self: Sized;

    /// Parses and validates a config from JSON text.
    ///
    /// # Errors
    /// [`ConfigError::Json`] with line and column when the text is not JSON, otherwise as
    /// [`Config::from_value`].
    fn from_json(text: &str) -> Result<Self, ConfigError>
    where
        Self: Sized,
    {
        Self::from_value(parse_json(text)?)
    }

    /// The config as a JSON value, every field included (defaults too).
    fn to_value(&self) -> Value;

    /// The config as pretty-printed JSON text, readable back by [`Config::from_json`] to an
    /// equal config (floats bit for bit) when the config is valid. Infinities and NaN have no
    /// JSON form (they are written `null`); they are never valid (the `finite` rule of every
    /// float field), so `validate` refuses them before they are saved.
    fn to_json(&self) -> String {
        format!("{:#}", self.to_value())
    }

    /// Checks every rule, of nested configs too, and that every float (also inside `Vec`,
    /// `Option` and nested configs) is finite.
    ///
    /// # Errors
    /// [`ConfigError::Invalid`] listing every violated rule; cross-field checks run only when
    /// every field rule holds (they may divide by a field that was just found to be zero).
    fn validate(&self) -> Result<(), ConfigError>;

    /// The fields, their types, defaults, constraints and docs.
    fn schema() -> Schema
    where
        Self: Sized;
}

/// JSON text as a value. Not generic: `Config::from_json` is compiled in every crate and for
/// every config type, and would otherwise compile a JSON parser each time.
fn parse_json(text: &str) -> Result<Value, ConfigError> {
    serde_json::from_str(text).map_err(|e| ConfigError::from_json_error(&e))
}

/// The `from_value` of every derived config: decode (collecting every problem), then validate.
/// A top-level `model_type` naming a model built from `T` is accepted and dropped (a saved
/// `config.json` reads back into its typed config); see `model_type.rs`.
#[doc(hidden)]
pub fn decode_and_validate<T: ConfigValue + Config + 'static>(
    mut value: Value,
) -> Result<T, ConfigError> {
    model_type::accept_own::<T>(&mut value)?;
    let mut errors = Violations::new();
    // One branch to an error and one `?`: this body is compiled for every config type.
    match T::decode(value, &FieldPath::root(), &mut errors) {
        Some(config) if errors.is_empty() => {
            config.validate()?;
            Ok(config)
        }
        // `decode` returns `None` only after recording a violation.
        _ => Err(ConfigError::Invalid(errors)),
    }
}

/// The `validate` of every derived config.
#[doc(hidden)]
pub fn validate_tree<T: ConfigValue>(config: &T) -> Result<(), ConfigError> {
    let mut errors = Violations::new();
    config.validate_nested(&FieldPath::root(), &mut errors);
    errors.into_result()
}
