//! The run file: one JSON object describing a whole training run, decoded by the config
//! machinery (`#[derive(Config)]`), so defaults, rules, unknown keys with suggestions and
//! "every problem at once" come from the library.
//!
//! `model` is the one key outside the derived schema: a model spec is either a string
//! (`"mlp(in_dim=64, out_dim=10)"`) or an object with `model_type`, and the registry decodes
//! it (with its own suggestions). See [`RunFile`] for every other key.

mod overrides;
mod schema;

use std::path::{Path, PathBuf};

use minitrainer::config::{Config, ViolationKind};
use serde_json::{Map, Value};

pub use overrides::{Override, apply_overrides};
pub use schema::{DataConfig, DataSource, GroupConfig, RunFile, Scaling, Task};

use crate::error::CliError;

/// The file name of the resolved run file in a run directory.
pub const RUN_FILE: &str = "run.json";

/// A run file decoded: the model spec (JSON) and the rest, with every default filled in.
#[derive(Clone, Debug)]
pub struct Run {
    /// The model: a compact-form string or an object with `model_type`.
    pub model: Value,
    /// Everything else.
    pub file: RunFile,
    /// The directory the run file's relative paths were resolved from (they are absolute
    /// in [`Run::file`]).
    pub base: PathBuf,
}

impl Run {
    /// The model spec as text for `minitrainer::load`.
    pub fn model_text(&self) -> String {
        Run::text_of(&self.model)
    }

    fn text_of(model: &Value) -> String {
        match model {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        }
    }

    /// The resolved run file: the model, then every key with its value (defaults included),
    /// so re-reading it gives the same run.
    pub fn to_json(&self) -> Value {
        let mut object = Map::new();
        object.insert("model".into(), self.model.clone());
        if let Value::Object(rest) = self.file.to_value() {
            object.extend(rest);
        }
        Value::Object(object)
    }
}

/// Reads the JSON object at `path` (a run file or a run directory's `run.json`).
///
/// # Errors
/// [`CliError::Read`] for a missing file, [`CliError::Json`] for malformed JSON, and
/// [`CliError::RunFile`] when it is not an object.
pub fn read_json(path: &Path) -> Result<Value, CliError> {
    let text = std::fs::read_to_string(path).map_err(|source| CliError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let value: Value = serde_json::from_str(&text).map_err(|e| CliError::Json {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    match value {
        Value::Object(_) => Ok(value),
        other => Err(CliError::RunFile {
            path: path.to_path_buf(),
            problems: vec![format!("a run file is a JSON object, got {other}")],
        }),
    }
}

/// Decodes a run file's JSON (overrides already applied): every problem of the file at once.
/// Relative paths in it are taken from `base`.
///
/// # Errors
/// [`CliError::RunFile`] listing a missing `model` and every violation of [`RunFile`]'s
/// schema (unknown keys with a suggestion, wrong types, broken rules), each by its dotted key.
pub fn decode(path: &Path, mut json: Value, base: PathBuf) -> Result<Run, CliError> {
    let mut problems = Vec::new();
    let model = match json.as_object_mut().and_then(|o| o.remove("model")) {
        Some(model @ (Value::String(_) | Value::Object(_))) => Some(model),
        Some(other) => {
            problems.push(format!(
                "model: a model spec is a string (\"mlp(in_dim=64, out_dim=10)\") or an object \
                 with \"model_type\", got {other}"
            ));
            None
        }
        None => {
            problems.push(
                "model: missing; name the model to train, e.g. \
                 \"model\": \"mlp(in_dim=64, hidden=[128], out_dim=10)\""
                    .to_string(),
            );
            None
        }
    };
    let file = decode_all(json);
    match (model, file) {
        (Some(model), Ok(mut file)) if problems.is_empty() => {
            absolutize(&mut file, &base);
            Ok(Run { model, file, base })
        }
        (model, file) => {
            problems.extend(file.err().unwrap_or_default());
            // The model spec is checked too, so its problems come in the same report.
            let text = model.map(|m| Run::text_of(&m));
            if let Some(Err(e)) = text.map(|t| minitrainer::load(&t)) {
                problems.insert(0, format!("model: {e}"));
            }
            Err(CliError::RunFile {
                path: path.to_path_buf(),
                problems,
            })
        }
    }
}

/// Decodes the run file's keys, reporting every problem: the decoder reports unknown keys on
/// their own, so they are removed and the rest decoded again to find the other problems.
fn decode_all(mut json: Value) -> Result<RunFile, Vec<String>> {
    let mut problems: Vec<String> = Vec::new();
    loop {
        let error = match RunFile::from_value(json.clone()) {
            Ok(file) if problems.is_empty() => return Ok(file),
            Ok(_) => return Err(problems),
            Err(error) => error,
        };
        let violations = error.violations();
        if violations.is_empty() {
            problems.push(error.to_string());
            return Err(problems);
        }
        problems.extend(violations.iter().map(ToString::to_string));
        let unknown: Vec<&str> = violations
            .iter()
            .filter(|v| matches!(v.kind, ViolationKind::UnknownField { .. }))
            .map(|v| v.path.as_str())
            .collect();
        let removed = unknown
            .iter()
            .filter(|path| remove(&mut json, path))
            .count();
        if removed == 0 {
            return Err(problems);
        }
    }
}

/// Removes the key at dotted `path` from `json`; whether it was there.
fn remove(json: &mut Value, path: &str) -> bool {
    let mut node = json;
    let mut keys = path.split('.').peekable();
    while let Some(key) = keys.next() {
        if keys.peek().is_none() {
            return node
                .as_object_mut()
                .is_some_and(|o| o.remove(key).is_some());
        }
        node = match node {
            Value::Object(o) => match o.get_mut(key) {
                Some(next) => next,
                None => return false,
            },
            Value::Array(items) => match key.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                Some(next) => next,
                None => return false,
            },
            _ => return false,
        };
    }
    false
}

/// Reads, overrides and decodes the run file at `path`.
///
/// # Errors
/// As [`read_json`], [`apply_overrides`] and [`decode`].
pub fn load(path: &Path, overrides: &[Override]) -> Result<Run, CliError> {
    let mut json = read_json(path)?;
    apply_overrides(&mut json, overrides)?;
    let base = path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    decode(path, json, base)
}

/// Makes the run file's paths absolute, so the resolved `run.json` in the run directory reads
/// the same files from anywhere: data and weights relative to `base` (the run file's
/// directory), `out` relative to the working directory.
fn absolutize(file: &mut RunFile, base: &Path) {
    let from_base = |path: &mut String| {
        let joined = base.join(&*path);
        *path = std::path::absolute(&joined)
            .unwrap_or(joined)
            .display()
            .to_string();
    };
    let data = &mut file.data;
    for path in [
        &mut file.weights,
        &mut data.path,
        &mut data.images,
        &mut data.labels,
    ]
    .into_iter()
    .flatten()
    {
        from_base(path);
    }
    if let Ok(out) = std::path::absolute(&file.out) {
        file.out = out.display().to_string();
    }
}
