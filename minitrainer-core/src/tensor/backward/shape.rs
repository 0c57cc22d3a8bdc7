//! Derivatives of the shape ops (`ops/shape.rs`). Each is linear and only moves elements, so
//! its gradient moves the output gradient back to where the elements came from.

use ndarray::{ArrayD, Axis, Slice};

use super::{Grads, Step};
use crate::tensor::ops::shape::reshaped;

pub(super) fn permute(grad: ArrayD<f32>, perm: &[usize]) -> Grads {
    // d permute(a, p)/da = grad permuted back by the inverse permutation p⁻¹
    let mut inverse = vec![0; perm.len()];
    for (i, &p) in perm.iter().enumerate() {
        inverse[p] = i;
    }
    vec![Some(grad.permuted_axes(inverse))]
}

pub(super) fn reshape(s: &Step<'_>, grad: ArrayD<f32>) -> Grads {
    // d reshape(a)/da = grad reshaped back to a's shape (row-major)
    let back = if grad.is_standard_layout() {
        grad.into_shape_with_order(s.shape(0).to_vec()).ok()
    } else {
        reshaped(grad.view(), s.shape(0))
    };
    vec![Some(back.unwrap_or_else(|| {
        panic!(
            "minitrainer internal error: reshape backward to {:?}",
            s.shape(0)
        )
    }))]
}

pub(super) fn cat(s: &Step<'_>, grad: &ArrayD<f32>, axis: usize) -> Grads {
    // d cat(a, b, ..)/da = the slice of grad where a was placed
    let mut start = 0;
    s.inputs
        .iter()
        .map(|input| {
            let len = input.shape()[axis];
            let slice = Slice::from(start..start + len);
            start += len;
            input
                .requires_grad()
                .then(|| grad.slice_axis(Axis(axis), slice).to_owned())
        })
        .collect()
}

pub(super) fn narrow(s: &Step<'_>, grad: &ArrayD<f32>, axis: usize, start: usize) -> Grads {
    // d narrow(a, axis, start, len)/da = grad placed at start..start+len, zero elsewhere
    let mut full = ArrayD::zeros(s.shape(0));
    let len = grad.shape()[axis];
    full.slice_axis_mut(Axis(axis), Slice::from(start..start + len))
        .assign(grad);
    vec![Some(full)]
}
