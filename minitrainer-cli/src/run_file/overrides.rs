//! `--set key.path=value`: overrides of a run file's keys by dotted path, checked against the
//! run file's schema (an unknown key is an error with a suggestion) before they are applied.

use std::path::Path;

use minitrainer::config::Config;
use minitrainer::suggest::did_you_mean;
use serde_json::{Map, Value};

use super::schema::{DataConfig, GroupConfig, RunFile};
use crate::error::CliError;

/// Keys holding paths: a value given on the command line is relative to the working
/// directory, so it is made absolute here (run-file paths are relative to the run file).
const PATH_KEYS: &[&str] = &["weights", "out", "data.path", "data.images", "data.labels"];

/// One `--set key.path=value`: the value is JSON when it parses as JSON (`3`, `[64, 32]`,
/// `{"lr": 0.1}`, `null`), a bare string otherwise (`adam(lr=0.01)`).
#[derive(Clone, Debug, PartialEq)]
pub struct Override {
    /// The argument as given (for messages).
    pub arg: String,
    /// The dotted path, split.
    pub path: Vec<String>,
    /// The new value.
    pub value: Value,
}

impl Override {
    /// Parses `key.path=value`.
    ///
    /// # Errors
    /// [`CliError::Override`] without `=` or with an empty key segment.
    pub fn parse(arg: &str) -> Result<Override, CliError> {
        let fail = |reason: &str| CliError::Override {
            arg: arg.to_string(),
            reason: reason.to_string(),
        };
        let (key, value) = arg
            .split_once('=')
            .ok_or_else(|| fail("expected key.path=value, e.g. --set epochs=20"))?;
        let path: Vec<String> = key.trim().split('.').map(str::to_string).collect();
        if path.iter().any(String::is_empty) {
            return Err(fail(
                "empty key; expected key.path=value, e.g. --set data.scale=standard",
            ));
        }
        let value = serde_json::from_str(value.trim())
            .unwrap_or_else(|_| Value::String(value.trim().to_string()));
        Ok(Override {
            arg: arg.to_string(),
            path,
            value,
        })
    }
}

/// The keys allowed under `prefix`, or `None` when any key is (inside `model`, whose schema
/// the registry checks when the model is built).
fn keys_under(prefix: &[String]) -> Result<Option<Vec<&'static str>>, String> {
    let names = |schema: minitrainer::config::Schema| -> Vec<&'static str> {
        schema.fields().iter().map(|f| f.name()).collect()
    };
    let prefix: Vec<&str> = prefix.iter().map(String::as_str).collect();
    Ok(match prefix.as_slice() {
        [] => Some(
            std::iter::once("model")
                .chain(names(RunFile::schema()))
                .collect(),
        ),
        ["model", ..] => None,
        ["data"] => Some(names(DataConfig::schema())),
        ["param_groups", index] if index.parse::<usize>().is_ok() => {
            Some(names(GroupConfig::schema()))
        }
        ["param_groups"] => return Err("param_groups takes an index: param_groups.0.lr".into()),
        _ => return Err(format!("`{}` has no keys inside it", prefix.join("."))),
    })
}

/// Applies `overrides` in order to the run file's JSON.
///
/// # Errors
/// [`CliError::Override`] for an unknown key (with a did-you-mean), a path through a value
/// that is not an object, or a group index past the list.
pub fn apply_overrides(json: &mut Value, overrides: &[Override]) -> Result<(), CliError> {
    for o in overrides {
        let fail = |reason: String| CliError::Override {
            arg: o.arg.clone(),
            reason,
        };
        for depth in 0..o.path.len() {
            let key = &o.path[depth];
            if let Some(known) = keys_under(&o.path[..depth]).map_err(fail)? {
                let in_list = depth > 0 && o.path[depth - 1] == "param_groups";
                if !in_list && !known.contains(&key.as_str()) {
                    let hint = did_you_mean(key, known.iter().copied())
                        .map(|s| format!("; did you mean \"{s}\"?"))
                        .unwrap_or_default();
                    let at = o.path[..=depth].join(".");
                    return Err(fail(format!("unknown key \"{at}\"{hint}")));
                }
            }
        }
        let mut value = o.value.clone();
        if PATH_KEYS.contains(&o.path.join(".").as_str())
            && let Value::String(path) = &value
        {
            let absolute = std::path::absolute(Path::new(path)).map_err(|e| fail(e.to_string()))?;
            value = Value::String(absolute.display().to_string());
        }
        set(json, &o.path, value).map_err(fail)?;
    }
    Ok(())
}

/// Sets `path` in `json` to `value`, creating objects on the way.
fn set(json: &mut Value, path: &[String], value: Value) -> Result<(), String> {
    let mut node = json;
    for (depth, key) in path.iter().enumerate() {
        let last = depth + 1 == path.len();
        if node.is_null() {
            *node = Value::Object(Map::new());
        }
        node = match node {
            Value::Object(object) => {
                if last {
                    object.insert(key.clone(), value);
                    return Ok(());
                }
                object.entry(key.clone()).or_insert(Value::Null)
            }
            Value::Array(items) => {
                let len = items.len();
                let slot = key.parse::<usize>().ok().and_then(|i| items.get_mut(i));
                let slot = slot.ok_or_else(|| {
                    format!(
                        "`{}` has {len} entries; no entry {key}",
                        path[..depth].join(".")
                    )
                })?;
                if last {
                    *slot = value;
                    return Ok(());
                }
                slot
            }
            other => {
                return Err(format!(
                    "`{}` is {other}, not an object; set it whole instead",
                    path[..depth].join(".")
                ));
            }
        };
    }
    Ok(())
}
