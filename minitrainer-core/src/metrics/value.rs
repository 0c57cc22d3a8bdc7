//! [`MetricValue`]: what `compute` returns — a number, per-class numbers, a classification
//! report or a confusion matrix — and its JSON form for a metrics log.

use std::fmt;

use serde_json::{Map, Value, json};

/// The value of a metric.
///
/// [`to_json`](MetricValue::to_json) gives the form a metrics log writes: a number, a list, or
/// for a report the dictionary of sklearn's `classification_report(output_dict=True)`.
#[derive(Clone, Debug, PartialEq)]
pub enum MetricValue {
    /// One number (accuracy, MAE, R², an averaged precision, …).
    Scalar(f64),
    /// One number per class, class 0 first (`precision(average="none")`, …).
    PerClass(Vec<f64>),
    /// Per-class precision, recall, F1 and support with their averages.
    Report(Report),
    /// Counts: row = true class, column = predicted class (sklearn's layout).
    ConfusionMatrix(Vec<Vec<u64>>),
}

impl MetricValue {
    /// The number, for a scalar value.
    pub fn as_scalar(&self) -> Option<f64> {
        match self {
            MetricValue::Scalar(x) => Some(*x),
            _ => None,
        }
    }

    /// The JSON form: a number (`null` when it is NaN or infinite, which JSON cannot hold), a
    /// list of numbers, a list of count rows, or for a report an object keyed `"0"`, `"1"`, …,
    /// `"accuracy"`, `"macro avg"`, `"weighted avg"`, each class and average an object with
    /// `"precision"`, `"recall"`, `"f1-score"` and `"support"` (sklearn's keys).
    pub fn to_json(&self) -> Value {
        match self {
            MetricValue::Scalar(x) => json!(x),
            MetricValue::PerClass(values) => json!(values),
            MetricValue::ConfusionMatrix(rows) => json!(rows),
            MetricValue::Report(report) => report.to_json(),
        }
    }
}

/// A scalar prints as its number; the other values print as their JSON form.
impl fmt::Display for MetricValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MetricValue::Scalar(x) => write!(f, "{x}"),
            other => write!(f, "{}", other.to_json()),
        }
    }
}

/// Precision, recall and F1 of one class or one average, with the support (samples whose
/// true class it is; for an average, all samples).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scores {
    /// Correct predictions of the class / predictions of the class (0 when never predicted).
    pub precision: f64,
    /// Correct predictions of the class / samples of the class (0 when it has none).
    pub recall: f64,
    /// Harmonic mean of precision and recall: `2·tp / (2·tp + fp + fn)` (0 when that is 0/0).
    pub f1: f64,
    /// Samples whose true class this is.
    pub support: u64,
}

impl Scores {
    fn to_json(self) -> Value {
        json!({
            "precision": self.precision,
            "recall": self.recall,
            "f1-score": self.f1,
            "support": self.support,
        })
    }
}

/// sklearn's `classification_report` as numbers.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// One entry per class, class 0 first.
    pub classes: Vec<Scores>,
    /// Correct predictions / samples.
    pub accuracy: f64,
    /// The unweighted mean over classes (classes never seen nor predicted included, as 0).
    pub macro_avg: Scores,
    /// The mean over classes weighted by support.
    pub weighted_avg: Scores,
}

impl Report {
    /// sklearn's `output_dict=True` form (see [`MetricValue::to_json`]).
    pub fn to_json(&self) -> Value {
        let mut object = Map::new();
        for (class, scores) in self.classes.iter().enumerate() {
            object.insert(class.to_string(), scores.to_json());
        }
        object.insert("accuracy".into(), json!(self.accuracy));
        object.insert("macro avg".into(), self.macro_avg.to_json());
        object.insert("weighted avg".into(), self.weighted_avg.to_json());
        Value::Object(object)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_serialise_to_json_for_a_log() {
        assert_eq!(MetricValue::Scalar(0.25).to_json(), json!(0.25));
        assert_eq!(MetricValue::Scalar(f64::NAN).to_json(), Value::Null);
        assert_eq!(
            MetricValue::PerClass(vec![0.5, 1.0]).to_json(),
            json!([0.5, 1.0])
        );
        assert_eq!(
            MetricValue::ConfusionMatrix(vec![vec![1, 0], vec![2, 3]]).to_string(),
            "[[1,0],[2,3]]"
        );
        assert_eq!(MetricValue::Scalar(0.5).to_string(), "0.5");
        assert_eq!(MetricValue::Scalar(0.5).as_scalar(), Some(0.5));
        assert_eq!(MetricValue::PerClass(vec![]).as_scalar(), None);
    }

    #[test]
    fn report_uses_sklearn_keys() {
        let scores = Scores {
            precision: 1.0,
            recall: 0.5,
            f1: 2.0 / 3.0,
            support: 2,
        };
        let report = Report {
            classes: vec![scores],
            accuracy: 0.5,
            macro_avg: scores,
            weighted_avg: scores,
        };
        let value = MetricValue::Report(report).to_json();
        let keys: Vec<&str> = value
            .as_object()
            .map_or(vec![], |o| o.keys().map(String::as_str).collect());
        assert_eq!(keys, ["0", "accuracy", "macro avg", "weighted avg"]);
        assert_eq!(value["0"]["f1-score"], json!(2.0 / 3.0));
        assert_eq!(value["weighted avg"]["support"], json!(2));
    }
}
