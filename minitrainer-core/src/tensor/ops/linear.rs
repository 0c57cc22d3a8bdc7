//! The fused linear map `x · Wᵀ + b` (PyTorch's `F.linear`): one op, one output buffer, one
//! GEMM, one graph node — instead of a product, a broadcast add and their two nodes.

use ndarray::{ArrayD, ArrayView1, ArrayView2, Axis, Ix1, Ix2, IxDyn};

use crate::tensor::Tensor;
use crate::tensor::gemm::{gemm_into, row_times_columns};
use crate::tensor::op::Op;
use crate::tensor::ops::matmul::{as_rows, matmul_arrays};
use crate::tensor::recycle;

impl Tensor {
    /// `self · weightᵀ + bias`: PyTorch's `F.linear`, the map of a fully connected layer, as
    /// one op. `weight` is read in PyTorch's `[out, in]` layout (no transposed copy), the
    /// output starts as the broadcast bias and the product is added to it by the GEMM, and
    /// backward computes `dW = gradᵀ·x`, `db` = the column sums of `grad`, and `dx = grad·W`
    /// only for the inputs that require grad (a data batch gets no `dx`).
    ///
    /// # Shapes
    /// `self [..., in]`, `weight [out, in]`, `bias [out]` → `[..., out]`; a 1-D `self`
    /// (one sample) gives `[out]`.
    ///
    /// # Panics
    /// When `self` has no axis, `weight` is not a matrix, the last axis of `self` is not
    /// `weight`'s second, or `bias` is not a vector of `weight`'s first axis' length.
    ///
    /// # Examples
    /// ```
    /// use minitrainer_core::Tensor;
    /// let x = Tensor::from_vec(vec![1.0, 2.0, 3.0, 4.0], &[2, 2])?;
    /// let w = Tensor::from_vec(vec![1.0, 0.0, 3.0, 4.0, 0.0, 1.0], &[3, 2])?; // [out, in]
    /// let b = Tensor::from_vec(vec![0.5, -1.0, 0.0], &[3])?;
    /// let y = x.linear(&w, Some(&b));
    /// assert_eq!(y.to_vec(), vec![1.5, 10.0, 2.0, 3.5, 24.0, 4.0]);
    /// // The same as the product and the broadcast add, as two ops.
    /// assert_eq!(y.to_vec(), x.matmul_t(&w).add(&b).to_vec());
    /// assert_eq!(x.linear(&w, None).to_vec(), x.matmul_t(&w).to_vec());
    /// # Ok::<(), minitrainer_core::Error>(())
    /// ```
    pub fn linear(&self, weight: &Tensor, bias: Option<&Tensor>) -> Tensor {
        let (ws, xs) = (weight.shape(), self.shape());
        assert!(
            ws.len() == 2 && !xs.is_empty() && xs[xs.len() - 1] == ws[1],
            "linear: expected an input [..., in], a weight [out, in]; got shapes {xs:?} and {ws:?}"
        );
        if let Some(bias) = bias {
            assert!(
                bias.shape() == [ws[0]],
                "linear: the bias must have shape [{}] for a weight {ws:?}, got {:?}",
                ws[0],
                bias.shape()
            );
        }
        let data = {
            let (x, w) = (self.data(), weight.data());
            let b = bias.map(|b| b.data());
            let w = w
                .view()
                .into_dimensionality::<Ix2>()
                .unwrap_or_else(|e| panic!("minitrainer internal error: linear weight view: {e}"));
            let b = b.as_ref().map(|b| vector(b.view()));
            linear_arrays(x.view(), w, b)
        };
        match bias {
            Some(bias) => Tensor::from_op(data, &[self, weight, bias], || Op::Linear),
            None => Tensor::from_op(data, &[self, weight], || Op::Linear),
        }
    }
}

/// `x · wᵀ + b` for `x [..., in]`, `w [out, in]`, `b [out]`.
fn linear_arrays(
    x: ndarray::ArrayViewD<'_, f32>,
    w: ArrayView2<'_, f32>,
    b: Option<ArrayView1<'_, f32>>,
) -> ArrayD<f32> {
    let mut shape = x.shape().to_vec();
    let last = shape.len() - 1;
    shape[last] = w.nrows();
    let rows = as_rows(x);
    if let Some(out) = one_row_linear(rows.view(), w, b) {
        return ArrayD::from_shape_vec(IxDyn(&shape), out)
            .unwrap_or_else(|e| panic!("minitrainer internal error: linear reshape: {e}"));
    }
    let out = if rows.nrows() == 1 {
        // One sample in a layout the fast path below does not take: through `matmul`.
        let mut out = matmul_arrays("linear", rows.view().into_dyn(), w.t().into_dyn());
        if let Some(b) = b {
            out += &b;
        }
        out
    } else {
        // The output starts as the bias, and the GEMM adds the product to it (beta = 1);
        // without a bias, beta = 0 and the buffer's old values are never read.
        let mut out = recycle::matrix(rows.nrows(), w.nrows());
        let beta = match b {
            Some(b) => {
                out.assign(&b);
                1.0
            }
            None => 0.0,
        };
        gemm_into(1.0, &rows.view(), &w.t(), beta, &mut out.view_mut());
        out.into_dyn()
    };
    out.into_shape_with_order(shape)
        .unwrap_or_else(|e| panic!("minitrainer internal error: linear reshape: {e}"))
}

/// One sample with contiguous operands (batch-1 inference): the vector-matrix kernel reads
/// the rows of `w` once, then the bias is added; the same operations as the general path,
/// without its views and temporaries. `None` for other shapes and layouts.
fn one_row_linear(
    rows: ArrayView2<'_, f32>,
    w: ArrayView2<'_, f32>,
    b: Option<ArrayView1<'_, f32>>,
) -> Option<Vec<f32>> {
    if rows.nrows() != 1 {
        return None;
    }
    let (x, w_rows) = (rows.to_slice()?, w.to_slice()?);
    let bias = match b {
        Some(b) => Some(b.to_slice()?),
        None => None,
    };
    let mut out = vec![0.0; w.nrows()];
    row_times_columns(x, w_rows, &mut out);
    for (o, b) in out.iter_mut().zip(bias.unwrap_or_default()) {
        *o += b;
    }
    Some(out)
}

fn vector(view: ndarray::ArrayViewD<'_, f32>) -> ArrayView1<'_, f32> {
    view.into_dimensionality::<Ix1>()
        .unwrap_or_else(|e| panic!("minitrainer internal error: linear bias view: {e}"))
}

/// The column sums of a `[rows, out]` matrix in one pass over its rows (the bias gradient),
/// into `spare` (a cleared gradient buffer of shape `[out]`) when given.
pub(crate) fn column_sums(grad: ArrayView2<'_, f32>, spare: Option<ArrayD<f32>>) -> ArrayD<f32> {
    let mut sums = match spare {
        Some(mut sums) => {
            sums.fill(0.0);
            sums
        }
        None => ArrayD::zeros(IxDyn(&[grad.ncols()])),
    };
    for row in grad.axis_iter(Axis(0)) {
        sums += &row;
    }
    sums
}
