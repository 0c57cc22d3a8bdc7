//! `Dataset` and the sample and batch types the ready-made sets and the loader share.

use ndarray::ArrayD;

use crate::Tensor;

/// A data set: a length and one sample by index (PyTorch's map-style `Dataset`). Users
/// implement it for their own data; the ready-made sets yield [`Example`]s.
///
/// `get` may be called from the loader's worker threads, hence `Send + Sync`. It returns a
/// `Result` because lazy sets read from files; `E` is the set's error type.
pub trait Dataset: Send + Sync {
    /// One sample.
    type Item: Send + 'static;
    /// What reading a sample can fail with.
    type Error: std::error::Error + Send + Sync + 'static;

    /// Number of samples.
    fn len(&self) -> usize;

    /// Whether the set holds no sample.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Sample `index` (`0..len()`).
    ///
    /// # Errors
    /// Whatever reading the sample can fail with; an index out of range is an error too.
    fn get(&self, index: usize) -> Result<Self::Item, Self::Error>;
}

/// One supervised sample: its features and its target.
#[derive(Clone, Debug, PartialEq)]
pub struct Example {
    /// Features, any shape (`[64]` for a digit's pixels, `[28, 28]` for an MNIST image).
    pub features: ArrayD<f32>,
    /// The target.
    pub target: Target,
}

/// The target of one [`Example`].
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    /// A class label (`0..classes`).
    Class(usize),
    /// Regression values (one or more).
    Values(ArrayD<f32>),
    /// No target (unlabelled data, prediction).
    None,
}

/// Examples collated into one batch.
#[derive(Clone, Debug)]
pub struct Batch {
    /// The features stacked along a new first axis: `[batch, ...features]`, f32.
    pub inputs: Tensor,
    /// The targets, batched.
    pub targets: Targets,
}

/// The targets of a [`Batch`].
#[derive(Clone, Debug)]
pub enum Targets {
    /// Class labels, one per example.
    Classes(Vec<usize>),
    /// Regression values stacked along a new first axis: `[batch, ...]`.
    Values(Tensor),
    /// No targets.
    None,
}

/// Same shape and the same values, bit for bit (`NaN` equals `NaN`): batches are compared to
/// check that two loaders delivered the same data.
fn same_tensor(a: &Tensor, b: &Tensor) -> bool {
    a.shape() == b.shape()
        && a.to_vec()
            .iter()
            .map(|v| v.to_bits())
            .eq(b.to_vec().iter().map(|v| v.to_bits()))
}

impl PartialEq for Targets {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Targets::Classes(a), Targets::Classes(b)) => a == b,
            (Targets::Values(a), Targets::Values(b)) => same_tensor(a, b),
            (Targets::None, Targets::None) => true,
            _ => false,
        }
    }
}

impl PartialEq for Batch {
    fn eq(&self, other: &Self) -> bool {
        same_tensor(&self.inputs, &other.inputs) && self.targets == other.targets
    }
}
