//! NumPy broadcasting: the shape two operands broadcast to, and the reverse step of summing a
//! gradient of the broadcast shape back to an operand's shape.

use ndarray::{ArrayD, Axis};

/// The broadcast shape of `a` and `b` (NumPy rules: align trailing axes; sizes must be equal
/// or one of them 1), or `None` when they do not broadcast.
pub(crate) fn broadcast_shape(a: &[usize], b: &[usize]) -> Option<Vec<usize>> {
    let ndim = a.len().max(b.len());
    let mut shape = vec![0; ndim];
    for i in 0..ndim {
        // Axis `i` counted from the end; missing leading axes act as size 1.
        let da = if i < a.len() { a[a.len() - 1 - i] } else { 1 };
        let db = if i < b.len() { b[b.len() - 1 - i] } else { 1 };
        shape[ndim - 1 - i] = match (da, db) {
            (x, y) if x == y => x,
            (1, y) => y,
            (x, 1) => x,
            _ => return None,
        };
    }
    Some(shape)
}

/// The broadcast shape of `a` and `b` for op `op`.
///
/// # Panics
/// When the shapes do not broadcast; the message names the op and both shapes.
pub(crate) fn broadcast_shape_or_panic(op: &str, a: &[usize], b: &[usize]) -> Vec<usize> {
    broadcast_shape(a, b).unwrap_or_else(|| {
        panic!("{op}: shapes {a:?} and {b:?} do not broadcast (trailing axes must match or be 1)")
    })
}

/// Sums `grad` (of a broadcast result's shape) over the axes that broadcasting stretched, so
/// that it has `shape` again. Returns `grad` itself, without copying, when nothing was
/// stretched.
pub(crate) fn sum_to_shape(grad: ArrayD<f32>, shape: &[usize]) -> ArrayD<f32> {
    if grad.shape() == shape {
        return grad;
    }
    let mut grad = grad;
    // Leading axes the operand did not have.
    while grad.ndim() > shape.len() {
        grad = grad.sum_axis(Axis(0));
    }
    // Axes where the operand had size 1.
    for (axis, &size) in shape.iter().enumerate() {
        if size == 1 && grad.shape()[axis] != 1 {
            grad = grad.sum_axis(Axis(axis)).insert_axis(Axis(axis));
        }
    }
    debug_assert_eq!(
        grad.shape(),
        shape,
        "minitrainer internal error: sum_to_shape"
    );
    grad
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broadcast_shape_follows_numpy_rules() {
        assert_eq!(broadcast_shape(&[3, 1], &[1, 4]), Some(vec![3, 4]));
        assert_eq!(broadcast_shape(&[2, 3, 4], &[4]), Some(vec![2, 3, 4]));
        assert_eq!(broadcast_shape(&[], &[2, 2]), Some(vec![2, 2]));
        assert_eq!(broadcast_shape(&[2, 3], &[3, 2]), None);
    }

    #[test]
    fn sum_to_shape_reduces_stretched_axes() {
        let grad = ArrayD::from_elem(vec![2, 3, 4], 1.0_f32);
        assert_eq!(sum_to_shape(grad.clone(), &[3, 1]).shape(), &[3, 1]);
        assert!(
            sum_to_shape(grad.clone(), &[3, 1])
                .iter()
                .all(|&v| v == 8.0)
        );
        assert!(sum_to_shape(grad, &[]).iter().all(|&v| v == 24.0));
    }
}
