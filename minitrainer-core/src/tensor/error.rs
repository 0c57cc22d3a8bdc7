//! Errors from building tensors out of outside data.

/// A tensor could not be built from the given data.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum TensorError {
    /// The number of values does not fit the shape.
    #[error("cannot build a tensor of shape {shape:?} ({} elements) from {len} values", shape.iter().product::<usize>())]
    LengthMismatch {
        /// Number of values given.
        len: usize,
        /// Shape asked for.
        shape: Vec<usize>,
    },
    /// A replacement value has a different shape.
    #[error("expected a value of shape {expected:?}, got shape {actual:?}")]
    ShapeMismatch {
        /// Shape of the tensor.
        expected: Vec<usize>,
        /// Shape of the value given.
        actual: Vec<usize>,
    },
}
