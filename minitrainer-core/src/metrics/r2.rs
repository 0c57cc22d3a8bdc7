//! [`R2Score`]: the coefficient of determination `R² = 1 - SS_res / SS_tot` per output,
//! averaged over outputs (sklearn's `r2_score`, `multioutput="uniform_average"`).
//!
//! Sufficient statistics per output, in f64: the count, `Σ(y - ŷ)²` (SS_res, a plain sum),
//! and the mean and `Σ(y - ȳ)²` (SS_tot) merged batch by batch with Chan et al.'s parallel
//! update. Rejected: the textbook `Σy² - (Σy)²/n`, which cancels catastrophically when the
//! mean is large against the spread (prices, years) and is not exactly 0 for a constant
//! target; within a batch the two-pass sum is exact for a constant target, and the merge adds
//! `δ²·n_a·n_b/n`, which is 0 when the means agree, so "SS_tot = 0" is detected exactly.

use super::{Metric, MetricError, MetricValue, Target};
use crate::Tensor;

/// Running statistics of one output.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Moments {
    count: u64,
    mean: f64,
    /// Σ(y - mean)², i.e. SS_tot.
    m2: f64,
    /// Σ(y - ŷ)², i.e. SS_res.
    ss_res: f64,
}

impl Moments {
    fn of_batch(y: &[f64], predicted: &[f64]) -> Moments {
        let count = y.len() as u64;
        let mean = y.iter().sum::<f64>() / y.len() as f64;
        Moments {
            count,
            mean,
            m2: y.iter().map(|v| (v - mean) * (v - mean)).sum(),
            ss_res: y
                .iter()
                .zip(predicted)
                .map(|(v, p)| (v - p) * (v - p))
                .sum(),
        }
    }

    /// Chan, Golub & LeVeque (1979): the moments of the union of two samples.
    fn merge(self, other: Moments) -> Moments {
        if self.count == 0 {
            return other;
        }
        let (na, nb) = (self.count as f64, other.count as f64);
        let n = na + nb;
        let delta = other.mean - self.mean;
        Moments {
            count: self.count + other.count,
            mean: self.mean + delta * nb / n,
            m2: self.m2 + other.m2 + delta * delta * na * nb / n,
            ss_res: self.ss_res + other.ss_res,
        }
    }

    /// sklearn's `force_finite=True`: a constant target scores 1 when predicted exactly,
    /// else 0 (instead of NaN or -∞).
    fn r2(&self) -> f64 {
        if self.m2 == 0.0 {
            if self.ss_res == 0.0 { 1.0 } else { 0.0 }
        } else {
            1.0 - self.ss_res / self.m2
        }
    }
}

/// R² over every sample since the last reset (`"r2"`).
///
/// Reads a prediction `[N]` or `[N, D]` (D outputs, fixed by the first batch) and a
/// [`Target::Tensor`] of the same shape. With several outputs, the R² of each is averaged
/// (sklearn's default). When SS_tot = 0 (a constant target) an output scores 1 if predicted
/// exactly and 0 otherwise, as sklearn with `force_finite=True` (torchmetrics divides and
/// gives NaN or -∞). Undefined (`None`) below two samples, where sklearn returns NaN.
///
/// ```
/// use minitrainer_core::{Tensor, metrics::{Metric, MetricValue, R2Score}};
/// let mut r2 = R2Score::new();
/// let y = Tensor::from_vec(vec![1.0, 2.0, 3.0], &[3])?;
/// r2.update(&Tensor::from_vec(vec![1.0, 2.0, 4.0], &[3])?, &y.into())?;
/// // SS_res = 1, SS_tot = 2
/// assert_eq!(r2.compute(), Some(MetricValue::Scalar(0.5)));
/// # Ok::<(), minitrainer_core::Error>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct R2Score {
    outputs: Vec<Moments>,
}

impl R2Score {
    /// An empty accumulator.
    pub fn new() -> Self {
        R2Score::default()
    }
}

impl Metric for R2Score {
    fn name(&self) -> &str {
        "r2"
    }

    /// # Errors
    /// [`MetricError::PredictionShape`] (not `[N]` or `[N, D]`), the target errors of
    /// [`Mae`](super::Mae), and [`MetricError::WidthChanged`] when D differs from the first
    /// batch's.
    fn update(&mut self, prediction: &Tensor, target: &Target) -> Result<(), MetricError> {
        let outputs = match prediction.shape() {
            [_] => 1,
            &[_, d] if d > 0 => d,
            shape => {
                return Err(MetricError::PredictionShape {
                    metric: self.name().to_string(),
                    expected: "[N] or [N, D] with D >= 1",
                    shape: shape.to_vec(),
                });
            }
        };
        if !self.outputs.is_empty() && self.outputs.len() != outputs {
            return Err(MetricError::WidthChanged {
                metric: self.name().to_string(),
                what: "outputs",
                expected: self.outputs.len(),
                fixed_by: "the first batch",
                found: outputs,
            });
        }
        let y = target.values(self.name(), prediction.shape())?;
        if y.is_empty() {
            return Ok(());
        }
        let predicted = prediction.to_vec();
        if self.outputs.is_empty() {
            self.outputs = vec![Moments::default(); outputs];
        }
        for (d, moments) in self.outputs.iter_mut().enumerate() {
            let column = |v: &[f32]| {
                v.iter()
                    .skip(d)
                    .step_by(outputs)
                    .map(|&x| f64::from(x))
                    .collect::<Vec<_>>()
            };
            *moments = moments.merge(Moments::of_batch(&column(&y), &column(&predicted)));
        }
        Ok(())
    }

