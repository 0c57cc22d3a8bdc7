//! Saving and loading an estimator: a pretrained directory (`config.json` +
//! `model.safetensors`, which `from_pretrained` loads alone) plus `estimator.json`, the kind
//! and the options.

use std::path::Path;

use serde_json::{Value, json};

use super::core::{Estimator, Kind};
use super::error::EstimatorError;
use super::options::EstimatorOptions;
use crate::Error;
use crate::config::Config;
use crate::pretrained::in_file;
use crate::registry::from_pretrained;
use crate::weights::IoError;
use crate::weights::atomic::write_atomic;

/// The estimator's own file in a saved directory.
pub const ESTIMATOR_FILE: &str = "estimator.json";

impl Estimator {
    /// Writes the fitted model with `save_pretrained`, then `estimator.json` (each file
    /// replaced atomically).
    pub(super) fn save(&mut self, dir: &Path) -> Result<(), Error> {
        let kind = self.kind.key();
        let options = self.options.to_value();
        let model = self.fitted_model("save")?;
        model.save_pretrained(dir)?;
        let text = format!("{:#}\n", json!({"kind": kind, "options": options}));
        write_atomic(&dir.join(ESTIMATOR_FILE), text.as_bytes())?;
        Ok(())
    }

    /// Reads a directory written by [`Estimator::save`] for an estimator of `kind`.
    pub(super) fn load(kind: Kind, dir: &Path) -> Result<Self, Error> {
        let path = dir.join(ESTIMATOR_FILE);
        let text = std::fs::read_to_string(&path)
            .map_err(|source| IoError::file("read", &path, source))?;
        let malformed = |reason: String| EstimatorError::BadFile {
            path: path.clone(),
            reason,
        };
        let value: Value =
            serde_json::from_str(&text).map_err(|e| malformed(format!("not JSON: {e}")))?;
        let found = value.get("kind").and_then(Value::as_str).ok_or_else(|| {
            malformed(r#"no "kind" ("classifier" or "regressor"); save it with `save`"#.into())
        })?;
        if found != kind.key() {
            let found = match found {
                "classifier" => "Classifier".to_string(),
                "regressor" => "Regressor".to_string(),
                other => other.to_string(),
            };
            return Err(EstimatorError::WrongKind {
                path,
                expected: kind.name(),
                found,
            }
            .into());
        }
        let options = value.get("options").cloned().unwrap_or(Value::Null);
        let options = EstimatorOptions::from_value(options).map_err(|e| in_file(&path, e))?;
        let model = from_pretrained(dir)?;
        Estimator::fitted(kind, model, options)
    }
}
