//! Fused losses: cross-entropy on logits, NLL on log-probabilities, binary cross-entropy on
//! logits, and the pointwise regression losses (MSE, L1, smooth L1, Huber). Each is one op
//! with one derivative (`backward/loss.rs`), so a loss adds one node to the graph and its
//! backward reads only the saved inputs.
//!
//! These forwards trust their arguments: the public entry points (`nn::loss`) check labels,
//! shapes and options first and report problems as `LossError`s. Values are computed in f32
//! as PyTorch does per element; sums are accumulated in f64 (as exact as PyTorch's cascade
//! sums, and independent of the order).

use ndarray::{ArrayD, ArrayView1, Axis, IxDyn};

use crate::tensor::Tensor;
use crate::tensor::op::Op;

/// How a loss op reduces its per-element losses.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum LossReduction {
    /// No reduction: one loss per element (per sample for the class losses).
    None,
    /// The sum of the per-element losses divided by `divisor`: 1 for a sum; the element
    /// count or the total weight for a mean. A divisor of 0 (nothing counted) gives 0.
    Sum { divisor: f64 },
}

impl LossReduction {
    /// The output of the op from its per-element losses.
    fn reduce(self, losses: ArrayD<f32>) -> ArrayD<f32> {
        match self {
            LossReduction::None => losses,
            LossReduction::Sum { divisor } => {
                // From +0.0 as PyTorch: `Iterator::sum` starts at -0.0, so a sum over an
                // empty batch would be -0.0.
                let total = losses.iter().fold(0.0f64, |acc, &x| acc + f64::from(x));
                let value = if divisor == 0.0 { 0.0 } else { total / divisor };
                ArrayD::from_elem(IxDyn(&[]), value as f32)
            }
        }
    }

    /// The gradient of each per-element loss (of shape `shape`), given the output's `grad`.
    pub(crate) fn per_element(self, grad: ArrayD<f32>, shape: &[usize]) -> ArrayD<f32> {
        match self {
            LossReduction::None => grad,
            LossReduction::Sum { divisor } => {
                let g = grad.first().copied().unwrap_or(0.0);
                let scale = if divisor == 0.0 { 0.0 } else { 1.0 / divisor };
                ArrayD::from_elem(IxDyn(shape), (f64::from(g) * scale) as f32)
            }
        }
    }
}

/// The record of a class loss (cross-entropy or NLL): classes lie on axis 1 of the input,
/// one target per lane along that axis.
#[derive(Debug)]
pub(crate) struct ClassLoss {
    /// Each lane's class, lanes in row-major order of the other axes; `None` when ignored.
    pub(crate) targets: Vec<Option<usize>>,
    /// One weight per class, or `None` for all ones.
    pub(crate) weight: Option<Vec<f32>>,
    /// Cross-entropy only: ε of the target `(1 - ε)·onehot + ε/C`.
    pub(crate) label_smoothing: f32,
    pub(crate) reduction: LossReduction,
}

impl ClassLoss {
    /// The weight of class `c`.
    pub(crate) fn class_weight(&self, c: usize) -> f32 {
        self.weight.as_ref().map_or(1.0, |w| w[c])
    }

    /// The sum of the class weights (C without weights).
    pub(crate) fn weight_sum(&self, classes: usize) -> f32 {
        self.weight
            .as_ref()
            .map_or(classes as f32, |w| w.iter().sum())
    }

    /// The output shape without reduction: the input's without axis 1.
    fn lane_shape(input: &[usize]) -> Vec<usize> {
        let mut shape = input.to_vec();
        shape.remove(1);
        shape
    }
}

/// The record of binary cross-entropy on logits: weights along the last axis (length 1 or
/// the axis' length).
#[derive(Debug)]
pub(crate) struct BceLoss {
    pub(crate) weight: Option<Vec<f32>>,
    pub(crate) pos_weight: Option<Vec<f32>>,
    pub(crate) reduction: LossReduction,
}

