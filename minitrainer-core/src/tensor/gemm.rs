//! The one door to matrix-multiply kernels: every GEMM of the tensor ops (forward and backward)
//! goes through [`gemm_into`] or [`product`], so the kernel and its threading are chosen in one
//! place.

use ndarray::{Array2, ArrayView2, ArrayViewMut2, linalg::general_mat_mul};

/// `c = alpha · a·b + beta · c` (BLAS `sgemm`) on views of any strides.
///
/// # Panics
/// When the shapes do not fit (`a: [n, k]`, `b: [k, p]`, `c: [n, p]`); callers check first.
pub(crate) fn gemm_into(
    alpha: f32,
    a: &ArrayView2<'_, f32>,
    b: &ArrayView2<'_, f32>,
    beta: f32,
    c: &mut ArrayViewMut2<'_, f32>,
) {
    general_mat_mul(alpha, a, b, beta, c);
}

/// `a·b` into a new row-major matrix.
///
/// # Panics
/// When the inner sizes differ; callers check first.
pub(crate) fn product(a: &ArrayView2<'_, f32>, b: &ArrayView2<'_, f32>) -> Array2<f32> {
    let mut out = Array2::zeros((a.nrows(), b.ncols()));
    gemm_into(1.0, a, b, 0.0, &mut out.view_mut());
    out
}
