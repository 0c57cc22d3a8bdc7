//! [`ClassScore`]: precision, recall or F1 of a multiclass classifier, per class or averaged
//! (sklearn's `precision_score`, `recall_score`, `f1_score` with `labels=range(C)` and
//! `zero_division=0`).
//!
//! Sufficient statistics: per-class counts ([`ClassCounts`]). Averages run over all `C`
//! classes, including a class never seen nor predicted (it scores 0), as sklearn does when
//! given `labels=range(C)`; torchmetrics leaves such classes out of a macro average.

use minitrainer_macros::Config;

use super::class_counts::{ClassCounts, macro_average, weighted_average};
use super::classes::{ClassBatch, ClassCount};
use super::value::Scores;
use super::{Metric, MetricError, MetricValue, Target};
use crate::Tensor;

/// Which score [`ClassScore`] reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Score {
    /// tp / (tp + fp).
    Precision,
    /// tp / (tp + fn).
    Recall,
    /// 2·tp / (2·tp + fp + fn).
    F1,
}

impl Score {
    fn key(self) -> &'static str {
        match self {
            Score::Precision => "precision",
            Score::Recall => "recall",
            Score::F1 => "f1",
        }
    }

    fn of(self, scores: &Scores) -> f64 {
        match self {
            Score::Precision => scores.precision,
            Score::Recall => scores.recall,
            Score::F1 => scores.f1,
        }
    }
}

/// How per-class scores are combined (sklearn's `average`).
#[derive(Config, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Average {
    /// The unweighted mean over classes (`"macro"`).
    Macro,
    /// The mean weighted by each class's support (`"weighted"`).
    Weighted,
    /// From the summed counts (`"micro"`): equals accuracy when each sample has one label.
    Micro,
    /// No average: one score per class (`"none"`, sklearn's `average=None`).
    None,
}

/// Options of `precision`, `recall` and `f1`.
#[derive(Config, Clone, Debug, PartialEq)]
pub struct ClassScoreConfig {
    /// `"macro"` (default), `"weighted"`, `"micro"` or `"none"` (per class).
    #[config(default = Average::Macro)]
    pub average: Average,
    /// As in [`ClassesConfig`](super::ClassesConfig).
    #[config(min = 1, max = 16_777_216)]
    pub num_classes: Option<usize>,
}

/// Precision, recall or F1 over every sample since the last reset.
///
/// Reads predictions `[N, C]` (the argmax is the predicted class) and labels `[N]`. Named as
/// sklearn's scorers: `"precision_macro"`, `"recall_weighted"`, `"f1_micro"`, and
/// `"precision_per_class"` for `average = none` (a [`MetricValue::PerClass`]).
///
/// ```
/// use minitrainer_core::{Tensor, metrics::{ClassScore, ClassScoreConfig, Metric, MetricValue}};
/// let mut precision = ClassScore::precision(&ClassScoreConfig::default());
/// // Predicted classes 0, 0, 1; labels 0, 1, 1.
/// let probs = Tensor::from_vec(vec![0.9, 0.1, 0.6, 0.4, 0.2, 0.8], &[3, 2])?;
/// precision.update(&probs, &vec![0, 1, 1].into())?;
/// // Class 0: 1 of 2 predictions right; class 1: 1 of 1.
/// assert_eq!(precision.compute(), Some(MetricValue::Scalar(0.75)));
/// # Ok::<(), minitrainer_core::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct ClassScore {
    name: String,
    score: Score,
    average: Average,
    classes: ClassCount,
    counts: ClassCounts,
}

impl ClassScore {
    /// Precision, averaged as configured.
    pub fn precision(config: &ClassScoreConfig) -> Self {
        ClassScore::new(Score::Precision, config)
    }

    /// Recall, averaged as configured.
    pub fn recall(config: &ClassScoreConfig) -> Self {
        ClassScore::new(Score::Recall, config)
    }

    /// F1, averaged as configured.
    pub fn f1(config: &ClassScoreConfig) -> Self {
        ClassScore::new(Score::F1, config)
    }

    /// `score`, averaged as configured.
    pub fn new(score: Score, config: &ClassScoreConfig) -> Self {
        let average = match config.average {
            Average::Macro => "macro",
            Average::Weighted => "weighted",
            Average::Micro => "micro",
            Average::None => "per_class",
        };
        ClassScore {
            name: format!("{}_{average}", score.key()),
            score,
            average: config.average,
            classes: ClassCount::new(config.num_classes),
            counts: ClassCounts::default(),
        }
    }

    /// The per-class counts accumulated so far.
    pub fn counts(&self) -> &ClassCounts {
        &self.counts
    }
}

impl Metric for ClassScore {
    fn name(&self) -> &str {
        &self.name
    }

