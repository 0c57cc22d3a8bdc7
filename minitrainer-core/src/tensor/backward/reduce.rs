//! Derivatives of the reductions (`ops/reduce.rs`): the output gradient is spread back over
//! the elements that were reduced.

use ndarray::{ArrayD, Axis, Zip};

use super::{Grads, Step};

pub(super) fn sum(s: &Step<'_>, grad: &ArrayD<f32>) -> Grads {
    // d Σa/da = 1 everywhere
    vec![Some(ArrayD::from_elem(s.shape(0), grad.sum()))]
}

pub(super) fn mean(s: &Step<'_>, grad: &ArrayD<f32>) -> Grads {
    // d mean(a)/da = 1/n everywhere
    let n = s.inputs[0].numel() as f32;
    vec![Some(ArrayD::from_elem(s.shape(0), grad.sum() / n))]
}

pub(super) fn max(s: &Step<'_>, grad: &ArrayD<f32>) -> Grads {
    // d max(a)/da = 1/k at each of the k elements equal to the max, 0 elsewhere
    // (PyTorch's even split among ties; a NaN max matches the NaNs)
    let max = s.out().iter().next().copied().unwrap_or(f32::NAN);
    let is_max = |x: f32| x == max || (max.is_nan() && x.is_nan());
    let input = s.input(0);
    let ties = input.iter().filter(|&&x| is_max(x)).count().max(1);
    let share = grad.sum() / ties as f32;
    vec![Some(input.mapv(|x| if is_max(x) { share } else { 0.0 }))]
}

pub(super) fn sum_axis(s: &Step<'_>, grad: ArrayD<f32>, axis: usize, keepdim: bool) -> Grads {
    // d Σ_axis a/da = 1: grad broadcast back along the axis
    vec![Some(spread(grad, s.shape(0), axis, keepdim))]
}

pub(super) fn mean_axis(s: &Step<'_>, grad: ArrayD<f32>, axis: usize, keepdim: bool) -> Grads {
    // d mean_axis(a)/da = 1/n along the axis (n = its length)
    let n = s.shape(0)[axis] as f32;
    vec![Some(spread(grad / n, s.shape(0), axis, keepdim))]
}

/// The gradient of an axis reduction, broadcast back along `axis` to the input `shape`.
fn spread(grad: ArrayD<f32>, shape: &[usize], axis: usize, keepdim: bool) -> ArrayD<f32> {
    let grad = if keepdim {
        grad
    } else {
        grad.insert_axis(Axis(axis))
    };
    grad.broadcast(shape)
        .unwrap_or_else(|| panic!("minitrainer internal error: reduction backward to {shape:?}"))
        .to_owned()
}

pub(super) fn max_axis(
    s: &Step<'_>,
    grad: ArrayD<f32>,
    axis: usize,
    keepdim: bool,
    argmax: &ArrayD<usize>,
) -> Grads {
    // d max_axis(a)/da = 1 at each lane's (first) argmax, 0 elsewhere
    let grad = if keepdim {
        grad.index_axis_move(Axis(axis), 0)
    } else {
        grad
    };
    let mut full = ArrayD::zeros(s.shape(0));
    Zip::from(full.lanes_mut(Axis(axis)))
        .and(argmax)
        .and(&grad)
        .for_each(|mut lane, &k, &g| lane[k] += g);
    vec![Some(full)]
}
