//! Derivatives of the fused losses (`ops/loss.rs`), computed from the saved inputs: the
//! output gradient is first spread over the per-element losses (`LossReduction::per_element`:
//! `g / divisor` each for a reduced loss), then multiplied by each element's derivative.

use ndarray::{ArrayD, Axis, Zip};

use super::{Grads, Step};
use crate::tensor::ops::loss::{
    BceLoss, ClassLoss, LossReduction, PointwiseLoss, along_last, log_sum_exp,
};

pub(super) fn cross_entropy(s: &Step<'_>, grad: ArrayD<f32>, loss: &ClassLoss) -> Grads {
    // dℓ/dx_j = p_j·((1-ε)w_t + (ε/C)Σ_c w_c) - (1-ε)w_t·δ_tj - (ε/C)w_j, p = softmax(x)
    // (= softmax - onehot_smoothed without weights); 0 for an ignored lane.
    let x = s.input(0);
    let classes = x.shape()[1];
    let eps = loss.label_smoothing;
    let smooth = eps / classes as f32;
    let weight_sum = loss.weight_sum(classes);
    let per_lane = lane_grads(grad, loss.reduction, x.shape());
    let mut dx = ArrayD::zeros(x.shape());
    let lanes = dx.lanes_mut(Axis(1)).into_iter().zip(x.lanes(Axis(1)));
    for (((mut d, x), target), &g) in lanes.zip(&loss.targets).zip(per_lane.iter()) {
        let Some(t) = *target else { continue };
        let (max, log_sum) = log_sum_exp(x);
        let w_t = (1.0 - eps) * loss.class_weight(t);
        let scale = w_t + smooth * weight_sum;
        for (j, (d, &x)) in d.iter_mut().zip(x.iter()).enumerate() {
            let p = ((x - max) - log_sum).exp();
            *d = g * (p * scale - smooth * loss.class_weight(j));
        }
        d[t] -= g * w_t;
    }
    vec![Some(dx)]
}

pub(super) fn nll(s: &Step<'_>, grad: ArrayD<f32>, loss: &ClassLoss) -> Grads {
    // d(-w_t·x_t)/dx_j = -w_t·δ_tj; 0 for an ignored lane.
    let shape = s.shape(0);
    let per_lane = lane_grads(grad, loss.reduction, shape);
    let mut dx = ArrayD::zeros(shape);
    let lanes = dx.lanes_mut(Axis(1)).into_iter().zip(&loss.targets);
    for ((mut d, target), &g) in lanes.zip(per_lane.iter()) {
        if let Some(t) = *target {
            d[t] = -g * loss.class_weight(t);
        }
    }
    vec![Some(dx)]
}

/// The gradient of each lane's loss: the output gradient, spread over the lanes when reduced.
fn lane_grads(grad: ArrayD<f32>, reduction: LossReduction, input: &[usize]) -> ArrayD<f32> {
    let mut lanes = input.to_vec();
    lanes.remove(1);
    reduction.per_element(grad, &lanes)
}

pub(super) fn bce_with_logits(s: &Step<'_>, grad: ArrayD<f32>, loss: &BceLoss) -> Grads {
    // dℓ/dx = w·((1 + (p-1)y)σ(x) - p·y),  dℓ/dy = -w·(x + (p-1)·log σ(x))  (p = 1: σ(x) - y, -x)
    let shape = s.shape(0).to_vec();
    let last = shape.last().copied().unwrap_or(1);
    let mut g = loss.reduction.per_element(grad, &shape);
    let (x, y) = (s.input(0), s.input(1));
    let pos_weight = |i| {
        loss.pos_weight
            .as_ref()
            .map_or(1.0, |p| along_last(p, i, last))
    };
    let weight = |i| loss.weight.as_ref().map_or(1.0, |w| along_last(w, i, last));
    let dy = s.needs(1).then(|| {
        let mut dy = g.clone();
        for (i, (d, (&x, _))) in dy.iter_mut().zip(x.iter().zip(y.iter())).enumerate() {
            let log_sigmoid = x.min(0.0) - (-x.abs()).exp().ln_1p();
            *d *= -weight(i) * (x + (pos_weight(i) - 1.0) * log_sigmoid);
        }
        dy
    });
    let dx = s.needs(0).then(|| {
        for (i, (d, (&x, &y))) in g.iter_mut().zip(x.iter().zip(y.iter())).enumerate() {
            let t = pos_weight(i) * y;
            *d *= weight(i) * ((t + 1.0 - y) * sigmoid(x) - t);
        }
        g
    });
    vec![dx, dy]
}

/// `σ(x)`, per sign so that `e^-x` never overflows.
fn sigmoid(x: f32) -> f32 {
    crate::tensor::ops::activation::sigmoid(x)
}

pub(super) fn pointwise(
    s: &Step<'_>,
    grad: ArrayD<f32>,
    loss: PointwiseLoss,
    reduction: LossReduction,
) -> Grads {
    // dℓ(x - y)/dx = ℓ'(d), dℓ/dy = -ℓ'(d): ℓ' = 2d (MSE), sign d (L1, 0 at 0), d/β or
    // sign d (smooth L1), d or δ·sign d (Huber)
    let mut dx = reduction.per_element(grad, s.shape(0));
    Zip::from(&mut dx)
        .and(&*s.input(0))
        .and(&*s.input(1))
        .for_each(|g, &x, &y| *g *= derivative(loss, x - y));
    let dy = s.needs(1).then(|| dx.mapv(|g| -g));
    vec![s.needs(0).then_some(dx), dy]
}

/// `ℓ'(d)`, with PyTorch's choices at the kinks (`|d| = β` and `|d| = δ` are on the quadratic
/// side, `sign 0 = 0`).
fn derivative(loss: PointwiseLoss, d: f32) -> f32 {
    let sign = if d > 0.0 {
        1.0
    } else if d < 0.0 {
        -1.0
    } else {
        0.0
    };
    match loss {
        PointwiseLoss::Mse => 2.0 * d,
        PointwiseLoss::L1 => sign,
        PointwiseLoss::SmoothL1 { beta: 0.0 } => sign,
        PointwiseLoss::SmoothL1 { beta } if d.abs() <= beta => d / beta,
        PointwiseLoss::SmoothL1 { .. } => sign,
        PointwiseLoss::Huber { delta } if d.abs() <= delta => d,
        PointwiseLoss::Huber { delta } => delta * sign,
    }
}
