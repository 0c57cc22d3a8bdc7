//! [`MetricSet`]: several metrics updated on one batch and read together, keyed by name.

use super::{Metric, MetricError, MetricValue, Target, metric_from_str};
use crate::Tensor;

/// Metrics that read the same predictions and targets, each under its own name.
///
/// ```
/// use minitrainer_core::{Tensor, metrics::{MetricSet, MetricValue}};
/// let mut metrics = MetricSet::from_specs(["accuracy", "top_k_accuracy(k=2)"])?;
/// let logits = Tensor::from_vec(vec![0.1, 0.5, 0.4, 0.8, 0.1, 0.1], &[2, 3])?;
/// metrics.update(&logits, &vec![2, 0].into())?;
/// assert_eq!(
///     metrics.compute(),
///     vec![
///         ("accuracy".to_string(), MetricValue::Scalar(0.5)),
///         ("top2_accuracy".to_string(), MetricValue::Scalar(1.0)),
///     ]
/// );
/// # Ok::<(), minitrainer_core::Error>(())
/// ```
#[derive(Default)]
pub struct MetricSet {
    metrics: Vec<Box<dyn Metric>>,
}

impl MetricSet {
    /// A set of these metrics, in this order.
    ///
    /// # Errors
    /// [`MetricError::DuplicateName`] when two metrics share a name.
    pub fn new(metrics: Vec<Box<dyn Metric>>) -> Result<Self, MetricError> {
        for (i, metric) in metrics.iter().enumerate() {
            if metrics[..i].iter().any(|m| m.name() == metric.name()) {
                return Err(MetricError::DuplicateName {
                    name: metric.name().to_string(),
                });
            }
        }
        Ok(MetricSet { metrics })
    }

    /// A set built by [`metric_from_str`] from each spec.
    ///
    /// # Errors
    /// The first spec's error, or [`MetricError::DuplicateName`].
    pub fn from_specs<I, S>(specs: I) -> Result<Self, MetricError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let metrics = specs
            .into_iter()
            .map(|spec| metric_from_str(spec.as_ref()))
            .collect::<Result<_, _>>()?;
        MetricSet::new(metrics)
    }

    /// The metrics' names, in order.
    pub fn names(&self) -> Vec<&str> {
        self.metrics.iter().map(|m| m.name()).collect()
    }

    /// Updates every metric with the batch, in order.
    ///
    /// # Errors
    /// The first metric's error. The metrics before it have counted the batch and the rest
    /// have not: bad data should stop the evaluation (or `reset` the set before going on).
    pub fn update(&mut self, prediction: &Tensor, target: &Target) -> Result<(), MetricError> {
        self.metrics
            .iter_mut()
            .try_for_each(|metric| metric.update(prediction, target))
    }

    /// Each metric's name and value, in order; metrics that have no value yet (see each
    /// metric's `compute`) are left out.
    pub fn compute(&self) -> Vec<(String, MetricValue)> {
        self.metrics
            .iter()
            .filter_map(|m| Some((m.name().to_string(), m.compute()?)))
            .collect()
    }

    /// Resets every metric.
    pub fn reset(&mut self) {
        self.metrics.iter_mut().for_each(|m| m.reset());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::{Mae, R2Score};

    #[test]
    fn duplicate_names_are_refused() {
        let error = MetricSet::from_specs(["accuracy", "mae", "accuracy"])
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            error.as_deref(),
            Some("metric \"accuracy\" is listed twice; each metric of a set needs its own name")
        );
    }

    #[test]
    fn set_updates_computes_and_resets_all() -> crate::Result<()> {
        let mut set = MetricSet::new(vec![Box::new(Mae::new()), Box::new(R2Score::new())])?;
        assert_eq!(set.names(), ["mae", "r2"]);
        let y = Tensor::from_vec(vec![1.0, 2.0, 3.0], &[3])?;
        set.update(&Tensor::from_vec(vec![1.0, 2.0, 4.0], &[3])?, &y.into())?;
        let expected = [("mae", 1.0 / 3.0), ("r2", 0.5)];
        let values: Vec<(String, MetricValue)> = expected
            .iter()
            .map(|&(n, v)| (n.to_string(), MetricValue::Scalar(v)))
            .collect();
        assert_eq!(set.compute(), values);
        set.reset();
        assert!(set.compute().is_empty());
        Ok(())
    }
}
