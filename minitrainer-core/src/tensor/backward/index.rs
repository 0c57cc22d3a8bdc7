//! Derivatives of the indexing ops (`ops/index.rs`): the output gradient is scattered back,
//! and added where an entry was picked more than once.

use ndarray::{ArrayD, Axis, Zip};

use super::{Grads, Step};

pub(super) fn index_select(
    s: &Step<'_>,
    grad: &ArrayD<f32>,
    axis: usize,
    indices: &[usize],
) -> Grads {
    // d a[idx]/da = grad scattered (added) back to the selected positions
    let mut out = ArrayD::<f32>::zeros(s.shape(0));
    for (k, &i) in indices.iter().enumerate() {
        let mut slot = out.index_axis_mut(Axis(axis), i);
        slot += &grad.index_axis(Axis(axis), k);
    }
    vec![Some(out)]
}

pub(super) fn gather(
    s: &Step<'_>,
    grad: &ArrayD<f32>,
    axis: usize,
    index: &ArrayD<usize>,
) -> Grads {
    // d gather(a, axis, index)/da = grad scattered (added) back to the gathered positions
    let mut out = ArrayD::<f32>::zeros(s.shape(0));
    Zip::from(out.lanes_mut(Axis(axis)))
        .and(grad.lanes(Axis(axis)))
        .and(index.lanes(Axis(axis)))
        .for_each(|mut dst, g, idx| {
            for (&gv, &i) in g.iter().zip(idx) {
                dst[i] += gv;
            }
        });
    vec![Some(out)]
}