    /// `None` below two samples.
    fn compute(&self) -> Option<MetricValue> {
        if self.outputs.first().is_none_or(|m| m.count < 2) {
            return None;
        }
        let sum: f64 = self.outputs.iter().map(Moments::r2).sum();
        Some(MetricValue::Scalar(sum / self.outputs.len() as f64))
    }

    fn reset(&mut self) {
        self.outputs.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tensor(values: &[f32], shape: &[usize]) -> crate::Result<Tensor> {
        Ok(Tensor::from_vec(values.to_vec(), shape)?)
    }

    #[test]
    fn streaming_merge_equals_one_pass() -> crate::Result<()> {
        let y = [3.0, -0.5, 2.0, 7.0, 4.25];
        let p = [2.5, 0.0, 2.0, 8.0, 4.0];
        let mut whole = R2Score::new();
        whole.update(&tensor(&p, &[5])?, &tensor(&y, &[5])?.into())?;
        let mut split = R2Score::new();
        split.update(&tensor(&p[..2], &[2])?, &tensor(&y[..2], &[2])?.into())?;
        split.update(&tensor(&p[2..], &[3])?, &tensor(&y[2..], &[3])?.into())?;
        let (a, b) = (
            whole.compute().and_then(|v| v.as_scalar()),
            split.compute().and_then(|v| v.as_scalar()),
        );
        let (Some(a), Some(b)) = (a, b) else {
            panic!("both defined")
        };
        assert!((a - b).abs() <= 1e-15, "{a} vs {b}");
        // mean 3.15; SS_tot = Σ(y - 3.15)² = 30.7; SS_res = 0.25 + 0.25 + 0 + 1 + 0.0625
        assert!((a - (1.0 - 1.5625 / 30.7)).abs() < 1e-14);
        Ok(())
    }

    #[test]
    fn constant_target_scores_one_if_exact_else_zero() -> crate::Result<()> {
        let mut r2 = R2Score::new();
        // 0.1 is not exact in binary: the two-pass sums still see SS_tot = 0 exactly.
        r2.update(&tensor(&[0.1; 3], &[3])?, &tensor(&[0.1; 3], &[3])?.into())?;
        r2.update(&tensor(&[0.1; 4], &[4])?, &tensor(&[0.1; 4], &[4])?.into())?;
        assert_eq!(r2.compute(), Some(MetricValue::Scalar(1.0)));
        r2.update(&tensor(&[0.2], &[1])?, &tensor(&[0.1], &[1])?.into())?;
        assert_eq!(r2.compute(), Some(MetricValue::Scalar(0.0)));
        Ok(())
    }

    #[test]
    fn several_outputs_average_their_scores() -> crate::Result<()> {
        let mut r2 = R2Score::new();
        // Output 0 predicted exactly (R² 1); output 1: y = 1, 2, 3, ŷ = 1, 2, 4 (R² 0.5).
        let y = tensor(&[1.0, 1.0, 2.0, 2.0, 3.0, 3.0], &[3, 2])?;
        r2.update(
            &tensor(&[1.0, 1.0, 2.0, 2.0, 3.0, 4.0], &[3, 2])?,
            &y.into(),
        )?;
        assert_eq!(r2.compute(), Some(MetricValue::Scalar(0.75)));
        let error = r2
            .update(&Tensor::zeros(&[1, 3]), &Tensor::zeros(&[1, 3]).into())
            .unwrap_err();
        assert!(matches!(
            error,
            MetricError::WidthChanged {
                expected: 2,
                found: 3,
                ..
            }
        ));
        Ok(())
    }

    #[test]
    fn undefined_below_two_samples_and_after_reset() -> crate::Result<()> {
        let mut r2 = R2Score::new();
        assert_eq!(r2.compute(), None);
        r2.update(&tensor(&[1.0], &[1])?, &tensor(&[2.0], &[1])?.into())?;
        assert_eq!(r2.compute(), None);
        r2.update(&tensor(&[1.0], &[1])?, &tensor(&[3.0], &[1])?.into())?;
        assert!(r2.compute().is_some());
        r2.reset();
        assert_eq!(r2.compute(), None);
        assert!(matches!(
            r2.update(
                &Tensor::zeros(&[1, 1, 1]),
                &Tensor::zeros(&[1, 1, 1]).into()
            ),
            Err(MetricError::PredictionShape { .. })
        ));
        Ok(())
    }
}
