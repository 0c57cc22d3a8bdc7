//! Matrix product: 2-D, and batched over broadcast leading axes (torch.matmul for ndim >= 2).
//!
//! Every product goes through ndarray's GEMM (`dot` / `general_mat_mul`, i.e. matrixmultiply)
//! on views; transposes in the backward pass are stride swaps, never copies.

use ndarray::{Array3, ArrayD, ArrayView2, ArrayViewD, Axis, Ix2, linalg::general_mat_mul};

use crate::tensor::Tensor;
use crate::tensor::broadcast::{broadcast_shape, sum_to_shape};
use crate::tensor::op::Op;

impl Tensor {
    /// Matrix product over the last two axes; leading (batch) axes broadcast.
    ///
    /// # Shapes
    /// `[n, m] @ [m, p] -> [n, p]`; batched: `[..., n, m] @ [..., m, p] -> [..., n, p]` where
    /// the `...` parts broadcast, e.g. `[b, t, d] @ [d, o] -> [b, t, o]`.
    ///
    /// # Panics
    /// When either operand has fewer than 2 axes, the inner sizes differ, or the batch axes
    /// do not broadcast.
    ///
    /// # Examples
    /// ```
    /// use minitrainer_core::Tensor;
    /// let a = Tensor::from_vec(vec![1.0, 2.0, 3.0, 4.0], &[2, 2])?;
    /// let b = Tensor::from_vec(vec![5.0, 6.0, 7.0, 8.0], &[2, 2])?;
    /// assert_eq!(a.matmul(&b).to_vec(), vec![19.0, 22.0, 43.0, 50.0]);
    /// # Ok::<(), minitrainer_core::Error>(())
    /// ```
    pub fn matmul(&self, other: &Tensor) -> Tensor {
        let data = matmul_arrays("matmul", self.data().view(), other.data().view());
        Tensor::from_op(data, &[self, other], || Op::MatMul)
    }
}

/// The product of `a` and `b` (shapes as in [`Tensor::matmul`]).
///
/// # Panics
/// On incompatible shapes; the message names `op` and both shapes.
pub(crate) fn matmul_arrays(
    op: &str,
    a: ArrayViewD<'_, f32>,
    b: ArrayViewD<'_, f32>,
) -> ArrayD<f32> {
    let (sa, sb) = (a.shape(), b.shape());
    assert!(
        sa.len() >= 2 && sb.len() >= 2,
        "{op}: both operands need at least 2 axes, got shapes {sa:?} and {sb:?}"
    );
    let (n, m) = (sa[sa.len() - 2], sa[sa.len() - 1]);
    let (m2, p) = (sb[sb.len() - 2], sb[sb.len() - 1]);
    assert!(
        m == m2,
        "{op}: inner sizes differ ({m} vs {m2}) for shapes {sa:?} and {sb:?}"
    );
    if sa.len() == 2 && sb.len() == 2 {
        return matrix(a).dot(&matrix(b)).into_dyn();
    }
    let batch = broadcast_shape(&sa[..sa.len() - 2], &sb[..sb.len() - 2])
        .unwrap_or_else(|| panic!("{op}: batch axes of shapes {sa:?} and {sb:?} do not broadcast"));
    let count = batch.iter().product();
    let mut out = Array3::<f32>::zeros((count, n, p));
    let mut index = vec![0; batch.len()];
    for (flat, mut out_matrix) in out.outer_iter_mut().enumerate() {
        unravel(flat, &batch, &mut index);
        general_mat_mul(
            1.0,
            &matrix_at(&a, &index),
            &matrix_at(&b, &index),
            0.0,
            &mut out_matrix,
        );
    }
    let mut shape = batch;
    shape.extend([n, p]);
    // `out` is contiguous, so this only relabels the axes.
    out.into_shape_with_order(shape)
        .unwrap_or_else(|e| panic!("minitrainer internal error: matmul reshape: {e}"))
}

/// Gradients of `a @ b` with respect to `a` and `b` (each only when asked for), summed back to
/// the operands' shapes where batch axes were broadcast.
pub(crate) fn matmul_backward(
    a: ArrayViewD<'_, f32>,
    b: ArrayViewD<'_, f32>,
    grad: &ArrayD<f32>,
    need_a: bool,
    need_b: bool,
) -> (Option<ArrayD<f32>>, Option<ArrayD<f32>>) {
    // d(a·b)/da = grad · bᵀ ; d(a·b)/db = aᵀ · grad (transposes as stride swaps).
    let grad_a = need_a.then(|| {
        let full = matmul_arrays("matmul backward", grad.view(), last_two_swapped(b.clone()));
        sum_to_shape(full, a.shape())
    });
    let grad_b = need_b.then(|| {
        let full = matmul_arrays("matmul backward", last_two_swapped(a.clone()), grad.view());
        sum_to_shape(full, b.shape())
    });
    (grad_a, grad_b)
}

fn last_two_swapped(mut view: ArrayViewD<'_, f32>) -> ArrayViewD<'_, f32> {
    let nd = view.ndim();
    view.swap_axes(nd - 2, nd - 1);
    view
}

fn matrix(view: ArrayViewD<'_, f32>) -> ArrayView2<'_, f32> {
    view.into_dimensionality::<Ix2>()
        .unwrap_or_else(|e| panic!("minitrainer internal error: matmul matrix view: {e}"))
}

/// The matrix of `view` at position `index` of the broadcast batch axes: an operand axis of
/// size 1 is read at 0 (broadcasting without materialising anything).
fn matrix_at<'a>(view: &ArrayViewD<'a, f32>, index: &[usize]) -> ArrayView2<'a, f32> {
    let own_batch = view.ndim() - 2;
    let skipped = index.len() - own_batch;
    let mut sub = view.clone();
    for &i in &index[skipped..] {
        let i = if sub.shape()[0] == 1 { 0 } else { i };
        sub = sub.index_axis_move(Axis(0), i);
    }
    matrix(sub)
}

/// Row-major multi-index of position `flat` in `shape`, written into `index`.
fn unravel(mut flat: usize, shape: &[usize], index: &mut [usize]) {
    for (slot, &size) in index.iter_mut().zip(shape).rev() {
        *slot = flat % size;
        flat /= size;
    }
}
