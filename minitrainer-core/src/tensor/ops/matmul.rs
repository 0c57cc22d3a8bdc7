//! Matrix product: 2-D, and batched over broadcast leading axes (torch.matmul for ndim >= 2).
//!
//! Every product goes through the GEMM door (`tensor/gemm.rs`) on views; the helpers the derivatives share (`matmul_arrays`, `as_rows`,
//! `last_two_swapped`) are crate-visible for `backward/matmul.rs`.

use ndarray::{Array1, Array3, ArrayD, ArrayView1, ArrayView2, ArrayViewD, Axis, Ix2};

use crate::tensor::Tensor;
use crate::tensor::broadcast::broadcast_shape;
use crate::tensor::gemm::{gemm_into, product, row_times_columns};
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

    /// `self @ otherᵀ` for a matrix `other`, reading `other` where it is (PyTorch's
    /// `F.linear` without the bias): a linear layer's `x · Wᵀ` with `W` in PyTorch's
    /// `[out, in]` layout, without copying `W` into a transposed tensor first, and with the
    /// gradient of `W` coming out in `W`'s own row-major layout.
    ///
    /// # Shapes
    /// `[..., n, m] @ [p, m]ᵀ -> [..., n, p]`.
    ///
    /// # Panics
    /// When `self` has fewer than 2 axes, `other` is not a matrix, or the sizes of their last
    /// axes differ.
    ///
    /// # Examples
    /// ```
    /// use minitrainer_core::Tensor;
    /// let x = Tensor::from_vec(vec![1.0, 2.0], &[1, 2])?;
    /// let w = Tensor::from_vec(vec![1.0, 0.0, 3.0, 4.0, 0.0, 1.0], &[3, 2])?; // [out, in]
    /// assert_eq!(x.matmul_t(&w).to_vec(), vec![1.0, 11.0, 2.0]);
    /// # Ok::<(), minitrainer_core::Error>(())
    /// ```
    pub fn matmul_t(&self, other: &Tensor) -> Tensor {
        assert!(
            other.ndim() == 2,
            "matmul_t: the right operand must be a matrix, got shapes {:?} and {:?}",
            self.shape(),
            other.shape()
        );
        let data = matmul_arrays("matmul_t", self.data().view(), other.data().t());
        Tensor::from_op(data, &[self, other], || Op::MatMulT)
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
        let (a, b) = (matrix(a), matrix(b));
        if n == 1 {
            // One row (batch-1 inference): GEMM would pack all of `b` to produce a single
            // output row; a vector-matrix product reads `b` once (W4: 2.7x faster per call).
            return row_times_matrix(a.row(0), b)
                .insert_axis(Axis(0))
                .into_dyn();
        }
        return product(&a, &b).into_dyn();
    }
    if sb.len() == 2 {
        // `[..., n, m] @ [m, p]` (a linear layer on a batch of sequences): all rows of `a`
        // are one `[rows, m]` matrix, so a single GEMM does it.
        let mut shape = sa[..sa.len() - 1].to_vec();
        shape.push(p);
        let rows = product(&as_rows(a).view(), &matrix(b));
        return rows
            .into_shape_with_order(shape)
            .unwrap_or_else(|e| panic!("minitrainer internal error: matmul reshape: {e}"));
    }
    let batch = broadcast_shape(&sa[..sa.len() - 2], &sb[..sb.len() - 2])
        .unwrap_or_else(|| panic!("{op}: batch axes of shapes {sa:?} and {sb:?} do not broadcast"));
    let count = batch.iter().product();
    let mut out = Array3::<f32>::zeros((count, n, p));
    let mut index = vec![0; batch.len()];
    for (flat, mut out_matrix) in out.outer_iter_mut().enumerate() {
        unravel(flat, &batch, &mut index);
        gemm_into(
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

/// `x · b` for a row vector `x` (`[m]`) and `b` (`[m, p]`), reading `b` in its memory order:
/// the SIMD vector-matrix kernel of the GEMM door when columns are contiguous (a transposed
/// weight, as in `Linear`), else one `out += x[k] · b[k, ..]` per row.
fn row_times_matrix(x: ArrayView1<'_, f32>, b: ArrayView2<'_, f32>) -> Array1<f32> {
    let columns = b.t();
    if let (Some(x), Some(columns)) = (x.as_slice(), columns.as_slice()) {
        let mut out = vec![0.0; b.ncols()];
        row_times_columns(x, columns, &mut out);
        return Array1::from_vec(out);
    }
    let mut out = Array1::zeros(b.ncols());
    for (&weight, row) in x.iter().zip(b.rows()) {
        out.scaled_add(weight, &row);
    }
    out
}

/// `view` with its last two axes swapped (a transpose of each matrix, as a stride swap).
pub(crate) fn last_two_swapped(mut view: ArrayViewD<'_, f32>) -> ArrayViewD<'_, f32> {
    let nd = view.ndim();
    view.swap_axes(nd - 2, nd - 1);
    view
}

/// `view` (`[..., k]`) as a `[rows, k]` matrix: a relabelling when it is row-major
/// contiguous, a copy otherwise.
pub(crate) fn as_rows(view: ArrayViewD<'_, f32>) -> ndarray::CowArray<'_, f32, Ix2> {
    let shape = view.shape();
    let (rows, k) = (
        shape[..shape.len() - 1].iter().product::<usize>(),
        shape[shape.len() - 1],
    );
    let reshaped = if view.is_standard_layout() {
        view.into_shape_with_order((rows, k))
            .map(ndarray::CowArray::from)
    } else {
        view.to_shape((rows, k))
            .map(|copy| copy.into_owned().into())
    };
    reshaped.unwrap_or_else(|e| panic!("minitrainer internal error: matmul rows view: {e}"))
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

#[cfg(test)]
mod tests {
    use crate::tensor::{Tensor, seeded_rng};

    #[test]
    fn a_single_row_matches_the_same_row_of_a_batched_product() {
        let mut rng = seeded_rng(0);
        // 37 = two 16-lane vectors and a tail of 5 (AVX-512), or four 8-lane and a tail of 5.
        let x = Tensor::randn(&[2, 37], 0.0, 1.0, &mut rng);
        // 9 columns: two groups of four and one column on its own in the kernel.
        let w = Tensor::randn(&[9, 37], 0.0, 1.0, &mut rng);
        // Both paths of the single-row product: columns contiguous (a transposed weight, as
        // in Linear) and rows contiguous (reshape copies to row-major).
        let transposed = w.transpose(0, 1);
        for b in [transposed.clone(), transposed.reshape(&[37, 9])] {
            let batched = x.matmul(&b).to_vec();
            let single = x.narrow(0, 0, 1).matmul(&b);
            assert_eq!(single.shape(), &[1, 9]);
            for (s, e) in single.to_vec().iter().zip(&batched[..9]) {
                assert!((s - e).abs() <= 1e-5 * e.abs().max(1.0), "{s} vs {e}");
            }
        }
        let empty = Tensor::zeros(&[1, 0]).matmul(&Tensor::zeros(&[0, 3]));
        assert_eq!(empty.to_vec(), vec![0.0; 3]);
    }
}
