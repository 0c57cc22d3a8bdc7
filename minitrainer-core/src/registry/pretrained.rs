//! `save_pretrained` / `from_pretrained`: a model as a directory holding `config.json`
//! (`model_type` + config fields) and `model.safetensors` (the state dict under PyTorch-style
//! names), the layout HuggingFace uses.
//!
//! Saving is atomic per file: both files are written to temporary siblings and synced first,
//! then renamed into place (weights, then config), so a crash or error before the renames
//! leaves a previous save intact. When `config.json` already holds the same config (saving
//! checkpoints of one model), it is not rewritten: the save is the one atomic rename of the
//! weights. Otherwise a crash between the two renames could pair new weights with the old
//! config; the weights therefore record their config in the safetensors metadata
//! (`minitrainer.config`), and loading refuses a pair that disagrees
//! ([`RegistryError::MismatchedFiles`]) instead of loading it silently.
//!
//! Loading is all or nothing: the model is built, the weights are loaded strictly (every key
//! present, none extra, every shape right), and only then returned — never a half-loaded
//! model. Errors name the file they concern.

use std::path::{Path, PathBuf};

use super::build::{Registered, check_model_type};
use super::configured::Configured;
use super::error::RegistryError;
use super::model::Model;
use super::seed::Init;
use super::spec::ModelSpec;
use super::table::Registry;
use crate::config::Config;
use crate::io::IoError;
use crate::io::atomic::{commit, write_temp};
use crate::module::{Module, StateDict};
use crate::{Error, Tensor};

/// File name of the config in a pretrained directory.
pub const CONFIG_FILE: &str = "config.json";
/// File name of the weights in a pretrained directory.
pub const WEIGHTS_FILE: &str = "model.safetensors";
/// Key of the weights file's metadata entry that records the config it was saved with.
const CONFIG_METADATA_KEY: &str = "minitrainer.config";

pub(crate) use crate::io::atomic::no_hook;

/// Saves `model` (config and weights) to `dir`, creating it if needed.
pub(crate) fn save(
    model: &dyn Model,
    dir: &Path,
    before_rename: crate::io::atomic::BeforeRename<'_>,
) -> Result<(), Error> {
    // The config may have been changed through a public field since the model was built.
    model.config().validate()?;
    std::fs::create_dir_all(dir)
        .map_err(|source| IoError::file("create directory", dir, source))?;
    let config_path = dir.join(CONFIG_FILE);
    let weights_path = dir.join(WEIGHTS_FILE);

    let tensors: Vec<(String, Tensor)> = model.state_dict().into_iter().collect();
    let config_json = model.config_json();
    let weights = crate::io::serialize_for(
        &tensors,
        &weights_path,
        &[(CONFIG_METADATA_KEY, config_json.to_string())],
    )
    .map_err(|e| in_file(&weights_path, e))?;
    let mut config = format!("{config_json:#}");
    config.push('\n');
    // Checkpoints of one model share their config: then only the weights change, in one
    // atomic rename.
    let config_unchanged = std::fs::read(&config_path).is_ok_and(|old| old == config.as_bytes());

    let weights_temp = write_temp(&weights_path, &weights)?;
    let config_temp = if config_unchanged {
        None
    } else {
        match write_temp(&config_path, config.as_bytes()) {
            Ok(temp) => Some(temp),
            Err(error) => {
                let _ = std::fs::remove_file(&weights_temp);
                return Err(error.into());
            }
        }
    };
    // Weights first: a crash between the renames leaves new weights with the old config,
    // which loading detects through the config recorded in the weights' metadata.
    if let Err(error) = commit(&weights_temp, &weights_path, before_rename) {
        if let Some(config_temp) = &config_temp {
            let _ = std::fs::remove_file(config_temp);
        }
        return Err(error.into());
    }
    if let Some(config_temp) = config_temp {
        commit(&config_temp, &config_path, before_rename)?;
    }
    Ok(())
}

