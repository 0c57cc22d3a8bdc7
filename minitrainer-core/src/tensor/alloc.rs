//! Fallible allocation of a tensor's storage, for sizes that come from outside the program (a
//! config's layer widths): a size that does not fit in memory is an error, not an abort inside
//! the allocator.

use ndarray::ArrayD;

use super::TensorError;

/// Bytes per element (`f32`).
const ELEMENT_BYTES: usize = std::mem::size_of::<f32>();

/// An array of `shape` whose elements are `fill()`'s values in row-major order, its storage
/// reserved fallibly. `what` names the tensor in the error (`linear.weight`).
///
/// # Errors
/// [`TensorError::OutOfMemory`] when the size in bytes overflows, exceeds `isize::MAX`, or the
/// allocator refuses it. The operating system may still grant a reservation lazily and fail
/// while it is filled (Linux's overcommit): no check can rule that out beforehand.
pub(crate) fn try_filled(
    shape: &[usize],
    what: &str,
    fill: impl FnMut() -> f32,
) -> Result<ArrayD<f32>, TensorError> {
    let out_of_memory = |bytes| TensorError::OutOfMemory {
        what: what.to_string(),
        shape: shape.to_vec(),
        bytes,
    };
    // As ndarray: the non-zero lengths must multiply without overflow even when one is zero.
    let nonzero = shape
        .iter()
        .filter(|&&len| len != 0)
        .try_fold(1usize, |acc, &len| acc.checked_mul(len));
    let count = if shape.contains(&0) { Some(0) } else { nonzero };
    let bytes = nonzero
        .and(count)
        .and_then(|count| count.checked_mul(ELEMENT_BYTES));
    let (Some(count), Some(bytes)) = (count, bytes) else {
        return Err(out_of_memory(None));
    };
    if bytes > isize::MAX as usize {
        return Err(out_of_memory(Some(bytes)));
    }
    let mut data = Vec::new();
    data.try_reserve_exact(count)
        .map_err(|_| out_of_memory(Some(bytes)))?;
    data.extend(std::iter::repeat_with(fill).take(count));
    let len = data.len();
    ArrayD::from_shape_vec(shape.to_vec(), data).map_err(|_| TensorError::LengthMismatch {
        len,
        shape: shape.to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::try_filled;

    #[test]
    fn fills_in_row_major_order() {
        let mut next = 0.0;
        let array = try_filled(&[2, 3], "t", || {
            next += 1.0;
            next
        });
        let array = array.expect("6 elements fit");
        assert_eq!(array.shape(), &[2, 3]);
        assert_eq!(
            array.iter().copied().collect::<Vec<_>>(),
            [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
        );
        let empty = try_filled(&[0, 4], "t", || 1.0).expect("empty fits");
        assert_eq!(empty.shape(), &[0, 4]);
    }

    #[test]
    fn sizes_beyond_memory_are_errors_naming_the_tensor_and_bytes() {
        let message = |shape: &[usize]| {
            try_filled(shape, "linear.weight", || 0.0)
                .expect_err("too large")
                .to_string()
        };
        // Within isize::MAX bytes, refused by the allocator (no address space is that large).
        assert_eq!(
            message(&[2_305_843_009_213_693_951, 1]),
            "cannot allocate 9223372036854775804 bytes for linear.weight \
             [2305843009213693951, 1]: out of memory"
        );
        // Beyond isize::MAX bytes: refused before asking.
        assert_eq!(
            message(&[1 << 61, 1]),
            "cannot allocate 9223372036854775808 bytes for linear.weight \
             [2305843009213693952, 1]: out of memory"
        );
        // Bytes beyond usize::MAX, also when another axis is empty (ndarray refuses those too).
        let more = "cannot allocate more than 18446744073709551615 bytes for linear.weight";
        assert!(message(&[1 << 62, 1]).starts_with(more));
        assert!(message(&[usize::MAX, 2, 0]).starts_with(more));
    }
}
