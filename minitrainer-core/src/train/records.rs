//! What a run records: where it is ([`Position`]), one [`StepRecord`] per optimizer step, one
//! [`EpochRecord`] per epoch, and the [`History`] of a run, all with a JSON form that round-trips
//! every `f64` exactly (checkpoints store the history, and a resumed run must log the same bits).

use serde_json::{Map, Value, json};

/// Where a run is: the epoch it is in, the optimizer steps done, and the batches of this epoch
/// consumed. Epochs count from 1 (as progress lines show them); a fresh run is at epoch 1,
/// step 0, batch 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Position {
    /// The current epoch, from 1.
    pub epoch: u64,
    /// Optimizer steps done in the whole run.
    pub step: u64,
    /// Batches of the current epoch consumed (0 at the start of an epoch).
    pub batch: usize,
}

impl Default for Position {
    fn default() -> Self {
        Position {
            epoch: 1,
            step: 0,
            batch: 0,
        }
    }
}

/// One optimizer step, as the metrics log and the `on_batch_end` hook see it.
#[derive(Clone, Debug, PartialEq)]
pub struct StepRecord {
    /// The epoch, from 1.
    pub epoch: u64,
    /// The global step, from 1.
    pub step: u64,
    /// The batch loss before the update (the mean over the accumulated batches).
    pub loss: f64,
    /// The learning rate of the first parameter group, as used by this step.
    pub lr: f64,
    /// The global L2 norm of the gradients before clipping.
    pub grad_norm: f64,
    /// Whether the update was skipped (a non-finite loss or gradient, when told to skip).
    pub skipped: bool,
}

impl StepRecord {
    /// `{"kind": "step", "epoch", "step", "loss", "lr", "grad_norm"}` (+ `"skipped": true`).
    pub fn to_json(&self) -> Value {
        let mut line = json!({
            "kind": "step",
            "epoch": self.epoch,
            "step": self.step,
            "loss": number(self.loss),
            "lr": number(self.lr),
            "grad_norm": number(self.grad_norm),
        });
        if self.skipped {
            line["skipped"] = Value::Bool(true);
        }
        line
    }
}

/// The metrics of one epoch (`"train_loss"`, `"lr"`, `"valid_loss"`, `"valid_accuracy"`, …) or
/// of one validation inside an epoch, in the order they were computed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EpochRecord {
    /// The epoch, from 1.
    pub epoch: u64,
    /// The global step at the end of the epoch (or at the validation).
    pub step: u64,
    /// Scalar metrics by name.
    pub metrics: Vec<(String, f64)>,
}

impl EpochRecord {
    /// A metric by name.
    pub fn get(&self, name: &str) -> Option<f64> {
        self.metrics
            .iter()
            .find(|(n, _)| n == name)
            .map(|&(_, v)| v)
    }

    /// `{"kind": kind, "epoch", "step", <metrics>}`; `kind` is `"epoch"` or `"validation"`.
    pub fn to_json(&self, kind: &str) -> Value {
        let mut line = Map::new();
        line.insert("kind".into(), kind.into());
        line.insert("epoch".into(), self.epoch.into());
        line.insert("step".into(), self.step.into());
        for (name, value) in &self.metrics {
            line.insert(name.clone(), number(*value));
        }
        Value::Object(line)
    }

    fn from_json(value: &Value) -> Option<EpochRecord> {
        let object = value.as_object()?;
        let epoch = object.get("epoch")?.as_u64()?;
        let step = object.get("step")?.as_u64()?;
        let metrics = object
            .iter()
            .filter(|(key, _)| !matches!(key.as_str(), "kind" | "epoch" | "step"))
            .map(|(key, value)| Some((key.clone(), from_number(value)?)))
            .collect::<Option<_>>()?;
        Some(EpochRecord {
            epoch,
            step,
            metrics,
        })
    }
}

/// The metrics of a run: one record per finished epoch, and one per validation run between
/// epoch ends (`validate_every_steps`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    /// One record per finished epoch.
    pub epochs: Vec<EpochRecord>,
    /// Validations run every N steps (empty when validating once per epoch).
    pub validations: Vec<EpochRecord>,
}

impl History {
    /// The values of metric `name`, one per epoch that has it.
    pub fn metric(&self, name: &str) -> Vec<f64> {
        self.epochs.iter().filter_map(|e| e.get(name)).collect()
    }

    /// The last epoch's record.
    pub fn last(&self) -> Option<&EpochRecord> {
        self.epochs.last()
    }

    /// `{"epochs": [...], "validations": [...]}`.
    pub fn to_json(&self) -> Value {
        let lines = |records: &[EpochRecord], kind| {
            records.iter().map(|r| r.to_json(kind)).collect::<Vec<_>>()
        };
        json!({
            "epochs": lines(&self.epochs, "epoch"),
            "validations": lines(&self.validations, "validation"),
        })
    }

    /// The history [`History::to_json`] wrote; `None` when it is not one.
    pub fn from_json(value: &Value) -> Option<History> {
        let records = |key| -> Option<Vec<EpochRecord>> {
            value
                .get(key)?
                .as_array()?
                .iter()
                .map(EpochRecord::from_json)
                .collect()
        };
        Some(History {
            epochs: records("epochs")?,
            validations: records("validations")?,
        })
    }
}

/// A JSON number, or a string for NaN and the infinities (JSON has none), so logs and
/// checkpoints keep them.
pub(crate) fn number(x: f64) -> Value {
    if x.is_finite() {
        json!(x)
    } else if x.is_nan() {
        json!("NaN")
    } else if x > 0.0 {
        json!("inf")
    } else {
        json!("-inf")
    }
}

/// The inverse of [`number`].
pub(crate) fn from_number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => match s.as_str() {
            "NaN" => Some(f64::NAN),
            "inf" => Some(f64::INFINITY),
            "-inf" => Some(f64::NEG_INFINITY),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_history_round_trips_bit_for_bit_through_json() {
        let history = History {
            epochs: vec![EpochRecord {
                epoch: 1,
                step: 45,
                metrics: vec![
                    ("train_loss".into(), 0.1 + 0.2),
                    ("valid_loss".into(), f64::NAN),
                    ("lr".into(), f64::INFINITY),
                ],
            }],
            validations: vec![],
        };
        let text = history.to_json().to_string();
        let back = History::from_json(&serde_json::from_str(&text).unwrap()).unwrap();
        assert_eq!(back.epochs[0].get("train_loss"), Some(0.1 + 0.2));
        assert!(back.epochs[0].get("valid_loss").unwrap().is_nan());
        assert_eq!(back.epochs[0].metrics.len(), 3);
        assert_eq!(back.metric("lr"), vec![f64::INFINITY]);
    }

    #[test]
    fn a_step_line_has_the_documented_keys() {
        let record = StepRecord {
            epoch: 2,
            step: 7,
            loss: 0.5,
            lr: 0.001,
            grad_norm: 1.25,
            skipped: false,
        };
        assert_eq!(
            record.to_json().to_string(),
            r#"{"kind":"step","epoch":2,"step":7,"loss":0.5,"lr":0.001,"grad_norm":1.25}"#
        );
    }

    #[test]
    fn a_malformed_history_is_none() {
        assert!(History::from_json(&json!({"epochs": [{"epoch": 1}]})).is_none());
        assert!(History::from_json(&json!([])).is_none());
    }
}
