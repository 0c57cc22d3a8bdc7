//! [`metric_from_str`]: a metric by name, as a run file or a command line lists them —
//! `"accuracy"`, `"top_k_accuracy(k=5)"`, `"f1(average=\"weighted\")"`, `"mae"`.
//!
//! The compact form is parsed by [`parse_call`]; the fields are the metric's
//! `#[derive(Config)]` options, validated as any config (unknown key with a suggestion, wrong
//! type, violated rule). An unknown metric name suggests the closest known one.

use serde_json::{Map, Value};

use super::{
    Accuracy, ClassScore, ClassScoreConfig, ClassesConfig, ClassificationReport, ConfusionMatrix,
    ConfusionMatrixConfig, Mae, Metric, MetricError, R2Score,
};
use crate::config::{Config, parse_call};
use crate::suggest::did_you_mean;

/// Options of the metrics that take none (`mae`, `r2`): any field is an error.
#[derive(minitrainer_macros::Config, Clone, Debug, PartialEq)]
pub struct NoOptions {}

/// Every name [`metric_from_str`] knows, with its options' config.
pub const METRIC_NAMES: &[&str] = &[
    "accuracy",
    "top_k_accuracy",
    "precision",
    "recall",
    "f1",
    "classification_report",
    "confusion_matrix",
    "mae",
    "r2",
];

/// Builds a metric from its name and options in the compact call form.
///
/// | spec | metric | options |
/// |---|---|---|
/// | `accuracy` | [`Accuracy::new`] | [`ClassesConfig`] |
/// | `top_k_accuracy(k=5)` | [`Accuracy::top_k`] | [`TopKAccuracyConfig`](super::TopKAccuracyConfig) |
/// | `precision`, `recall`, `f1` | [`ClassScore`] | [`ClassScoreConfig`] (`average="macro"` by default) |
/// | `classification_report` | [`ClassificationReport`] | [`ClassesConfig`] |
/// | `confusion_matrix` | [`ConfusionMatrix`] | [`ConfusionMatrixConfig`] |
/// | `mae`, `r2` | [`Mae`], [`R2Score`] | none |
///
/// [`MeanLoss`](super::MeanLoss) is not listed: it reads the loss, not the model's output,
/// and the training loop keeps it itself.
///
/// ```
/// use minitrainer_core::metrics::metric_from_str;
/// assert_eq!(metric_from_str("top_k_accuracy(k=5)")?.name(), "top5_accuracy");
/// assert_eq!(metric_from_str(r#"f1(average="weighted")"#)?.name(), "f1_weighted");
/// let error = metric_from_str("acuracy").err().map(|e| e.to_string()).unwrap_or_default();
/// assert!(error.starts_with(r#"unknown metric "acuracy"; did you mean "accuracy"?"#));
/// # Ok::<(), minitrainer_core::metrics::MetricError>(())
/// ```
///
/// # Errors
/// [`MetricError::Syntax`] (malformed spec, with the column), [`MetricError::UnknownMetric`]
/// (with a suggestion and the known names), [`MetricError::Config`] (invalid options).
pub fn metric_from_str(text: &str) -> Result<Box<dyn Metric>, MetricError> {
    let (name, fields) = parse_call(text, "metric", "top_k_accuracy(k=5)")?;
    let metric: Box<dyn Metric> = match name.as_str() {
        "accuracy" => Box::new(Accuracy::new(&options::<ClassesConfig>(&name, fields)?)),
        "top_k_accuracy" => Box::new(Accuracy::top_k(&options(&name, fields)?)),
        "precision" => Box::new(ClassScore::precision(&options(&name, fields)?)),
        "recall" => Box::new(ClassScore::recall(&options(&name, fields)?)),
        "f1" => Box::new(ClassScore::f1(&options::<ClassScoreConfig>(&name, fields)?)),
        "classification_report" => Box::new(ClassificationReport::new(&options(&name, fields)?)),
        "confusion_matrix" => Box::new(ConfusionMatrix::new(&options::<ConfusionMatrixConfig>(
            &name, fields,
        )?)),
        "mae" => {
            options::<NoOptions>(&name, fields)?;
            Box::new(Mae::new())
        }
        "r2" => {
            options::<NoOptions>(&name, fields)?;
            Box::new(R2Score::new())
        }
        _ => {
            return Err(MetricError::UnknownMetric {
                suggestion: did_you_mean(&name, METRIC_NAMES.iter().copied()),
                name,
                known: METRIC_NAMES.to_vec(),
            });
        }
    };
    Ok(metric)
}

/// Decodes and validates a metric's options.
fn options<C: Config>(metric: &str, fields: Map<String, Value>) -> Result<C, MetricError> {
    C::from_value(Value::Object(fields)).map_err(|source| MetricError::Config {
        metric: metric.to_string(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> String {
        metric_from_str(text)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    }

    #[test]
    fn every_known_name_builds_with_default_options() -> Result<(), MetricError> {
        for name in METRIC_NAMES {
            let spec = if *name == "top_k_accuracy" {
                "top_k_accuracy(k=3)"
            } else {
                name
            };
            let metric = metric_from_str(spec)?;
            assert!(metric.compute().is_none(), "{name}");
        }
        Ok(())
    }

    #[test]
    fn names_of_built_metrics() -> Result<(), MetricError> {
        let names = [
            "accuracy",
            "precision",
            "recall(average=\"none\")",
            "confusion_matrix(num_classes=3)",
            "mae",
            "r2",
        ]
        .iter()
        .map(|spec| metric_from_str(spec).map(|m| m.name().to_string()))
        .collect::<Result<Vec<_>, _>>()?;
        assert_eq!(
            names,
            [
                "accuracy",
                "precision_macro",
                "recall_per_class",
                "confusion_matrix",
                "mae",
                "r2"
            ]
        );
        Ok(())
    }

    #[test]
    fn bad_specs_are_errors_that_say_what_to_do() {
        assert_eq!(
            error("f2"),
            "unknown metric \"f2\"; did you mean \"f1\"?; known metrics: \"accuracy\", \
             \"top_k_accuracy\", \"precision\", \"recall\", \"f1\", \"classification_report\", \
             \"confusion_matrix\", \"mae\", \"r2\""
        );
        assert!(error("top_k_accuracy").contains("invalid options for metric \"top_k_accuracy\""));
        assert!(error("top_k_accuracy").contains("k"));
        assert!(
            error("mae(k=1)").contains("unknown field \"k\""),
            "{}",
            error("mae(k=1)")
        );
        assert!(error("accuracy(num_clases=3)").contains("did you mean \"num_classes\""));
        assert!(error("precision(average=\"mikro\")").contains("mikro"));
        assert!(error("confusion_matrix(num_classes=5000)").contains("num_classes"));
        assert!(error("accuracy(").starts_with("malformed metric spec at column"));
    }
}
