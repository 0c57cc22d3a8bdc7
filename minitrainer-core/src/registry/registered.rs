//! `Registered`: what `#[model]` adds to a [`Build`] type — its registered name, typed
//! construction from config text, and loading its pretrained directories.

use std::path::Path;

use serde_json::{Map, Value};

use super::configured::Configured;
use super::entry::ModelEntry;
use super::error::RegistryError;
use super::model::Model;
use super::spec::ModelSpec;
use crate::Error;
use crate::build::{Build, DEFAULT_SEED, Init};
use crate::config::{Config, Schema};
use crate::module::Layer;
use crate::pretrained::{ConfigFile, canonical_config, in_file, load_into};

/// A model type registered with `#[model]`, which implements this trait. Provides typed
/// construction: `Mlp::from_config_str("mlp(in_dim=64)")`.
///
/// Registered models are `Send + Sync`, so a loaded `Box<dyn Model>` can serve several threads.
pub trait Registered: Build + Send + Sync {
    /// The registry entry (name, type name, build and schema functions).
    const ENTRY: ModelEntry;

    /// Not public API: the model as a [`Layer`] when its forward maps a tensor to a tensor.
    /// `#[model]` implements it (by autoref specialisation on the concrete type), so that
    /// `Box<dyn Model>` can be called without naming the type.
    #[doc(hidden)]
    fn __as_layer(&self) -> Option<&dyn Layer> {
        None
    }

    /// Builds the model from config text: the JSON config (`model_type` optional, and checked
    /// when present) or the compact form `mlp(in_dim=64)`. Initial weights are seeded with
    /// [`DEFAULT_SEED`].
    ///
    /// # Errors
    /// Spec syntax errors ([`RegistryError`]), [`RegistryError::WrongModelType`] when the text
    /// names another model, and the config's own errors (unknown fields, types, rules).
    fn from_config_str(text: &str) -> Result<Configured<Self>, Error> {
        let fields = fields_for::<Self>(text)?;
        let config = Self::Config::from_value(Value::Object(fields))?;
        Configured::new(config, &mut Init::seeded(DEFAULT_SEED))
    }

    /// Builds the model from a config value (validated again first: public fields may have
    /// been changed since it was built).
    ///
    /// # Errors
    /// The config's rule violations.
    fn from_config(config: Self::Config, init: &mut Init) -> Result<Configured<Self>, Error> {
        Configured::new(config, init)
    }

    /// Loads a directory written by `save_pretrained`, checking it holds this model type.
    ///
    /// # Errors
    /// As [`from_pretrained`](super::from_pretrained), and [`RegistryError::WrongModelType`].
    fn from_pretrained(dir: impl AsRef<Path>) -> Result<Configured<Self>, Error> {
        let dir = dir.as_ref();
        let file = ConfigFile::read(dir)?;
        check_model_type::<Self>(&file.model_type).map_err(|e| in_file(&file.path, e))?;
        let config: Self::Config = file.typed()?;
        let mut model = Configured::<Self>::new(config, &mut Init::default())
            .map_err(|e| in_file(&file.path, e))?;
        load_into(&mut model, dir, &file, canonical_config::<Self::Config>)?;
        Ok(model)
    }

    /// The config's schema (fields, types, defaults, constraints, docs).
    fn schema() -> Schema {
        <Self::Config as Config>::schema()
    }
}

/// The config fields of `text`, after checking that it is for `T` (if it names a model).
fn fields_for<T: Registered>(text: &str) -> Result<Map<String, Value>, Error> {
    // Compiled per model type in its crate: only the entry is `T`'s.
    fields_for_entry(text, &T::ENTRY)
}

/// [`fields_for`] the model of `entry`.
fn fields_for_entry(text: &str, entry: &ModelEntry) -> Result<Map<String, Value>, Error> {
    let spec = if text.trim_start().starts_with('{') {
        let value: Value = serde_json::from_str(text).map_err(RegistryError::Json)?;
        match value {
            // A bare config for a known type needs no `model_type`.
            Value::Object(ref object) if !object.contains_key("model_type") => ModelSpec {
                model_type: entry.name.to_string(),
                fields: object.clone(),
            },
            other => ModelSpec::from_json(other)?,
        }
    } else {
        ModelSpec::parse(text)?
    };
    check_entry_type(entry, &spec.model_type)?;
    Ok(spec.fields)
}

/// `found` is `T`'s registered name.
pub(crate) fn check_model_type<T: Registered>(found: &str) -> Result<(), RegistryError> {
    check_entry_type(&T::ENTRY, found)
}

/// `found` is the registered name of `entry`.
fn check_entry_type(entry: &ModelEntry, found: &str) -> Result<(), RegistryError> {
    if found == entry.name {
        Ok(())
    } else {
        Err(RegistryError::WrongModelType {
            expected: entry.name,
            type_name: entry.type_name,
            found: found.to_string(),
        })
    }
}

/// The build function of every registered type (called by the named fn `#[model]` emits).
#[doc(hidden)]
pub fn build_boxed<T: Registered>(
    fields: Map<String, Value>,
    init: &mut Init,
) -> Result<Box<dyn Model>, Error> {
    let config = T::Config::from_value(Value::Object(fields))?;
    Ok(Box::new(Configured::<T>::new(config, init)?))
}

/// The schema function of every registered type.
#[doc(hidden)]
pub fn schema_of<T: Registered>() -> Schema {
    <T::Config as Config>::schema()
}