/// Loads a pretrained directory through `registry`.
pub(crate) fn load(registry: &Registry, dir: &Path) -> Result<Box<dyn Model>, Error> {
    let (config_path, config, spec) = read_spec(dir)?;
    let entry = registry
        .get(&spec.model_type)
        .map_err(|e| in_file(&config_path, e))?;
    let mut model =
        (entry.build)(spec.fields, &mut Init::default()).map_err(|e| in_file(&config_path, e))?;
    load_weights(
        model.as_mut(),
        &dir.join(WEIGHTS_FILE),
        &config_path,
        &config,
    )?;
    Ok(model)
}

/// Loads a pretrained directory as a `T`.
pub(crate) fn load_typed<T: Registered>(dir: &Path) -> Result<Configured<T>, Error> {
    let (config_path, config_value, spec) = read_spec(dir)?;
    check_model_type::<T>(&spec.model_type).map_err(|e| in_file(&config_path, e))?;
    let config = T::Config::from_value(serde_json::Value::Object(spec.fields))
        .map_err(|e| in_file(&config_path, e))?;
    let mut model =
        Configured::<T>::new(config, &mut Init::default()).map_err(|e| in_file(&config_path, e))?;
    load_weights(
        &mut model,
        &dir.join(WEIGHTS_FILE),
        &config_path,
        &config_value,
    )?;
    Ok(model)
}

/// The config file's path, its JSON value, and the model spec it holds.
fn read_spec(dir: &Path) -> Result<(PathBuf, serde_json::Value, ModelSpec), Error> {
    let path = dir.join(CONFIG_FILE);
    let text =
        std::fs::read_to_string(&path).map_err(|source| IoError::file("read", &path, source))?;
    let mut value: serde_json::Value =
        serde_json::from_str(&text).map_err(|source| IoError::Json {
            path: path.clone(),
            source,
        })?;
    if let serde_json::Value::Object(fields) = &mut value {
        fields.retain(|key, _| !HUGGINGFACE_BOOKKEEPING.contains(&key.as_str()));
    }
    let spec = ModelSpec::from_json(value.clone()).map_err(|e| in_file(&path, e))?;
    Ok((path, value, spec))
}

/// Keys HuggingFace's `save_pretrained` adds to every `config.json` that describe the file, not
/// the model: ignored on load, so a directory written by `transformers` loads into a model
/// registered under its `model_type`. Any other unknown key is still an error.
const HUGGINGFACE_BOOKKEEPING: [&str; 4] = [
    "architectures",
    "transformers_version",
    "torch_dtype",
    "_name_or_path",
];

/// Reads the weights, checks they were saved with this config (when they say so: files
/// written by other tools do not), and loads them strictly; on any error the model is
/// unchanged (and the caller drops it).
fn load_weights<M: Module + ?Sized>(
    model: &mut M,
    path: &Path,
    config_path: &Path,
    config: &serde_json::Value,
) -> Result<(), Error> {
    let (tensors, metadata) = crate::io::read_with_metadata(path)?;
    check_saved_with(&metadata, path, config_path, config)?;
    let state_dict: StateDict = tensors.into_iter().collect();
    model
        .load_state_dict(&state_dict, true)
        .map_err(|e| in_file(path, e))?;
    Ok(())
}

fn check_saved_with(
    metadata: &crate::io::FileMetadata,
    weights: &Path,
    config_path: &Path,
    config: &serde_json::Value,
) -> Result<(), RegistryError> {
    let Some(saved_with) = metadata.get(CONFIG_METADATA_KEY) else {
        return Ok(());
    };
    // Compared as JSON values: key order and formatting of a hand-edited config do not matter.
    let same = serde_json::from_str::<serde_json::Value>(saved_with).is_ok_and(|v| v == *config);
    if same {
        Ok(())
    } else {
        Err(RegistryError::MismatchedFiles {
            weights: weights.to_path_buf(),
            config: config_path.to_path_buf(),
            saved_with: saved_with.clone(),
        })
    }
}

fn in_file(path: &Path, error: impl Into<Error>) -> Error {
    RegistryError::InFile {
        path: path.to_path_buf(),
        source: Box::new(error.into()),
    }
    .into()
}
