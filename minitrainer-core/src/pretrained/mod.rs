//! The pretrained directory format, HuggingFace's: `config.json` (`model_type` + the config's
//! fields) next to `model.safetensors` (the state dict under PyTorch-style names).
//!
//! This layer knows nothing of the name table: it saves a `(model_type, config, module)` triple
//! and reads back the config file and the weights, so `save_pretrained`/`from_pretrained` (the
//! registry, above) and the trainer's checkpoints share one format and one set of guarantees.
//!
//! - [`save`]: writes both files atomically (see below); an unchanged `config.json` is not
//!   rewritten, so saving checkpoints of one model is one atomic rename;
//! - [`ConfigFile::read`]: the directory's `config.json`, its `model_type` and fields;
//!   [`read_config`] reads it straight into a typed config (`read_config::<MlpConfig>(dir)`);
//! - [`load_into`]: fills a module from the directory's weights, strictly.
//!
//! # Guarantees
//! Saving is atomic per file: both files are written to temporary siblings and synced first,
//! then renamed into place (weights, then config), so a crash or error before the renames
//! leaves a previous save intact. A crash between the two renames could pair new weights with
//! the old config; the weights therefore record their config in the safetensors metadata
//! (`minitrainer.config`), and loading refuses a pair that disagrees
//! ([`PretrainedError::MismatchedFiles`]) instead of loading it silently. Loading is all or
//! nothing: every key present, none extra, every shape right, or the module is unchanged.
//! Errors name the file they concern.

mod error;
mod load;
mod save;

pub use error::PretrainedError;
pub use load::{CanonicalConfig, ConfigFile, canonical_config, load_into, read_config};
pub(crate) use save::config_json;
pub use save::save;

#[doc(hidden)]
pub use save::save_with_hook;

/// File name of the config in a pretrained directory.
pub const CONFIG_FILE: &str = "config.json";
/// File name of the weights in a pretrained directory.
pub const WEIGHTS_FILE: &str = "model.safetensors";
/// Key of the weights file's metadata entry that records the config it was saved with.
const CONFIG_METADATA_KEY: &str = "minitrainer.config";

/// Wraps `error` as concerning the file at `path`.
pub(crate) fn in_file(path: &std::path::Path, error: impl Into<crate::Error>) -> crate::Error {
    PretrainedError::InFile {
        path: path.to_path_buf(),
        source: Box::new(error.into()),
    }
    .into()
}
