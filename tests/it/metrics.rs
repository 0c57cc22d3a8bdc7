//! Streaming metrics against sklearn/torch: the fixture's predictions are fed batch by batch
//! (uneven batches, an empty one included) and must give the whole-set values that
//! `tools/reference/gen_metrics.py` computed — counts exactly, f64 ratios to 1e-12 relative.

use minitrainer::Error;
use minitrainer::Tensor;
use minitrainer::metrics::{
    Accuracy, Average, ClassScore, ClassScoreConfig, ClassesConfig, ClassificationReport,
    ConfusionMatrix, ConfusionMatrixConfig, Mae, MeanLoss, Metric, MetricError, MetricSet,
    MetricValue, R2Score, Score, Target, TopKAccuracyConfig, metric_from_str,
};
use serde_json::Value;

const FIXTURE: &str = include_str!("../../minitrainer-core/tests/fixtures/metrics.json");
/// f64 ratios: sklearn sums in another order (numpy's pairwise sum), so the last bits may differ.
const RELATIVE: f64 = 1e-12;

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn fixture() -> Result<Value, serde_json::Error> {
    serde_json::from_str(FIXTURE)
}

fn f32s(value: &Value) -> Vec<f32> {
    let list = value.as_array().expect("fixture: a list of numbers");
    // The fixture holds f32 values written as f64: the cast is exact.
    list.iter()
        .map(|x| x.as_f64().expect("fixture: a number") as f32)
        .collect()
}

fn usizes(value: &Value) -> Vec<usize> {
    let list = value.as_array().expect("fixture: a list of integers");
    list.iter()
        .map(|x| x.as_u64().expect("fixture: an integer") as usize)
        .collect()
}

fn number(value: &Value) -> f64 {
    value.as_f64().expect("fixture: a number")
}

fn assert_close(actual: f64, expected: f64, what: &str) {
    let tolerance = RELATIVE * expected.abs().max(f64::MIN_POSITIVE);
    assert!(
        (actual - expected).abs() <= tolerance,
        "{what}: {actual} vs sklearn {expected}"
    );
}

/// One fixture case cut into its batches: (prediction, target) pairs.
struct Batches {
    batches: Vec<(Tensor, Target)>,
    whole: (Tensor, Target),
}