/// Entry `i` (row-major) of a last-axis vector broadcast over a tensor whose last axis has
/// `last` entries.
pub(crate) fn along_last(v: &[f32], i: usize, last: usize) -> f32 {
    if v.len() == 1 { v[0] } else { v[i % last] }
}

/// A pointwise regression loss of `d = prediction - target`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum PointwiseLoss {
    /// `d²`.
    Mse,
    /// `|d|`.
    L1,
    /// `d²/(2β)` where `|d| < β`, else `|d| - β/2` (`|d|` for `β = 0`).
    SmoothL1 { beta: f32 },
    /// `d²/2` where `|d| ≤ δ`, else `δ(|d| - δ/2)`.
    Huber { delta: f32 },
}

impl PointwiseLoss {
    /// The loss of one difference, as PyTorch's kernels write it.
    fn value(self, d: f32) -> f32 {
        let z = d.abs();
        match self {
            PointwiseLoss::Mse => d * d,
            PointwiseLoss::L1 => z,
            // PyTorch runs `l1_loss` for β = 0.
            PointwiseLoss::SmoothL1 { beta: 0.0 } => z,
            PointwiseLoss::SmoothL1 { beta } if z < beta => 0.5 * z * z / beta,
            PointwiseLoss::SmoothL1 { beta } => z - 0.5 * beta,
            PointwiseLoss::Huber { delta } if z < delta => 0.5 * z * z,
            PointwiseLoss::Huber { delta } => delta * (z - 0.5 * delta),
        }
    }
}

impl Tensor {
    /// Cross-entropy of logits (classes on axis 1) against `loss.targets`, from the
    /// log-sum-exp of each lane with its maximum subtracted.
    pub(crate) fn cross_entropy_loss(&self, loss: ClassLoss) -> Tensor {
        let data = {
            let x = self.data();
            let classes = x.shape()[1];
            let eps = loss.label_smoothing;
            let values = x
                .lanes(Axis(1))
                .into_iter()
                .zip(&loss.targets)
                .map(|(lane, target)| {
                    let Some(t) = *target else { return 0.0 };
                    let (max, log_sum) = log_sum_exp(lane);
                    let neg_log_p = |c: usize| log_sum - (lane[c] - max);
                    let nll = loss.class_weight(t) * neg_log_p(t);
                    if eps == 0.0 {
                        return nll;
                    }
                    let smooth: f32 = (0..classes)
                        .map(|c| loss.class_weight(c) * neg_log_p(c))
                        .sum();
                    (1.0 - eps) * nll + smooth * (eps / classes as f32)
                })
                .collect();
            per_lane(values, x.shape())
        };
        let data = loss.reduction.reduce(data);
        Tensor::from_op(data, &[self], || Op::CrossEntropy(loss))
    }

    /// Negative log-likelihood of log-probabilities (classes on axis 1): `-w_t · x[t]` per
    /// lane.
    pub(crate) fn nll_loss(&self, loss: ClassLoss) -> Tensor {
        let data = {
            let x = self.data();
            let values = x
                .lanes(Axis(1))
                .into_iter()
                .zip(&loss.targets)
                .map(|(lane, target)| target.map_or(0.0, |t| -loss.class_weight(t) * lane[t]))
                .collect();
            per_lane(values, x.shape())
        };
        let data = loss.reduction.reduce(data);
        Tensor::from_op(data, &[self], || Op::Nll(loss))
    }

