//! Errors from building tensors out of outside data.

use std::fmt;

/// A tensor could not be built from the given data.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum TensorError {
    /// The number of values does not fit the shape.
    #[error(
        "cannot build a tensor of shape {shape:?} ({}) from {len} values",
        ElementCount(shape)
    )]
    LengthMismatch {
        /// Number of values given.
        len: usize,
        /// Shape asked for.
        shape: Vec<usize>,
    },
    /// The storage of a tensor does not fit in memory: its size in bytes overflows, exceeds
    /// `isize::MAX`, or the allocator refused it.
    #[error(
        "cannot allocate {} for {what} {shape:?}: out of memory",
        ByteCount(*bytes)
    )]
    OutOfMemory {
        /// The tensor, as its layer and parameter (`linear.weight`).
        what: String,
        /// Its shape.
        shape: Vec<usize>,
        /// Its size in bytes; `None` when that overflows `usize`.
        bytes: Option<usize>,
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

/// "6 elements", or for a shape whose product overflows (a crafted file's header can say
/// anything) "more than usize::MAX elements" rather than an overflow while formatting.
struct ElementCount<'a>(&'a [usize]);

impl fmt::Display for ElementCount<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.iter().try_fold(1usize, |acc, &d| acc.checked_mul(d)) {
            Some(count) => write!(f, "{count} elements"),
            None => f.write_str("more than usize::MAX elements"),
        }
    }
}

/// "N bytes", or "more than usize::MAX bytes" when the size overflows.
struct ByteCount(Option<usize>);

impl fmt::Display for ByteCount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(bytes) => write!(f, "{bytes} bytes"),
            None => write!(f, "more than {} bytes", usize::MAX),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::Tensor;

    #[test]
    fn length_mismatch_names_the_element_count() {
        let error = Tensor::from_vec(vec![1.0; 5], &[2, 3]).expect_err("5 values, 6 elements");
        assert_eq!(
            error.to_string(),
            "cannot build a tensor of shape [2, 3] (6 elements) from 5 values"
        );
    }

    #[test]
    fn length_mismatch_of_an_overflowing_shape_formats_without_overflow() {
        let error = Tensor::from_vec(vec![1.0], &[usize::MAX, 2]).expect_err("overflowing shape");
        assert_eq!(
            error.to_string(),
            format!(
                "cannot build a tensor of shape [{}, 2] (more than usize::MAX elements) from 1 values",
                usize::MAX
            )
        );
    }
}
