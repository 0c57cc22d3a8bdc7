//! `get_params` / `set_params`: the estimator's configs as JSON, `{"model": <config.json>,
//! "options": <EstimatorOptions>}`, and partial updates validated like any config.

use serde_json::{Map, Value, json};

use super::core::{Estimator, Stage, build, canonical_spec, check_training};
use super::error::EstimatorError;
use super::options::EstimatorOptions;
use crate::Error;
use crate::config::{Config, ConfigError};
use crate::registry::ModelSpec;
use crate::suggest::did_you_mean;

const GROUPS: [&str; 2] = ["model", "options"];

impl Estimator {
    pub(super) fn get_params(&self) -> Value {
        json!({"model": self.spec.to_json(), "options": self.options.to_value()})
    }

    /// Applies `params` (JSON text) whole or not at all.
    pub(super) fn set_params(&mut self, params: &str) -> Result<(), Error> {
        let value: Value = serde_json::from_str(params)
            .map_err(|e| EstimatorError::params("params", ConfigError::from_json_error(&e)))?;
        let groups = object("params", value)?;
        let (mut model, mut options) = (None, None);
        for (key, value) in groups {
            match key.as_str() {
                "model" => model = Some(object("model", value)?),
                "options" => options = Some(object("options", value)?),
                _ => return Err(self.unknown_group(key).into()),
            }
        }
        let options = match options {
            Some(update) => merged_options(&self.options, update)?,
            None => self.options.clone(),
        };
        let spec = match model {
            Some(update) => Some(self.merged_spec(update)?).filter(|spec| *spec != self.spec),
            None => None,
        };
        // Changed model: build it now (its errors show here) and drop the fitted weights.
        let rebuilt = match &spec {
            Some(spec) => {
                let model = build(spec, options.seed)?;
                Some((canonical_spec(&*model)?, model))
            }
            None => None,
        };
        let probe = match (&rebuilt, &self.stage) {
            (Some((_, model)), _) => Some(&**model),
            (None, Stage::Fresh(model, _) | Stage::Fitted(model)) => Some(&**model),
            (None, Stage::Empty) => None,
        };
        match probe {
            Some(model) => check_training(self.kind, &options, model)?,
            None => check_training(self.kind, &options, &*build(&self.spec, options.seed)?)?,
        }
        if let Some((spec, model)) = rebuilt {
            self.spec = spec;
            self.stage = Stage::Fresh(model, options.seed);
        }
        self.options = options;
        Ok(())
    }

    /// The model's fields overwritten by `update`; an update naming another `model_type`
    /// replaces the config instead (the old fields would not fit the new type).
    fn merged_spec(&self, update: Map<String, Value>) -> Result<ModelSpec, Error> {
        let params = |e: Error| EstimatorError::params("model", e);
        let new_type = match update.get("model_type") {
            Some(Value::String(name)) => name != &self.spec.model_type,
            Some(_) => true,
            None => false,
        };
        if new_type {
            return ModelSpec::from_json(Value::Object(update))
                .map_err(|e| params(e.into()).into());
        }
        let mut spec = self.spec.clone();
        for (key, value) in update {
            if key != "model_type" {
                spec.fields.insert(key, value);
            }
        }
        Ok(spec)
    }

    /// The error for a top-level key that is not a group, pointing at where it belongs.
    fn unknown_group(&self, key: String) -> EstimatorError {
        let suggestion = if let Some(group) = did_you_mean(&key, GROUPS) {
            Some(format!("\"{group}\""))
        } else if EstimatorOptions::schema().field(&key).is_some() {
            Some(format!("{{\"options\": {{\"{key}\": ...}}}}"))
        } else if self.spec.fields.contains_key(&key) {
            Some(format!("{{\"model\": {{\"{key}\": ...}}}}"))
        } else {
            None
        };
        EstimatorError::UnknownParam { key, suggestion }
    }
}

fn merged_options(
    options: &EstimatorOptions,
    update: Map<String, Value>,
) -> Result<EstimatorOptions, Error> {
    let mut merged = match options.to_value() {
        Value::Object(fields) => fields,
        _ => Map::new(),
    };
    merged.extend(update);
    EstimatorOptions::from_value(Value::Object(merged))
        .map_err(|e| EstimatorError::params("options", e).into())
}

fn object(group: &'static str, value: Value) -> Result<Map<String, Value>, EstimatorError> {
    match value {
        Value::Object(map) => Ok(map),
        other => Err(EstimatorError::NotAnObject {
            group,
            found: other.to_string(),
        }),
    }
}
