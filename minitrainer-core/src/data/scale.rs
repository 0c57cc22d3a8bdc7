//! Feature scaling fitted on one split and applied to the others: [`Scaler`] (the statistics,
//! saved as JSON with a run so prediction applies the same) and [`Scaled`] (a set read through
//! one). Features are scaled per element of the flattened features (`[28, 28]` → 784 features),
//! as scikit-learn's scalers do per column.

use ndarray::ArrayD;
use serde_json::{Value, json};

use super::dataset::{Dataset, Example};
use super::error::DataError;

/// Per-feature statistics of a training set.
#[derive(Clone, Debug, PartialEq)]
pub enum Scaler {
    /// `(x - mean) / std`, `std` the population standard deviation (divide by `N`, as
    /// scikit-learn's `StandardScaler`); a constant feature (`std == 0`) is divided by 1, so
    /// it becomes 0 rather than NaN (scikit-learn does the same).
    Standard {
        /// Mean of each feature.
        mean: Vec<f32>,
        /// Population standard deviation of each feature (0 for a constant one).
        std: Vec<f32>,
    },
    /// `(x - min) / (max - min)`, mapping the training range to `[0, 1]` (scikit-learn's
    /// `MinMaxScaler`); a constant feature (`max == min`) is divided by 1.
    MinMax {
        /// Minimum of each feature.
        min: Vec<f32>,
        /// Maximum of each feature.
        max: Vec<f32>,
    },
}

/// Every sample's features, flattened, checked to share one width.
fn columns<D: Dataset<Item = Example>>(set: &D) -> Result<(usize, Vec<Vec<f32>>), DataError> {
    if set.is_empty() {
        return Err(DataError::Empty {
            what: "the set a scaler is fitted on".into(),
            hint: "fit the scaler on the training split, which needs samples",
        });
    }
    let mut rows = Vec::with_capacity(set.len());
    for index in 0..set.len() {
        let example = set.get(index).map_err(DataError::wrap)?;
        let row: Vec<f32> = example.features.iter().copied().collect();
        if let Some(first) = rows.first().map(Vec::len).filter(|&w| w != row.len()) {
            return Err(DataError::FeatureWidth {
                index,
                expected: first,
                found: row.len(),
            });
        }
        rows.push(row);
    }
    Ok((rows[0].len(), rows))
}

impl Scaler {
    /// Mean and population standard deviation of each feature of `set`, accumulated in f64
    /// (two passes: the mean, then the squared deviations from it).
    ///
    /// # Errors
    /// [`DataError::Empty`] for an empty set, [`DataError::FeatureWidth`] for samples of
    /// different widths, and any error reading a sample.
    pub fn fit_standard<D: Dataset<Item = Example>>(set: &D) -> Result<Scaler, DataError> {
        let (width, rows) = columns(set)?;
        let n = rows.len() as f64;
        let mut mean = vec![0.0f64; width];
        for row in &rows {
            mean.iter_mut()
                .zip(row)
                .for_each(|(m, &x)| *m += f64::from(x));
        }
        mean.iter_mut().for_each(|m| *m /= n);
        let mut var = vec![0.0f64; width];
        for row in &rows {
            var.iter_mut()
                .zip(row)
                .zip(&mean)
                .for_each(|((v, &x), m)| *v += (f64::from(x) - m).powi(2));
        }
        Ok(Scaler::Standard {
            mean: mean.iter().map(|&m| m as f32).collect(),
            std: var.iter().map(|&v| (v / n).sqrt() as f32).collect(),
        })
    }

    /// Minimum and maximum of each feature of `set`.
    ///
    /// # Errors
    /// As [`fit_standard`](Scaler::fit_standard).
    pub fn fit_min_max<D: Dataset<Item = Example>>(set: &D) -> Result<Scaler, DataError> {
        let (width, rows) = columns(set)?;
        let mut min = vec![f32::INFINITY; width];
        let mut max = vec![f32::NEG_INFINITY; width];
        for row in &rows {
            for (j, &x) in row.iter().enumerate() {
                min[j] = min[j].min(x);
                max[j] = max[j].max(x);
            }
        }
        Ok(Scaler::MinMax { min, max })
    }

    /// The number of features the scaler was fitted on.
    pub fn width(&self) -> usize {
        match self {
            Scaler::Standard { mean, .. } => mean.len(),
            Scaler::MinMax { min, .. } => min.len(),
        }
    }

