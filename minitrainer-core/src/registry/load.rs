//! Building models by name: the free functions over the program's registry, and the same
//! operations on an explicit [`Registry`].

use std::path::Path;

use super::model::Model;
use super::spec::ModelSpec;
use super::table::Registry;
use crate::Error;
use crate::build::{DEFAULT_SEED, Init};
use crate::config::Schema;
use crate::pretrained::{ConfigFile, in_file, load_into};

/// Builds a registered model from config text: a JSON object with `"model_type"` plus the
/// model's config fields, or the compact form `mlp(in_dim=64, hidden=[64, 32])`. Initial
/// weights are seeded with [`DEFAULT_SEED`]; use [`load_seeded`] to choose.
///
/// # Errors
/// - a duplicate registration (naming both types);
/// - malformed JSON or compact syntax, with the position;
/// - a missing `model_type`;
/// - an unknown `model_type`, with a suggestion and the registered names;
/// - every config error (unknown fields with suggestions, wrong types, violated rules).
pub fn load(text: &str) -> Result<Box<dyn Model>, Error> {
    Registry::global()?.load(text)
}

/// [`load`] with the initial weights drawn from a generator seeded with `seed`.
///
/// # Errors
/// As [`load`].
pub fn load_seeded(text: &str, seed: u64) -> Result<Box<dyn Model>, Error> {
    Registry::global()?.build(ModelSpec::parse(text)?, &mut Init::seeded(seed))
}

/// Loads a directory written by [`save_pretrained`]: reads `config.json`, builds the
/// registered type, loads `model.safetensors` strictly.
///
/// # Errors
/// Each names the file concerned: unreadable or malformed files, an unknown `model_type`,
/// config errors, and weights that do not fit (missing, unexpected or mis-shaped keys,
/// unsupported dtypes). Never returns a half-loaded model.
pub fn from_pretrained(dir: impl AsRef<Path>) -> Result<Box<dyn Model>, Error> {
    Registry::global()?.from_pretrained(dir)
}

/// Writes `model` to `dir` (created if needed): `config.json` with `model_type` and every
/// config field, and `model.safetensors` with the state dict under PyTorch-style names (F32,
/// little-endian, `{"format": "pt"}`), loadable by `safetensors.torch.load_file`. Each file is
/// replaced atomically: a crash mid-save leaves the previous files intact.
///
/// # Errors
/// The config's rule violations (it is validated again), and file errors naming the file.
pub fn save_pretrained(model: &dyn Model, dir: impl AsRef<Path>) -> Result<(), Error> {
    crate::pretrained::save(dir.as_ref(), model.model_type(), model.config(), model)
}

/// The names of every registered model, sorted.
///
/// # Errors
/// A duplicate registration.
pub fn list_models() -> Result<Vec<&'static str>, Error> {
    Ok(Registry::global()?.names())
}

/// The config schema of the model registered as `name` (fields, types, defaults,
/// constraints, docs).
///
/// # Errors
/// A duplicate registration, or an unknown name (with a suggestion).
pub fn describe(name: &str) -> Result<Schema, Error> {
    Registry::global()?.describe(name)
}

impl Registry {
    /// [`load`](super::load) through this registry.
    ///
    /// # Errors
    /// As [`load`](super::load).
    pub fn load(&self, text: &str) -> Result<Box<dyn Model>, Error> {
        self.build(ModelSpec::parse(text)?, &mut Init::seeded(DEFAULT_SEED))
    }

    /// Builds the model a parsed spec names.
    ///
    /// # Errors
    /// An unknown or duplicate name, and the config's errors.
    pub fn build(&self, spec: ModelSpec, init: &mut Init) -> Result<Box<dyn Model>, Error> {
        let entry = self.get(&spec.model_type)?;
        (entry.build)(spec.fields, init)
    }

    /// [`from_pretrained`](super::from_pretrained) through this registry.
    ///
    /// # Errors
    /// As [`from_pretrained`](super::from_pretrained).
    pub fn from_pretrained(&self, dir: impl AsRef<Path>) -> Result<Box<dyn Model>, Error> {
        let dir = dir.as_ref();
        let mut file = ConfigFile::read(dir)?;
        let entry = self
            .get(&file.model_type)
            .map_err(|e| in_file(&file.path, e))?;
        // The weights are checked against `file.value`; the fields are only needed to build.
        let fields = std::mem::take(&mut file.fields);
        let mut model =
            (entry.build)(fields, &mut Init::default()).map_err(|e| in_file(&file.path, e))?;
        let canonical = model.__canonical_config();
        load_into(model.as_mut(), dir, &file, canonical)?;
        Ok(model)
    }

    /// [`describe`](super::describe) through this registry.
    ///
    /// # Errors
    /// An unknown or duplicate name.
    pub fn describe(&self, name: &str) -> Result<Schema, Error> {
        Ok((self.get(name)?.schema)())
    }

    /// Registers the type `T` (explicit registration; see [`register_models!`](crate::register_models)).
    pub fn register_type<T: super::Registered>(&mut self) -> &mut Self {
        self.register(T::ENTRY)
    }
}
