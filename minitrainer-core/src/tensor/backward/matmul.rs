//! Derivatives of the matrix products (`ops/matmul.rs`). Every product is a GEMM on views:
//! transposes are stride swaps, never copies.

use ndarray::{ArrayD, ArrayView2, Ix2};

use super::{Grads, Step};
use crate::tensor::broadcast::sum_to_shape;
use crate::tensor::gemm::{gemm_into, product};
use crate::tensor::ops::linear::column_sums;
use crate::tensor::ops::matmul::{as_rows, last_two_swapped, matmul_arrays};

pub(super) fn matmul(s: &Step<'_>, grad: &ArrayD<f32>) -> Grads {
    // d(a·b)/da = grad·bᵀ ; d(a·b)/db = aᵀ·grad (each summed over broadcast batch axes)
    let (a, b) = (s.input(0), s.input(1));
    let (a, b) = (a.view(), b.view());
    let grad_a = s.needs(0).then(|| {
        let full = matmul_arrays("matmul backward", grad.view(), last_two_swapped(b.clone()));
        sum_to_shape(full, a.shape())
    });
    let grad_b = s.needs(1).then(|| {
        if b.ndim() == 2 {
            // Σ over batch of aᵢᵀ·gradᵢ is one GEMM over all rows (see `matmul_arrays`).
            return product(&as_rows(a.clone()).t(), &as_rows(grad.view()).view()).into_dyn();
        }
        let full = matmul_arrays("matmul backward", last_two_swapped(a.clone()), grad.view());
        sum_to_shape(full, b.shape())
    });
    vec![grad_a, grad_b]
}

pub(super) fn matmul_t(s: &Step<'_>, grad: &ArrayD<f32>) -> Grads {
    // d(a·wᵀ)/da = grad·w ; d(a·wᵀ)/dw = gradᵀ·a
    // The gradient of `w` sums over every row of the batch in one GEMM, and comes out
    // row-major like `w` (no strided walk in the optimizer's update).
    let spare_w = spare(s, 1);
    let (a, w) = (s.input(0), s.input(1));
    let grad_a = s
        .needs(0)
        .then(|| matmul_arrays("matmul_t backward", grad.view(), w.view()));
    let grad_w = s.needs(1).then(|| {
        weight_grad(
            spare_w,
            as_rows(grad.view()).view(),
            as_rows(a.view()).view(),
        )
    });
    vec![grad_a, grad_w]
}

pub(super) fn linear(s: &Step<'_>, grad: &ArrayD<f32>) -> Grads {
    // d(a·wᵀ + b)/da = grad·w ; d/dw = gradᵀ·a ; d/db = Σ_rows grad
    let has_bias = s.inputs.len() > 2;
    // The spare buffers first: no gradient lock is taken while a value is read.
    let (spare_w, spare_b) = (spare(s, 1), if has_bias { spare(s, 2) } else { None });
    let rows = as_rows(grad.view());
    let grad_a = s.needs(0).then(|| {
        let w = s.input(1);
        let w = w.view().into_dimensionality::<Ix2>().unwrap_or_else(|e| {
            panic!("minitrainer internal error: linear backward weight view: {e}")
        });
        product(&rows.view(), &w)
            .into_shape_with_order(s.shape(0))
            .unwrap_or_else(|e| panic!("minitrainer internal error: linear backward: {e}"))
    });
    let grad_w = s
        .needs(1)
        .then(|| weight_grad(spare_w, rows.view(), as_rows(s.input(0).view()).view()));
    let mut grads = vec![grad_a, grad_w];
    if has_bias {
        grads.push(s.needs(2).then(|| column_sums(rows.view(), spare_b)));
    }
    grads
}

/// The cleared gradient buffer of input `i` (a leaf), if it wants a gradient and has one.
fn spare(s: &Step<'_>, i: usize) -> Option<ArrayD<f32>> {
    s.needs(i)
        .then(|| s.inputs[i].take_spare_grad(s.shape(i)))
        .flatten()
}

/// `gradᵀ·a` for `grad [rows, out]` and `a [rows, in]`: a weight's gradient `[out, in]`,
/// written into the weight's spare gradient buffer when there is one (a GEMM with beta = 0
/// never reads it, as BLAS's contract says), else into a new matrix.
fn weight_grad(
    spare: Option<ArrayD<f32>>,
    grad: ArrayView2<'_, f32>,
    a: ArrayView2<'_, f32>,
) -> ArrayD<f32> {
    if let Some(mut out) = spare
        && let Ok(mut matrix) = out.view_mut().into_dimensionality::<Ix2>()
    {
        gemm_into(1.0, &grad.t(), &a, 0.0, &mut matrix);
        return out;
    }
    product(&grad.t(), &a).into_dyn()
}
