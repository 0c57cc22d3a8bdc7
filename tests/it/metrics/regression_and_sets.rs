//! Regression metrics, metric sets by name, bad batches, object safety.

use minitrainer::Error;
use minitrainer::Tensor;
use minitrainer::metrics::{
    Accuracy, ClassesConfig, Mae, Metric, MetricSet, MetricValue, R2Score, Target, metric_from_str,
};
use serde_json::Value;

use super::*;

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