    /// `features` scaled; `index` only names the sample in an error.
    ///
    /// # Errors
    /// [`DataError::FeatureWidth`] if `features` does not hold [`width`](Scaler::width) values.
    pub fn transform(
        &self,
        index: usize,
        features: &ArrayD<f32>,
    ) -> Result<ArrayD<f32>, DataError> {
        if features.len() != self.width() {
            return Err(DataError::FeatureWidth {
                index,
                expected: self.width(),
                found: features.len(),
            });
        }
        let (shift, divisor) = match self {
            Scaler::Standard { mean, std } => (mean, std.clone()),
            Scaler::MinMax { min, max } => (min, max.iter().zip(min).map(|(a, b)| a - b).collect()),
        };
        let mut out = features.clone();
        for (j, x) in out.iter_mut().enumerate() {
            let d = if divisor[j] == 0.0 { 1.0 } else { divisor[j] };
            *x = (*x - shift[j]) / d;
        }
        Ok(out)
    }

    /// `set` read through this scaler.
    ///
    /// # Errors
    /// [`DataError::FeatureWidth`] if the first sample's width differs from the scaler's, and
    /// any error reading it.
    pub fn apply<D: Dataset<Item = Example>>(&self, set: D) -> Result<Scaled<D>, DataError> {
        if !set.is_empty() {
            let first = set.get(0).map_err(DataError::wrap)?;
            self.transform(0, &first.features)?;
        }
        Ok(Scaled {
            inner: set,
            scaler: self.clone(),
        })
    }

    /// The statistics as JSON: `{"kind": "standard", "mean": [..], "std": [..]}` or
    /// `{"kind": "min_max", "min": [..], "max": [..]}` (f32 values written exactly).
    pub fn to_json(&self) -> Value {
        match self {
            Scaler::Standard { mean, std } => {
                json!({ "kind": "standard", "mean": mean, "std": std })
            }
            Scaler::MinMax { min, max } => json!({ "kind": "min_max", "min": min, "max": max }),
        }
    }

    /// The statistics back from [`to_json`](Scaler::to_json)'s form.
    ///
    /// # Errors
    /// [`DataError::Scaler`] for an unknown kind, a missing or non-numeric list, or lists of
    /// different lengths.
    pub fn from_json(value: &Value) -> Result<Scaler, DataError> {
        let bad = |reason: String| DataError::Scaler { reason };
        let list = |key: &str| -> Result<Vec<f32>, DataError> {
            let items = value
                .get(key)
                .and_then(Value::as_array)
                .ok_or_else(|| bad(format!("`{key}` is missing or not a list of numbers")))?;
            items
                .iter()
                .map(|v| {
                    v.as_f64()
                        .map(|x| x as f32)
                        .ok_or_else(|| bad(format!("`{key}` holds `{v}`, not a number")))
                })
                .collect()
        };
        let (scaler, (a, b)) = match value.get("kind").and_then(Value::as_str) {
            Some("standard") => {
                let (mean, std) = (list("mean")?, list("std")?);
                let lens = (mean.len(), std.len());
                (Scaler::Standard { mean, std }, lens)
            }
            Some("min_max") => {
                let (min, max) = (list("min")?, list("max")?);
                let lens = (min.len(), max.len());
                (Scaler::MinMax { min, max }, lens)
            }
            other => {
                return Err(bad(format!(
                    "`kind` is {other:?}; expected \"standard\" or \"min_max\""
                )));
            }
        };
        if a != b {
            return Err(bad(format!(
                "the two statistics have {a} and {b} values; they need one per feature"
            )));
        }
        Ok(scaler)
    }
}

/// A set whose features are scaled as they are read ([`Scaler::apply`]).
#[derive(Clone, Debug)]
pub struct Scaled<D> {
    inner: D,
    scaler: Scaler,
}

impl<D: Dataset<Item = Example>> Dataset for Scaled<D> {
    type Item = Example;
    type Error = DataError;

    fn len(&self) -> usize {
        self.inner.len()
    }

    fn get(&self, index: usize) -> Result<Example, DataError> {
        let example = self.inner.get(index).map_err(DataError::wrap)?;
        let features = self.scaler.transform(index, &example.features)?;
        Ok(Example {
            features,
            target: example.target,
        })
    }
}

#[cfg(test)]
#[path = "scale_tests.rs"]
mod tests;
