//! Reading a pretrained directory: its config file, and its weights into a built module.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::{CONFIG_FILE, CONFIG_METADATA_KEY, PretrainedError, WEIGHTS_FILE, in_file};
use crate::Error;
use crate::config::Config;
use crate::module::{Module, StateDict};
use crate::weights::{FileMetadata, IoError};

/// A pretrained directory's `config.json`, read and split.
#[derive(Clone, Debug)]
pub struct ConfigFile {
    /// Where it was read from.
    pub path: PathBuf,
    /// The whole JSON value (HuggingFace's bookkeeping keys removed): what the weights'
    /// metadata is compared with.
    pub value: Value,
    /// Its `model_type`.
    pub model_type: String,
    /// The config fields (without `model_type`).
    pub fields: Map<String, Value>,
}

impl ConfigFile {
    /// Reads `dir/config.json`.
    ///
    /// # Errors
    /// An unreadable file or malformed JSON ([`IoError`], naming the file), and a config that
    /// is not an object or has no string `model_type` ([`PretrainedError::InFile`]).
    pub fn read(dir: &Path) -> Result<ConfigFile, Error> {
        let path = dir.join(CONFIG_FILE);
        let text = std::fs::read_to_string(&path)
            .map_err(|source| IoError::file("read", &path, source))?;
        let mut value: Value = serde_json::from_str(&text).map_err(|source| IoError::Json {
            path: path.clone(),
            source,
        })?;
        let Value::Object(fields) = &mut value else {
            let found = value.to_string();
            return Err(in_file(&path, PretrainedError::NotAnObject { found }));
        };
        fields.retain(|key, _| !HUGGINGFACE_BOOKKEEPING.contains(&key.as_str()));
        let mut fields = fields.clone();
        let model_type = match fields.shift_remove("model_type") {
            Some(Value::String(model_type)) => model_type,
            found => {
                let found = found.map(|v| v.to_string());
                return Err(in_file(&path, PretrainedError::MissingModelType { found }));
            }
        };
        Ok(ConfigFile {
            path,
            value,
            model_type,
            fields,
        })
    }

    /// The fields as a typed config, validated.
    ///
    /// # Errors
    /// The config's errors, naming the file.
    pub fn typed<C: Config>(&self) -> Result<C, Error> {
        C::from_value(Value::Object(self.fields.clone())).map_err(|e| in_file(&self.path, e))
    }
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

/// The typed config of the pretrained directory `dir`, validated: `read_config::<MlpConfig>(dir)`.
/// The directory's `model_type` is not checked here; use `Mlp::from_pretrained` to load the
/// model itself.
///
/// ```no_run
/// # use minitrainer_core as minitrainer;
/// use minitrainer::nn::LinearConfig;
/// let config: LinearConfig = minitrainer::pretrained::read_config("runs/linear".as_ref())?;
/// # Ok::<(), minitrainer::Error>(())
/// ```
///
/// # Errors
/// As [`ConfigFile::read`], and the config's own errors.
pub fn read_config<C: Config>(dir: &Path) -> Result<C, Error> {
    ConfigFile::read(dir)?.typed()
}

/// Decodes a config's fields (without `model_type`) through its config type and returns the
/// config's JSON, every field included (defaults too); `None` when the fields do not decode.
/// Two configs written differently (a default omitted, keys reordered) give the same value.
pub type CanonicalConfig = fn(Map<String, Value>) -> Option<Value>;

/// The [`CanonicalConfig`] of the config type `C`: `canonical_config::<LinearConfig>`.
pub fn canonical_config<C: Config>(fields: Map<String, Value>) -> Option<Value> {
    C::from_value(Value::Object(fields))
        .ok()
        .map(|config| config.to_value())
}

/// Loads `dir/model.safetensors` into `module` strictly, after checking the weights were saved
/// with the config of `config` (when they say so: files written by other tools do not). The
/// two configs are compared decoded, through `canonical` (`canonical_config::<MlpConfig>`), so
/// a `config.json` that omits a default or orders its keys differently still matches. On any
/// error the module is unchanged.
///
/// # Errors
/// File errors, [`PretrainedError::MismatchedFiles`], and weights that do not fit (missing,
/// unexpected or mis-shaped keys), each naming the file.
pub fn load_into<M: Module + ?Sized>(
    module: &mut M,
    dir: &Path,
    config: &ConfigFile,
    canonical: CanonicalConfig,
) -> Result<(), Error> {
    let path = dir.join(WEIGHTS_FILE);
    let (tensors, metadata) = crate::weights::read_with_metadata(&path)?;
    check_saved_with(&metadata, &path, config, canonical)?;
    let state_dict: StateDict = tensors.into_iter().collect();
    module
        .load_state_dict(&state_dict, true)
        .map_err(|e| in_file(&path, e))?;
    Ok(())
}

fn check_saved_with(
    metadata: &FileMetadata,
    weights: &Path,
    config: &ConfigFile,
    canonical: CanonicalConfig,
) -> Result<(), PretrainedError> {
    let Some(saved_with) = metadata.get(CONFIG_METADATA_KEY) else {
        return Ok(());
    };
    let same = serde_json::from_str::<Value>(saved_with)
        .is_ok_and(|saved| same_config(saved, &config.value, canonical));
    if same {
        Ok(())
    } else {
        Err(PretrainedError::MismatchedFiles {
            weights: weights.to_path_buf(),
            config: config.path.clone(),
            saved_with: saved_with.clone(),
        })
    }
}

/// Whether two `{"model_type": ..., <fields>}` values name the same model type and decode to
/// the same config. Equal JSON is the same config even when it does not decode.
fn same_config(saved: Value, file: &Value, canonical: CanonicalConfig) -> bool {
    if &saved == file {
        return true;
    }
    let split = |value: Value| match value {
        Value::Object(mut fields) => {
            let model_type = fields.shift_remove("model_type");
            Some((model_type, canonical(fields)?))
        }
        _ => None,
    };
    match (split(saved), split(file.clone())) {
        (Some(saved), Some(file)) => saved == file,
        _ => false,
    }
}