fn class_batches(case: &Value, labels_as_tensor: bool) -> Result<Batches, Error> {
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

fn feed(metric: &mut dyn Metric, batches: &Batches) -> Result<MetricValue, MetricError> {
    for (prediction, target) in &batches.batches {
        metric.update(prediction, target)?;
    }
    Ok(metric.compute().expect("a value after the whole set"))
}

fn scalar(value: &MetricValue) -> f64 {
    value.as_scalar().expect("a scalar value")
}

fn classification_metrics() -> Vec<Box<dyn Metric>> {
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
fn check_against_sklearn(case: &str, name: &str, value: &MetricValue, expected: &Value) {
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

fn f32s_as_f64(value: &Value) -> Vec<f64> {
    value
        .as_array()
        .expect("fixture: a list")
        .iter()
        .map(number)
        .collect()
}

// ---- classification ---------------------------------------------------------------------

#[test]
fn classification_metrics_over_uneven_batches_match_sklearn() -> TestResult {
    let fixture = fixture()?;
    for case in fixture["classification"]
        .as_array()
        .expect("fixture: cases")
    {
        let name = case["name"].as_str().unwrap_or_default();
        let batches = class_batches(case, false)?;
        for mut metric in classification_metrics() {
            let value = feed(metric.as_mut(), &batches)?;
            check_against_sklearn(name, metric.name(), &value, &case["expected"]);
        }
    }
    Ok(())
}

#[test]
fn label_tensors_give_the_same_values_as_label_lists() -> TestResult {
    let fixture = fixture()?;
    let case = &fixture["classification"][0];
    let (lists, tensors) = (class_batches(case, false)?, class_batches(case, true)?);
    for (mut a, mut b) in classification_metrics()
        .into_iter()
        .zip(classification_metrics())
    {
        assert_eq!(
            feed(a.as_mut(), &lists)?,
            feed(b.as_mut(), &tensors)?,
            "{}",
            a.name()
        );
    }
    Ok(())
}

#[test]
fn streaming_equals_all_at_once_and_reset_starts_over() -> TestResult {
    let fixture = fixture()?;
    for case in fixture["classification"]
        .as_array()
        .expect("fixture: cases")
    {
        let batches = class_batches(case, false)?;
        for mut metric in classification_metrics() {
            let streamed = feed(metric.as_mut(), &batches)?;
            metric.reset();
            assert_eq!(metric.compute(), None, "{}", metric.name());
            let (prediction, target) = &batches.whole;
            metric.update(prediction, target)?;
            // Counts are exact, and the ratios are computed from the same counts.
            assert_eq!(metric.compute(), Some(streamed), "{}", metric.name());
        }
    }
    Ok(())
}

#[test]
fn mean_loss_of_per_sample_losses_matches_torch() -> TestResult {
    let fixture = fixture()?;
    for case in fixture["classification"]
        .as_array()
        .expect("fixture: cases")
    {
        let losses = f32s(&case["losses"]);
        let (mut per_sample, mut batch_means) = (MeanLoss::new(), MeanLoss::new());
        let mut start = 0;
        for n in usizes(&case["batch_sizes"]) {
            let target: Target = vec![0; n].into();
            let batch = &losses[start..start + n];
            per_sample.update(&Tensor::from_vec(batch.to_vec(), &[n])?, &target)?;
            if n > 0 {
                // reduction="mean" in f32, as a training step reports it.
                let mean = batch.iter().map(|&l| f64::from(l)).sum::<f64>() / n as f64;
                batch_means.update(&Tensor::scalar(mean as f32), &target)?;
            }
            start += n;
        }
        let expected = &case["expected"];
        let streamed = per_sample.compute().as_ref().map(scalar);
        assert_close(
            streamed.unwrap_or(f64::NAN),
            number(&expected["mean_loss_per_sample"]),
            "loss",
        );
        // Batch means were rounded to f32: equal to torch's f32 mean to f32 precision.
        let from_means = batch_means
            .compute()
            .as_ref()
            .map(scalar)
            .unwrap_or(f64::NAN);
        let torch = number(&expected["mean_loss_torch_f32"]);
        assert!(
            (from_means - torch).abs() <= 1e-6 * torch.abs(),
            "{from_means} vs {torch}"
        );
    }
    Ok(())
}

// ---- regression -------------------------------------------------------------------------

fn regression_batches(case: &Value) -> Result<Batches, Error> {
    let shape = usizes(&case["shape"]);
    let width: usize = shape[1..].iter().product();
    let (predictions, targets) = (f32s(&case["predictions"]), f32s(&case["targets"]));
    let mut batches = Vec::new();
    let mut start = 0;
    for n in usizes(&case["batch_sizes"]) {
        let mut batch_shape = shape.clone();
        batch_shape[0] = n;
        let cut = |v: &[f32]| {
            Tensor::from_vec(v[start * width..(start + n) * width].to_vec(), &batch_shape)
        };
        batches.push((cut(&predictions)?, cut(&targets)?.into()));
        start += n;
    }
    let whole = (
        Tensor::from_vec(predictions, &shape)?,
        Tensor::from_vec(targets, &shape)?.into(),
    );
    Ok(Batches { batches, whole })
}

#[test]
fn regression_metrics_over_uneven_batches_match_sklearn() -> TestResult {
    let fixture = fixture()?;
    for case in fixture["regression"].as_array().expect("fixture: cases") {
        let name = case["name"].as_str().unwrap_or_default();
        let batches = regression_batches(case)?;
        let metrics: Vec<Box<dyn Metric>> = vec![Box::new(Mae::new()), Box::new(R2Score::new())];
        for mut metric in metrics {
            let streamed = scalar(&feed(metric.as_mut(), &batches)?);
            let key = metric.name().to_string();
            assert_close(
                streamed,
                number(&case["expected"][&key]),
                &format!("{name}/{key}"),
            );
            metric.reset();
            metric.update(&batches.whole.0, &batches.whole.1)?;
            let at_once = metric.compute().as_ref().map(scalar).unwrap_or(f64::NAN);
            assert_close(
                streamed,
                at_once,
                &format!("{name}/{key} streamed vs at once"),
            );
        }
    }
    Ok(())
}

// ---- the factory and the set --------------------------------------------------------------

#[test]
fn metric_set_from_specs_matches_sklearn_by_name() -> TestResult {
    let fixture = fixture()?;
    let case = &fixture["classification"][2];
    let mut set = MetricSet::from_specs([
        "accuracy",
        "top_k_accuracy(k=3)",
        r#"precision(average="weighted")"#,
        r#"recall(average="none", num_classes=5)"#,
        "f1",
        "classification_report",
        "confusion_matrix",
    ])?;
    assert!(set.compute().is_empty());
    let batches = class_batches(case, true)?;
    for (prediction, target) in &batches.batches {
        set.update(prediction, target)?;
    }
    let values = set.compute();
    assert_eq!(values.len(), 7);
    for (name, value) in &values {
        check_against_sklearn("set", name, value, &case["expected"]);
    }
    Ok(())
}

#[test]
fn metric_specs_report_unknown_names_and_bad_options() {
    let message = |spec: &str| {
        metric_from_str(spec)
            .err()
            .map(|e| Error::from(e).to_string())
    };
    let unknown = message("top_k_acuracy(k=5)").unwrap_or_default();
    assert!(
        unknown.contains(r#"did you mean "top_k_accuracy"?"#),
        "{unknown}"
    );
    let bad_k = message("top_k_accuracy(k=0)").unwrap_or_default();
    assert!(
        bad_k.starts_with(r#"invalid options for metric "top_k_accuracy""#),
        "{bad_k}"
    );
    assert!(message("r2(k=1)").is_some());
    assert!(message("accuracy(num_classes=\"ten\")").is_some());
    assert!(message("accuracy extra").is_some_and(|m| m.contains("column")));
}

// ---- bad batches --------------------------------------------------------------------------

#[test]
fn every_bad_batch_is_an_error_and_changes_nothing() -> TestResult {
    let logits = Tensor::from_vec(vec![0.1, 0.7, 0.2, 0.9, 0.05, 0.05], &[2, 3])?;
    let mut accuracy = Accuracy::new(&ClassesConfig::default());
    let error = |m: &mut dyn Metric, p: &Tensor, t: Target| {
        m.update(p, &t)
            .map_err(Error::from)
            .err()
            .map(|e| e.to_string())
    };

    let label = error(&mut accuracy, &logits, vec![1, 3].into());
    assert_eq!(
        label.as_deref(),
        Some(
            "accuracy: label 3 at position 1 is out of range for 3 classes (labels must be 0..3); check the labels or the prediction's last axis"
        )
    );
    let mismatch = error(&mut accuracy, &logits, vec![1].into());
    assert_eq!(
        mismatch.as_deref(),
        Some(
            "accuracy: the prediction holds 2 samples but the target holds 1; give one target per prediction row"
        )
    );
    let not_a_label = error(
        &mut accuracy,
        &logits,
        Tensor::from_vec(vec![1.0, 2.5], &[2])?.into(),
    );
    assert!(
        not_a_label.is_some_and(
            |m| m.contains("label 2.5 at position 1 is not a non-negative whole number")
        )
    );
    let shape = error(&mut accuracy, &Tensor::zeros(&[6]), vec![0; 6].into());
    assert!(shape.is_some_and(|m| m.contains("expected a prediction of shape [N, C]")));
    assert_eq!(accuracy.compute(), None);

    accuracy.update(&logits, &vec![1, 0].into())?;
    let changed = error(&mut accuracy, &Tensor::zeros(&[2, 4]), vec![0, 0].into());
    assert!(changed.is_some_and(|m| {
        m.contains("this batch has 4 classes, but 3 were fixed by the first batch")
    }));
    assert_eq!(accuracy.compute(), Some(MetricValue::Scalar(1.0)));

    let mut top5 = metric_from_str("top_k_accuracy(k=5)")?;
    let k = error(top5.as_mut(), &logits, vec![1, 0].into());
    assert!(k.is_some_and(|m| m.contains("k = 5 is larger than the number of classes (3)")));

    let mut r2 = R2Score::new();
    let labels = error(&mut r2, &Tensor::zeros(&[2]), vec![0, 1].into());
    assert!(labels.is_some_and(|m| m.contains("expected the target values as a tensor")));
    assert_eq!(r2.compute(), None);
    Ok(())
}

#[test]
fn metrics_are_object_safe_and_send() {
    fn assert_send<T: Send>(_: &T) {}
    let metrics: Vec<Box<dyn Metric>> = classification_metrics();
    assert_send(&metrics);
    assert!(metrics.iter().all(|m| m.compute().is_none()));
}