    /// # Errors
    /// The batch errors of [`MetricError`] (shape, labels, class count).
    fn update(&mut self, prediction: &Tensor, target: &Target) -> Result<(), MetricError> {
        let batch = ClassBatch::read(&self.name, prediction, target, &mut self.classes)?;
        self.counts.add(&batch);
        Ok(())
    }

    /// `None` until a sample has been seen.
    fn compute(&self) -> Option<MetricValue> {
        if self.counts.samples() == 0 {
            return None;
        }
        let per_class = self.counts.per_class();
        let score = self.score;
        Some(match self.average {
            Average::Macro => MetricValue::Scalar(score.of(&macro_average(&per_class))),
            Average::Weighted => MetricValue::Scalar(score.of(&weighted_average(&per_class))),
            Average::Micro => MetricValue::Scalar(self.counts.accuracy()),
            Average::None => MetricValue::PerClass(per_class.iter().map(|s| score.of(s)).collect()),
        })
    }

    fn reset(&mut self) {
        self.classes.reset();
        self.counts = ClassCounts::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    /// Predicted 0, 0, 1, 2, 2; labels 0, 1, 1, 1, 2 (class 3 never appears).
    fn batch() -> crate::Result<(Tensor, Target)> {
        let one_hot = [0, 0, 1, 2, 2]
            .iter()
            .flat_map(|&p| (0..4).map(move |c| if c == p { 1.0 } else { 0.0 }))
            .collect();
        Ok((
            Tensor::from_vec(one_hot, &[5, 4])?,
            vec![0, 1, 1, 1, 2].into(),
        ))
    }

    fn value(score: Score, average: Average) -> crate::Result<Option<MetricValue>> {
        let mut metric = ClassScore::new(
            score,
            &ClassScoreConfig {
                average,
                num_classes: None,
            },
        );
        let (prediction, target) = batch()?;
        metric.update(&prediction, &target)?;
        Ok(metric.compute())
    }

    #[test]
    fn per_class_and_averaged_scores() -> crate::Result<()> {
        use MetricValue::{PerClass, Scalar};
        // precision: 1/2, 1/1, 1/2, 0 (never predicted); recall: 1/1, 1/3, 1/1, 0 (no support)
        assert_eq!(
            value(Score::Precision, Average::None)?,
            Some(PerClass(vec![0.5, 1.0, 0.5, 0.0]))
        );
        assert_eq!(
            value(Score::Recall, Average::None)?,
            Some(PerClass(vec![1.0, 1.0 / 3.0, 1.0, 0.0]))
        );
        // f1 = 2tp / (predicted + actual): 2/3, 2/4, 2/3, 0
        assert_eq!(
            value(Score::F1, Average::None)?,
            Some(PerClass(vec![2.0 / 3.0, 0.5, 2.0 / 3.0, 0.0]))
        );
        assert_eq!(
            value(Score::Precision, Average::Macro)?,
            Some(Scalar(2.0 / 4.0))
        );
        // weighted by support 1, 3, 1, 0: (1·1 + 3·(1/3) + 1·1) / 5
        assert_eq!(
            value(Score::Recall, Average::Weighted)?,
            Some(Scalar(3.0 / 5.0))
        );
        assert_eq!(value(Score::F1, Average::Micro)?, Some(Scalar(3.0 / 5.0)));
        Ok(())
    }

    #[test]
    fn names_follow_sklearn_scorers() {
        let config = |average| ClassScoreConfig {
            average,
            num_classes: None,
        };
        assert_eq!(
            ClassScore::precision(&config(Average::Macro)).name(),
            "precision_macro"
        );
        assert_eq!(
            ClassScore::recall(&config(Average::Weighted)).name(),
            "recall_weighted"
        );
        assert_eq!(ClassScore::f1(&config(Average::Micro)).name(), "f1_micro");
        assert_eq!(
            ClassScore::f1(&config(Average::None)).name(),
            "f1_per_class"
        );
    }

    #[test]
    fn config_reads_average_by_name() -> crate::Result<()> {
        assert_eq!(
            ClassScoreConfig::from_json("{}")?,
            ClassScoreConfig::default()
        );
        assert_eq!(
            ClassScoreConfig::from_json(r#"{"average": "none"}"#)?.average,
            Average::None
        );
        assert!(ClassScoreConfig::from_json(r#"{"average": "samples"}"#).is_err());
        Ok(())
    }

    #[test]
    fn compute_is_none_until_a_sample_and_after_reset() -> crate::Result<()> {
        let mut metric = ClassScore::f1(&ClassScoreConfig::default());
        assert_eq!(metric.compute(), None);
        let (prediction, target) = batch()?;
        metric.update(&prediction, &target)?;
        assert!(metric.compute().is_some());
        metric.reset();
        assert_eq!(metric.compute(), None);
        assert_eq!(metric.counts(), &ClassCounts::default());
        Ok(())
    }
}
