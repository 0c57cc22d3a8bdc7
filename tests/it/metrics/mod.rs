//! Streaming metrics against sklearn/torch: the fixture's predictions are fed batch by batch
//! (uneven batches, an empty one included) and must give the whole-set values that
//! `tools/reference/gen_metrics.py` computed — counts exactly, f64 ratios to 1e-12 relative.

mod classification;
mod regression_and_sets;

use minitrainer::Error;
use minitrainer::Tensor;
use minitrainer::metrics::{
    Accuracy, Average, ClassScore, ClassScoreConfig, ClassesConfig, ClassificationReport,
    ConfusionMatrix, ConfusionMatrixConfig, Metric, MetricError, MetricValue, Score, Target,
    TopKAccuracyConfig,
};
use serde_json::Value;

const FIXTURE: &str = include_str!("../../../minitrainer-core/tests/fixtures/metrics.json");
/// f64 ratios: sklearn sums in another order (numpy's pairwise sum), so the last bits may differ.
const RELATIVE: f64 = 1e-12;

type TestResult = Result<(), Box<dyn std::error::Error>>;

pub(super) fn fixture() -> Result<Value, serde_json::Error> {
    serde_json::from_str(FIXTURE)
}

pub(super) fn f32s(value: &Value) -> Vec<f32> {
    let list = value.as_array().expect("fixture: a list of numbers");
    // The fixture holds f32 values written as f64: the cast is exact.
    list.iter()
        .map(|x| x.as_f64().expect("fixture: a number") as f32)
        .collect()
}

pub(super) fn usizes(value: &Value) -> Vec<usize> {
    let list = value.as_array().expect("fixture: a list of integers");
    list.iter()
        .map(|x| x.as_u64().expect("fixture: an integer") as usize)
        .collect()
}

pub(super) fn number(value: &Value) -> f64 {
    value.as_f64().expect("fixture: a number")
}

pub(super) fn assert_close(actual: f64, expected: f64, what: &str) {
    let tolerance = RELATIVE * expected.abs().max(f64::MIN_POSITIVE);
    assert!(
        (actual - expected).abs() <= tolerance,
        "{what}: {actual} vs sklearn {expected}"
    );
}

/// One fixture case cut into its batches: (prediction, target) pairs.
pub(super) struct Batches {
    batches: Vec<(Tensor, Target)>,
    whole: (Tensor, Target),
}

pub(super) fn class_batches(case: &Value, labels_as_tensor: bool) -> Result<Batches, Error> {
    let c = case["num_classes"].as_u64().expect("fixture: num_classes") as usize;
    let scores = f32s(&case["predictions"]);
    let labels = usizes(&case["labels"]);
    let target = |labels: &[usize]| -> Result<Target, Error> {
        Ok(if labels_as_tensor {
            let values = labels.iter().map(|&l| l as f32).collect();
            Tensor::from_vec(values, &[labels.len()])?.into()
        } else {
            labels.into()
        })
    };
    let mut batches = Vec::new();
    let mut start = 0;
    for n in usizes(&case["batch_sizes"]) {
        let prediction = Tensor::from_vec(scores[start * c..(start + n) * c].to_vec(), &[n, c])?;
        batches.push((prediction, target(&labels[start..start + n])?));
        start += n;
    }
    let whole = (
        Tensor::from_vec(scores, &[labels.len(), c])?,
        target(&labels)?,
    );
    Ok(Batches { batches, whole })
}

pub(super) fn feed(metric: &mut dyn Metric, batches: &Batches) -> Result<MetricValue, MetricError> {
    for (prediction, target) in &batches.batches {
        metric.update(prediction, target)?;
    }
    Ok(metric.compute().expect("a value after the whole set"))
}

pub(super) fn scalar(value: &MetricValue) -> f64 {
    value.as_scalar().expect("a scalar value")
}

pub(super) fn classification_metrics() -> Vec<Box<dyn Metric>> {
    let mut metrics: Vec<Box<dyn Metric>> = vec![
        Box::new(Accuracy::new(&ClassesConfig::default())),
        Box::new(ClassificationReport::new(&ClassesConfig::default())),
        Box::new(ConfusionMatrix::new(&ConfusionMatrixConfig::default())),
    ];
    for k in 1..=3 {
        metrics.push(Box::new(Accuracy::top_k(&TopKAccuracyConfig::new(k))));
    }
    for score in [Score::Precision, Score::Recall, Score::F1] {
        for average in [
            Average::Macro,
            Average::Weighted,
            Average::Micro,
            Average::None,
        ] {
            let config = ClassScoreConfig {
                average,
                num_classes: None,
            };
            metrics.push(Box::new(ClassScore::new(score, &config)));
        }
    }
    metrics
}

/// Compares a metric's value with the fixture's expected entry of the same name.
pub(super) fn check_against_sklearn(case: &str, name: &str, value: &MetricValue, expected: &Value) {
    let what = format!("{case}/{name}");
    match (name, value) {
        ("confusion_matrix", MetricValue::ConfusionMatrix(rows)) => {
            let expected: Vec<Vec<u64>> =
                serde_json::from_value(expected[name].clone()).expect("fixture: counts");
            assert_eq!(rows, &expected, "{what}");
        }
        ("classification_report", MetricValue::Report(_)) => {
            let json = value.to_json();
            let expected = &expected[name];
            let keys = |v: &Value| v.as_object().map(|o| o.keys().cloned().collect::<Vec<_>>());
            assert_eq!(keys(&json), keys(expected), "{what}: keys");
            assert_close(
                number(&json["accuracy"]),
                number(&expected["accuracy"]),
                &what,
            );
            for (key, entry) in expected.as_object().expect("fixture: the report").iter() {
                if key == "accuracy" {
                    continue;
                }
                for field in ["precision", "recall", "f1-score", "support"] {
                    assert_close(
                        number(&json[key][field]),
                        number(&entry[field]),
                        &format!("{what}/{key}/{field}"),
                    );
                }
            }
        }
        (_, MetricValue::PerClass(values)) => {
            let expected = f32s_as_f64(&expected[name]);
            assert_eq!(values.len(), expected.len(), "{what}");
            for (a, e) in values.iter().zip(expected) {
                assert_close(*a, e, &what);
            }
        }
        (_, MetricValue::Scalar(x)) => {
            let expected = match name
                .strip_prefix("top")
                .and_then(|r| r.strip_suffix("_accuracy"))
            {
                Some(k) => &expected["top_k_accuracy"][k],
                None => &expected[name],
            };
            assert_close(*x, number(expected), &what);
        }
        _ => panic!("{what}: unexpected value {value}"),
    }
}

pub(super) fn f32s_as_f64(value: &Value) -> Vec<f64> {
    value
        .as_array()
        .expect("fixture: a list")
        .iter()
        .map(number)
        .collect()
}

// ---- classification ---------------------------------------------------------------------
