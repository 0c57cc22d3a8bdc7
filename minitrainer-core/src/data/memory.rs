//! [`TensorDataset`]: samples held in memory as one features array `[N, ...]` and one target
//! per sample (PyTorch's `TensorDataset`). The CSV reader and `Digits` build one.

use ndarray::{ArrayD, Axis};

use super::dataset::{Dataset, Example, Target};
use super::error::DataError;
use crate::Tensor;

/// The targets of a [`TensorDataset`], one per sample.
#[derive(Clone, Debug, PartialEq)]
pub enum Labels {
    /// Class labels.
    Classes(Vec<usize>),
    /// Regression values `[N, ...]`.
    Values(ArrayD<f32>),
    /// No targets.
    None,
}

/// Samples in memory: `features[i]` and target `i` make [`Example`] `i`.
///
/// ```
/// use minitrainer_core::data::{Dataset, Target, TensorDataset};
/// use ndarray::{ArrayD, IxDyn};
///
/// let features = ArrayD::from_shape_vec(IxDyn(&[3, 2]), vec![0.0, 1.0, 2.0, 3.0, 4.0, 5.0])?;
/// let set = TensorDataset::classification(features, vec![0, 1, 0])?;
/// assert_eq!(set.get(1)?.features.as_slice(), Some(&[2.0, 3.0][..]));
/// assert_eq!(set.get(1)?.target, Target::Class(1));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct TensorDataset {
    features: ArrayD<f32>,
    labels: Labels,
}

impl TensorDataset {
    /// Samples with class labels.
    ///
    /// # Errors
    /// [`DataError::CountMismatch`] if `labels` does not hold one label per row of `features`,
    /// [`DataError::Empty`] if `features` has no first axis (a scalar).
    pub fn classification(features: ArrayD<f32>, labels: Vec<usize>) -> Result<Self, DataError> {
        Self::new(features, Labels::Classes(labels))
    }

    /// Samples with regression targets `[N, ...]` (each sample's target is `targets[i]`).
    ///
    /// # Errors
    /// As [`classification`](Self::classification), for the first axis of `targets`.
    pub fn regression(features: ArrayD<f32>, targets: ArrayD<f32>) -> Result<Self, DataError> {
        Self::new(features, Labels::Values(targets))
    }

    /// Samples without targets (for prediction).
    ///
    /// # Errors
    /// [`DataError::Empty`] if `features` has no first axis (a scalar).
    pub fn unlabelled(features: ArrayD<f32>) -> Result<Self, DataError> {
        Self::new(features, Labels::None)
    }

    /// Samples from tensors: features `[N, ...]`, and regression targets `[N, ...]` if given.
    /// The values are copied; gradients are not tracked.
    ///
    /// # Errors
    /// As [`regression`](Self::regression).
    pub fn from_tensors(features: &Tensor, targets: Option<&Tensor>) -> Result<Self, DataError> {
        let labels = targets.map_or(Labels::None, |t| Labels::Values(t.to_array()));
        Self::new(features.to_array(), labels)
    }

    /// Samples and their targets, checked to agree on the number of samples.
    ///
    /// # Errors
    /// As [`classification`](Self::classification).
    pub fn new(features: ArrayD<f32>, labels: Labels) -> Result<Self, DataError> {
        let Some(&n) = features.shape().first() else {
            return Err(DataError::Empty {
                what: "a features array of shape []".into(),
                hint: "features need a first axis with one row per sample: [N, ...]",
            });
        };
        let targets = match &labels {
            Labels::Classes(classes) => Some(classes.len()),
            Labels::Values(values) => Some(values.shape().first().copied().unwrap_or(0)),
            Labels::None => None,
        };
        if let Some(targets) = targets.filter(|&t| t != n) {
            return Err(DataError::CountMismatch {
                what: "features and targets".into(),
                left: n,
                right: targets,
            });
        }
        Ok(TensorDataset { features, labels })
    }

    /// All features, `[N, ...]`.
    pub fn features(&self) -> &ArrayD<f32> {
        &self.features
    }

    /// All targets.
    pub fn labels(&self) -> &Labels {
        &self.labels
    }

    /// The shape of one sample's features.
    pub fn feature_shape(&self) -> &[usize] {
        &self.features.shape()[1..]
    }

    /// Multiplies every feature by `factor` (e.g. `1/16` for 4-bit pixels).
    pub(crate) fn scale_features(&mut self, factor: f32) {
        self.features.mapv_inplace(|x| x * factor);
    }
}

impl Dataset for TensorDataset {
    type Item = Example;
    type Error = DataError;

    fn len(&self) -> usize {
        self.features.shape()[0]
    }

    fn get(&self, index: usize) -> Result<Example, DataError> {
        let len = self.len();
        if index >= len {
            return Err(DataError::IndexOutOfRange {
                index,
                len,
                what: "a tensor data set",
            });
        }
        let target = match &self.labels {
            Labels::Classes(classes) => Target::Class(classes[index]),
            Labels::Values(values) => Target::Values(values.index_axis(Axis(0), index).to_owned()),
            Labels::None => Target::None,
        };
        let features = self.features.index_axis(Axis(0), index).to_owned();
        Ok(Example { features, target })
    }
}

#[cfg(test)]
mod tests {
    use ndarray::{ArrayD, IxDyn};

    use super::TensorDataset;
    use crate::Tensor;
    use crate::data::{DataError, Dataset, Target};

    fn rows(n: usize, width: usize) -> ArrayD<f32> {
        ArrayD::from_shape_fn(IxDyn(&[n, width]), |i| (i[0] * width + i[1]) as f32)
    }

    #[test]
    fn regression_targets_are_the_rows_of_the_target_array() -> Result<(), DataError> {
        let set = TensorDataset::regression(rows(3, 2), rows(3, 1))?;
        assert_eq!(set.len(), 3);
        let example = set.get(2)?;
        assert_eq!(example.features.shape(), &[2]);
        assert_eq!(
            example.target,
            Target::Values(ArrayD::from_elem(IxDyn(&[1]), 2.0))
        );
        Ok(())
    }

    #[test]
    fn a_label_count_that_differs_from_the_rows_is_refused() {
        let error = TensorDataset::classification(rows(3, 2), vec![0, 1]).unwrap_err();
        assert!(matches!(
            error,
            DataError::CountMismatch {
                left: 3,
                right: 2,
                ..
            }
        ));
    }

    #[test]
    fn an_index_past_the_end_is_an_error() -> Result<(), DataError> {
        let set = TensorDataset::unlabelled(rows(2, 2))?;
        assert!(matches!(
            set.get(2),
            Err(DataError::IndexOutOfRange {
                index: 2,
                len: 2,
                ..
            })
        ));
        Ok(())
    }

    #[test]
    fn from_tensors_copies_features_and_targets() -> Result<(), Box<dyn std::error::Error>> {
        let x = Tensor::from_vec(vec![1.0, 2.0, 3.0, 4.0], &[2, 2])?;
        let y = Tensor::from_vec(vec![5.0, 6.0], &[2])?;
        let set = TensorDataset::from_tensors(&x, Some(&y))?;
        let example = set.get(1)?;
        assert_eq!(example.features.as_slice(), Some(&[3.0, 4.0][..]));
        assert_eq!(
            example.target,
            Target::Values(ArrayD::from_elem(IxDyn(&[]), 6.0))
        );
        Ok(())
    }
}
