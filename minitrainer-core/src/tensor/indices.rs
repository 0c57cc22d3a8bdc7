//! [`IntoIndices`]: the integer positions an op picks entries by — class labels for
//! [`Tensor::gather`] and the losses, token ids for [`Tensor::index_select`] — from whatever
//! the caller holds them in.
//!
//! Tensors hold `f32`, so a label tensor (as a data loader yields it) is accepted too, and
//! checked: a value that is not a non-negative whole number is a programming error, like a
//! shape mismatch, and panics with a message naming the op, the value and its position.

use ndarray::{Array1, ArrayD, Dimension};

use super::Tensor;

/// The largest `f32` below which every whole number is exact (2²⁴): a larger "index" may
/// already have been rounded, so it is refused rather than silently picking another entry.
const MAX_EXACT_INDEX: f32 = 16_777_216.0;

/// Indices (class labels, token ids) for the ops that pick entries by position:
/// [`Tensor::gather`], [`Tensor::index_select`], and the losses that take labels.
///
/// Implemented for `&[usize]` and `&[usize; N]`, `Vec<usize>` and
/// `&Vec<usize>` (all 1-D), `ArrayD<usize>` and `&ArrayD<usize>` (any shape), and `Tensor` and
/// `&Tensor` (any shape; values must be non-negative whole numbers). Borrowed forms are copied
/// once, into the op's autograd record.
///
/// How the shape lines up with the op is the op's business: [`Tensor::gather`] reads an index
/// with one axis fewer than the tensor as one index per lane (a label list of length `batch`
/// for `[batch, classes]` log-probabilities); [`Tensor::index_select`] takes a 1-D index.
///
/// # Examples
/// ```
/// use minitrainer_core::Tensor;
/// use ndarray::{ArrayD, IxDyn};
///
/// // Log-probabilities of 2 samples over 3 classes; pick each row's label (0, then 2).
/// let log_probs = Tensor::from_vec(vec![-0.1, -2.0, -3.0, -4.0, -5.0, -0.2], &[2, 3])?;
/// let expected = vec![-0.1, -0.2];
/// assert_eq!(log_probs.gather(1, &[0, 2]).to_vec(), expected);
/// assert_eq!(log_probs.gather(1, vec![0, 2]).to_vec(), expected);
/// let column = ArrayD::from_shape_vec(IxDyn(&[2, 1]), vec![0, 2])?;
/// assert_eq!(log_probs.gather(1, &column).to_vec(), expected);
/// // Labels as a data loader yields them: an f32 tensor holding whole numbers.
/// let labels = Tensor::from_vec(vec![0.0, 2.0], &[2])?;
/// assert_eq!(log_probs.gather(1, &labels).to_vec(), expected);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait IntoIndices {
    /// These indices as an integer array: 1-D for a slice, an array or a `Vec`; a tensor's or
    /// an `ArrayD`'s own shape otherwise.
    ///
    /// `op` names the operation that asked, for the panic message.
    ///
    /// # Panics
    /// For a tensor, when a value is negative, not a whole number, not finite or above 2²⁴
    /// (where `f32` stops holding every whole number); the message names `op`, the value and
    /// its position, e.g. `gather: index -1 at position [1] is not a non-negative whole
    /// number`.
    fn into_indices(self, op: &str) -> ArrayD<usize>;

    /// These indices as signed class labels, for the losses, without panicking: a tensor's
    /// negative whole numbers are kept (a loss compares them with its `ignore_index`, such as
    /// PyTorch's `-100`, and reports any other as out of range).
    ///
    /// The default converts [`into_indices`](IntoIndices::into_indices), which cannot fail
    /// for integer sources.
    ///
    /// # Errors
    /// For a tensor, [`NotALabel`] for the first value (in row-major order) that is not a
    /// whole number of magnitude at most 2²⁴.
    fn into_labels(self) -> Result<ArrayD<i64>, NotALabel>
    where
        Self: Sized,
    {
        // A usize above i64::MAX is no valid label either; saturating keeps it out of range.
        Ok(self
            .into_indices("labels")
            .mapv(|i| i64::try_from(i).unwrap_or(i64::MAX)))
    }
}

/// A label tensor held a value that is not a whole number (or one too large to be exact in
/// `f32`).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error(
    "label {value} at position {position:?} is not a whole number; a label tensor must hold \
     class indices 0, 1, 2, … (whole numbers up to 2^24 = 16777216)"
)]
pub struct NotALabel {
    /// The value.
    pub value: f32,
    /// Its position in the label tensor.
    pub position: Vec<usize>,
}

impl IntoIndices for &[usize] {
    fn into_indices(self, _op: &str) -> ArrayD<usize> {
        Array1::from(self.to_vec()).into_dyn()
    }
}

impl<const N: usize> IntoIndices for &[usize; N] {
    fn into_indices(self, _op: &str) -> ArrayD<usize> {
        Array1::from(self.to_vec()).into_dyn()
    }
}

impl IntoIndices for Vec<usize> {
    fn into_indices(self, _op: &str) -> ArrayD<usize> {
        Array1::from(self).into_dyn()
    }
}

impl IntoIndices for &Vec<usize> {
    fn into_indices(self, _op: &str) -> ArrayD<usize> {
        Array1::from(self.clone()).into_dyn()
    }
}

impl IntoIndices for ArrayD<usize> {
    fn into_indices(self, _op: &str) -> ArrayD<usize> {
        self
    }
}

impl IntoIndices for &ArrayD<usize> {
    fn into_indices(self, _op: &str) -> ArrayD<usize> {
        self.clone()
    }
}

impl IntoIndices for &Tensor {
    fn into_indices(self, op: &str) -> ArrayD<usize> {
        let values = self.data();
        if let Some((position, &value)) = values.indexed_iter().find(|&(_, &x)| !is_index(x)) {
            let position = position.slice().to_vec();
            if value > MAX_EXACT_INDEX && value.is_finite() {
                panic!(
                    "{op}: index {value} at position {position:?} is too large to be exact \
                     in f32 (whole numbers are exact only up to 2^24 = 16777216)"
                );
            }
            panic!(
                "{op}: index {value} at position {position:?} is not a non-negative whole \
                 number; an index tensor must hold 0, 1, 2, …"
            );
        }
        // Every value is a whole number in 0..=2²⁴, so the cast is exact.
        values.mapv(|x| x as usize)
    }

    fn into_labels(self) -> Result<ArrayD<i64>, NotALabel> {
        let values = self.data();
        let is_label = |x: f32| x.abs() <= MAX_EXACT_INDEX && x.fract() == 0.0;
        if let Some((position, &value)) = values.indexed_iter().find(|&(_, &x)| !is_label(x)) {
            let position = position.slice().to_vec();
            return Err(NotALabel { value, position });
        }
        // Every value is a whole number of magnitude at most 2²⁴, so the cast is exact.
        Ok(values.mapv(|x| x as i64))
    }
}

impl IntoIndices for Tensor {
    fn into_indices(self, op: &str) -> ArrayD<usize> {
        (&self).into_indices(op)
    }

    fn into_labels(self) -> Result<ArrayD<i64>, NotALabel> {
        (&self).into_labels()
    }
}

/// A value an `f32` index tensor may hold: a whole number in `0..=2²⁴` (NaN and ±∞ are not).
fn is_index(x: f32) -> bool {
    (0.0..=MAX_EXACT_INDEX).contains(&x) && x.fract() == 0.0
}
