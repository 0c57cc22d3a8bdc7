//! [`ClassCounts`]: per-class counts of predictions, true labels and hits — the sufficient
//! statistics of precision, recall, F1 and the classification report — and the per-class
//! scores with sklearn's `zero_division=0`.

use super::classes::{ClassBatch, argmax};
use super::value::Scores;

/// Per-class counts since the last reset; each vector has one entry per class.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ClassCounts {
    /// Samples predicted as the class (tp + fp).
    pub predicted: Vec<u64>,
    /// Samples whose true class it is (tp + fn), the support.
    pub actual: Vec<u64>,
    /// Samples predicted as the class and truly of it (tp).
    pub correct: Vec<u64>,
}

impl ClassCounts {
    /// Adds a checked batch (sized on its first use).
    pub(crate) fn add(&mut self, batch: &ClassBatch) {
        if self.predicted.len() != batch.num_classes {
            // Only on the first batch after a reset: the class count is fixed from then on.
            *self = ClassCounts {
                predicted: vec![0; batch.num_classes],
                actual: vec![0; batch.num_classes],
                correct: vec![0; batch.num_classes],
            };
        }
        for (row, label) in batch.rows() {
            let predicted = argmax(row);
            self.predicted[predicted] += 1;
            self.actual[label] += 1;
            if predicted == label {
                self.correct[label] += 1;
            }
        }
    }

    /// Samples counted.
    pub fn samples(&self) -> u64 {
        self.actual.iter().sum()
    }

    /// Precision, recall, F1 and support of each class. A class never predicted has precision
    /// 0, a class with no samples has recall 0, and F1 is 0 when both are (sklearn's
    /// `zero_division=0`, without its warning).
    pub fn per_class(&self) -> Vec<Scores> {
        (0..self.actual.len())
            .map(|c| {
                let (tp, predicted, actual) = (self.correct[c], self.predicted[c], self.actual[c]);
                Scores {
                    precision: ratio(tp, predicted),
                    recall: ratio(tp, actual),
                    // 2·tp / (2·tp + fp + fn) = 2·tp / (predicted + actual), sklearn's form.
                    f1: ratio(2 * tp, predicted + actual),
                    support: actual,
                }
            })
            .collect()
    }

    /// Correct samples / samples (micro precision = micro recall = micro F1 = accuracy when
    /// each sample has one label). 0 when no sample was counted.
    pub fn accuracy(&self) -> f64 {
        ratio(self.correct.iter().sum(), self.samples())
    }
}

/// `num / den`, or 0 for 0/0 (sklearn's `zero_division=0`).
fn ratio(num: u64, den: u64) -> f64 {
    if den == 0 {
        0.0
    } else {
        num as f64 / den as f64
    }
}

/// The unweighted mean over classes (sklearn's `average="macro"`, every class included).
pub(crate) fn macro_average(classes: &[Scores]) -> Scores {
    let n = classes.len() as f64;
    Scores {
        precision: classes.iter().map(|s| s.precision).sum::<f64>() / n,
        recall: classes.iter().map(|s| s.recall).sum::<f64>() / n,
        f1: classes.iter().map(|s| s.f1).sum::<f64>() / n,
        support: classes.iter().map(|s| s.support).sum(),
    }
}

/// The mean over classes weighted by support (sklearn's `average="weighted"`); 0 when there
/// is no support at all.
pub(crate) fn weighted_average(classes: &[Scores]) -> Scores {
    let support: u64 = classes.iter().map(|s| s.support).sum();
    let weighted = |score: fn(&Scores) -> f64| {
        if support == 0 {
            return 0.0;
        }
        classes
            .iter()
            .map(|s| score(s) * s.support as f64)
            .sum::<f64>()
            / support as f64
    };
    Scores {
        precision: weighted(|s| s.precision),
        recall: weighted(|s| s.recall),
        f1: weighted(|s| s.f1),
        support,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_follow_sklearn_with_zero_division_zero() {
        // Class 0: tp 2, predicted 3, actual 4. Class 1: never predicted, 1 sample.
        // Class 2: predicted once, no samples. Class 3: neither.
        let counts = ClassCounts {
            predicted: vec![3, 0, 1, 0],
            actual: vec![4, 1, 0, 0],
            correct: vec![2, 0, 0, 0],
        };
        let scores = counts.per_class();
        assert_eq!(scores[0].precision, 2.0 / 3.0);
        assert_eq!(scores[0].recall, 0.5);
        // 2·2 / (3 + 4)
        assert_eq!(scores[0].f1, 4.0 / 7.0);
        assert_eq!(
            (scores[1].precision, scores[1].recall, scores[1].f1),
            (0.0, 0.0, 0.0)
        );
        assert_eq!(
            (scores[2].precision, scores[2].recall, scores[2].f1),
            (0.0, 0.0, 0.0)
        );
        assert_eq!(scores[3].support, 0);
        let macro_avg = macro_average(&scores);
        assert_eq!(macro_avg.precision, (2.0 / 3.0) / 4.0);
        assert_eq!(macro_avg.support, 5);
        let weighted = weighted_average(&scores);
        assert_eq!(weighted.recall, 0.5 * 4.0 / 5.0);
        assert_eq!(counts.accuracy(), 2.0 / 5.0);
    }
}