    /// Binary cross-entropy of logits against probabilities of the same shape:
    /// `(1 - y)·x - (1 + (p - 1)·y)·log σ(x)`, times the weight.
    pub(crate) fn bce_with_logits_loss(&self, target: &Tensor, loss: BceLoss) -> Tensor {
        let data = {
            let (x, y) = (self.data(), target.data());
            let last = x.shape().last().copied().unwrap_or(1);
            let values = x
                .iter()
                .zip(y.iter())
                .enumerate()
                .map(|(i, (&x, &y))| {
                    let mut log_sigmoid = x.min(0.0) - (-x.abs()).exp().ln_1p();
                    if let Some(p) = &loss.pos_weight {
                        log_sigmoid *= (along_last(p, i, last) - 1.0) * y + 1.0;
                    }
                    let value = (1.0 - y) * x - log_sigmoid;
                    loss.weight
                        .as_ref()
                        .map_or(value, |w| value * along_last(w, i, last))
                })
                .collect();
            from_row_major(values, x.shape())
        };
        let data = loss.reduction.reduce(data);
        Tensor::from_op(data, &[self, target], || Op::BceWithLogits(loss))
    }

    /// A pointwise regression loss of `self - target` (same shapes).
    pub(crate) fn pointwise_loss(
        &self,
        target: &Tensor,
        loss: PointwiseLoss,
        reduction: LossReduction,
    ) -> Tensor {
        let data = {
            let (x, y) = (self.data(), target.data());
            let values = x.iter().zip(y.iter()).map(|(&x, &y)| loss.value(x - y));
            from_row_major(values.collect(), x.shape())
        };
        let data = reduction.reduce(data);
        Tensor::from_op(data, &[self, target], || Op::Pointwise { loss, reduction })
    }
}

/// A lane's maximum `m` and `ln Σ e^(x - m)`: subtracting the maximum keeps every `e^x`
/// finite. They stay apart (`log p_c = (x_c - m) - ln Σ`, as PyTorch's `log_softmax`), since
/// `m + ln Σ` would round away the digits of `ln Σ` when `m` is large.
pub(crate) fn log_sum_exp(lane: ArrayView1<'_, f32>) -> (f32, f32) {
    let max = lane.fold(f32::NEG_INFINITY, |m, &x| m.max(x));
    (max, lane.fold(0.0, |s, &x| s + (x - max).exp()).ln())
}

/// Per-lane values (row-major over the input's axes other than 1) shaped as those axes.
fn per_lane(values: Vec<f32>, input: &[usize]) -> ArrayD<f32> {
    from_row_major(values, &ClassLoss::lane_shape(input))
}

/// Row-major `values` shaped `shape` (their counts agree by construction).
pub(crate) fn from_row_major(values: Vec<f32>, shape: &[usize]) -> ArrayD<f32> {
    ArrayD::from_shape_vec(IxDyn(shape), values)
        .expect("minitrainer internal error: loss values do not fill their shape")
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::arr1;

    #[test]
    fn log_sum_exp_keeps_the_maximum_apart_and_finite() {
        let (max, log_sum) = log_sum_exp(arr1(&[1000.0, 1000.0, -1000.0]).view());
        assert_eq!(max, 1000.0);
        assert!((log_sum - std::f32::consts::LN_2).abs() < 1e-7);
    }

    #[test]
    fn a_mean_over_nothing_is_zero_with_a_zero_gradient() {
        let nothing = LossReduction::Sum { divisor: 0.0 };
        let out = nothing.reduce(ArrayD::zeros(IxDyn(&[3])));
        assert_eq!(out.shape(), &[] as &[usize]);
        assert_eq!(out.first(), Some(&0.0));
        let grad = nothing.per_element(ArrayD::from_elem(IxDyn(&[]), 1.0), &[3]);
        assert_eq!(grad.iter().copied().collect::<Vec<_>>(), vec![0.0; 3]);
    }

    #[test]
    fn huber_is_smooth_l1_times_delta() {
        for d in [-3.0, -0.4, 0.0, 0.25, 0.5, 2.0] {
            let huber = PointwiseLoss::Huber { delta: 0.5 }.value(d);
            let smooth = PointwiseLoss::SmoothL1 { beta: 0.5 }.value(d);
            assert!((huber - 0.5 * smooth).abs() < 1e-7, "d = {d}");
        }
    }
}
