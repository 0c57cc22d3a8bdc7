//! A run directory as the commands after `train` read it: the resolved run file, the final
//! model, the saved scaler, the metrics log.

use std::path::{Path, PathBuf};

use minitrainer::Model;
use minitrainer::data::Scaler;

use crate::data_spec::{CLASSES_FILE, SCALER_FILE};
use crate::error::CliError;
use crate::run_file::{self, RUN_FILE, Run};

/// The metrics log's file name in a run directory.
pub const METRICS_FILE: &str = "metrics.jsonl";
/// The checkpoints' directory name in a run directory.
pub const CHECKPOINTS_DIR: &str = "checkpoints";

/// A finished (or interrupted) run, read back.
pub struct RunDir {
    /// The directory.
    pub dir: PathBuf,
    /// Its resolved run file.
    pub run: Run,
    /// The scaler saved with it, if the run scales.
    pub scaler: Option<Scaler>,
    /// The name of each class index, for a CSV whose labels are names (`classes.json`).
    pub class_names: Option<Vec<String>>,
}

impl RunDir {
    /// Reads `dir/run.json`, and `dir/scaler.json` and `dir/classes.json` if present.
    ///
    /// # Errors
    /// [`CliError::RunDir`] when `dir` has no `run.json`; any error reading the files.
    pub fn open(dir: &Path) -> Result<RunDir, CliError> {
        let file = dir.join(RUN_FILE);
        if !file.is_file() {
            return Err(CliError::RunDir {
                dir: dir.to_path_buf(),
                reason: format!(
                    "not a run directory (no {RUN_FILE}); pass the directory `minitrainer \
                     train` wrote"
                ),
            });
        }
        let json = run_file::read_json(&file)?;
        let run = run_file::decode(&file, json, dir.to_path_buf())?;
        let scaler_file = dir.join(SCALER_FILE);
        let scaler = match scaler_file.is_file() {
            false => None,
            true => {
                let json = run_file::read_json(&scaler_file)?;
                let scaler = Scaler::from_json(&json).map_err(|e| {
                    CliError::library(format!("reading {}", scaler_file.display()), e)
                })?;
                Some(scaler)
            }
        };
        Ok(RunDir {
            dir: dir.to_path_buf(),
            run,
            scaler,
            class_names: read_class_names(&dir.join(CLASSES_FILE))?,
        })
    }

    /// The final model (`config.json` + `model.safetensors`).
    ///
    /// # Errors
    /// [`CliError::RunDir`] when the run has not saved a model yet; the registry's errors
    /// (unknown model type, malformed files).
    pub fn model(&self) -> Result<Box<dyn Model>, CliError> {
        let weights = self.dir.join(minitrainer::registry::WEIGHTS_FILE);
        if !weights.is_file() {
            return Err(CliError::RunDir {
                dir: self.dir.clone(),
                reason: "no final model yet (model.safetensors); finish the run with \
                         `minitrainer train --resume DIR`"
                    .into(),
            });
        }
        minitrainer::from_pretrained(&self.dir).map_err(|e| {
            CliError::library(format!("loading the model from {}", self.dir.display()), e)
        })
    }
}

/// The class names saved in `file` (a JSON array of strings), if the file exists.
fn read_class_names(file: &Path) -> Result<Option<Vec<String>>, CliError> {
    if !file.is_file() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(file).map_err(|source| CliError::Read {
        path: file.to_path_buf(),
        source,
    })?;
    serde_json::from_str::<Vec<String>>(&text)
        .map(Some)
        .map_err(|e| CliError::Json {
            path: file.to_path_buf(),
            message: format!("expected a JSON array of class names: {e}"),
        })
}
