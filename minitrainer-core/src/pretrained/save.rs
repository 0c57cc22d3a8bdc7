//! Writing a pretrained directory: both files to synced temporaries, then renamed into place.

use std::path::Path;

use serde_json::Value;

use super::{CONFIG_FILE, CONFIG_METADATA_KEY, WEIGHTS_FILE, in_file};
use crate::config::Config;
use crate::module::Module;
use crate::weights::IoError;
use crate::weights::atomic::{commit, no_hook, write_temp};
use crate::{Error, Tensor};

/// Writes `module` to `dir` (created if needed) as model type `model_type` built from
/// `config`: `config.json` with `model_type` and every config field, and `model.safetensors`
/// with the state dict under PyTorch-style names (F32, little-endian, `{"format": "pt"}`).
/// Each file is replaced atomically; an unchanged `config.json` is left alone.
///
/// ```no_run
/// # use minitrainer_core as minitrainer;
/// use minitrainer::build::{Build, Init};
/// use minitrainer::nn::{Linear, LinearConfig};
/// let config = LinearConfig::new(4, 2);
/// let layer = Linear::build(&config, &mut Init::seeded(0));
/// minitrainer::pretrained::save("runs/linear".as_ref(), "linear", &config, &layer)?;
/// # Ok::<(), minitrainer::Error>(())
/// ```
///
/// # Errors
/// The config's rule violations (it is validated again: public fields may have changed), and
/// file errors naming the file.
pub fn save(
    dir: &Path,
    model_type: &str,
    config: &dyn Config,
    module: &dyn Module,
) -> Result<(), Error> {
    save_with_hook(dir, model_type, config, module, &mut no_hook)
}

/// Not public API: [`save`] with a hook run before each rename, to simulate a crash.
#[doc(hidden)]
pub fn save_with_hook(
    dir: &Path,
    model_type: &str,
    config: &dyn Config,
    module: &dyn Module,
    before_rename: &mut dyn FnMut(&Path) -> std::io::Result<()>,
) -> Result<(), Error> {
    config.validate()?;
    std::fs::create_dir_all(dir)
        .map_err(|source| IoError::file("create directory", dir, source))?;
    let config_path = dir.join(CONFIG_FILE);
    let weights_path = dir.join(WEIGHTS_FILE);

    let tensors: Vec<(String, Tensor)> = module.state_dict().into_iter().collect();
    let config_json = config_json(model_type, config);
    let weights = crate::weights::serialize_for(
        &tensors,
        &weights_path,
        &[(CONFIG_METADATA_KEY, config_json.to_string())],
    )
    .map_err(|e| in_file(&weights_path, e))?;
    let mut config_text = format!("{config_json:#}");
    config_text.push('\n');
    // Checkpoints of one model share their config: then only the weights change, in one
    // atomic rename.
    let config_unchanged =
        std::fs::read(&config_path).is_ok_and(|old| old == config_text.as_bytes());

    let weights_temp = write_temp(&weights_path, &weights)?;
    let config_temp = if config_unchanged {
        None
    } else {
        match write_temp(&config_path, config_text.as_bytes()) {
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

/// The content of `config.json`: `{"model_type": ..., <config fields>}`.
pub(crate) fn config_json(model_type: &str, config: &dyn Config) -> Value {
    let mut object = serde_json::Map::new();
    object.insert("model_type".into(), Value::String(model_type.into()));
    if let Value::Object(fields) = config.to_value() {
        object.extend(fields);
    }
    Value::Object(object)
}
