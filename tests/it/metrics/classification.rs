//! Classification metrics and the mean loss, batch by batch against sklearn and torch.

use minitrainer::Tensor;
use minitrainer::metrics::{MeanLoss, Metric, Target};

use super::*;

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
