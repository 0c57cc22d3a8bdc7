//! The reverse pass: `backward()` orders the recorded graph topologically (iteratively, so deep
//! graphs cannot overflow the stack), then walks it from the output, turning each node's
//! output gradient into its inputs' gradients with one match arm per [`Op`].
//!
//! Gradients of intermediate tensors live only in this pass (a map from node id), summed in
//! place when a tensor feeds several ops; only leaves that require grad keep theirs, added to
//! what earlier `backward` calls left (PyTorch's accumulation, cleared by `zero_grad`).

use std::collections::{HashMap, HashSet};

use ndarray::{ArrayD, Axis, Slice, Zip};

use super::Tensor;
use super::broadcast::sum_to_shape;
use super::op::{Node, Op};
use super::ops::activation::{
    GELU_TANH_COEF, SQRT_2_OVER_PI, log_softmax_backward, normal_cdf, normal_pdf, sigmoid,
    softmax_backward,
};
use super::ops::index::{gather_backward, index_select_backward};
use super::ops::matmul::{matmul_backward, matmul_t_backward};
use super::ops::shape::reshaped;
use super::{TensorId, is_grad_enabled};

impl Tensor {
    /// Computes the gradient of this one-element tensor (a loss) with respect to every leaf
    /// that requires grad, and adds it to their [`Tensor::grad`].
    ///
    /// Gradients accumulate across calls until [`Tensor::zero_grad`]. The graph is kept, so
    /// calling `backward` twice adds the gradient twice.
    ///
    /// # Panics
    /// When this tensor has more than one element, or does not require grad (no leaf it
    /// depends on requires grad, or it was computed under [`no_grad`](super::no_grad)).
    pub fn backward(&self) {
        assert!(
            self.numel() == 1,
            "backward: can only start from a one-element tensor (a loss), got shape {:?}; \
             reduce it first, e.g. with `.sum()` or `.mean()`",
            self.shape()
        );
        assert!(
            self.requires_grad(),
            "backward: this tensor does not require grad: no input it was computed from requires \
             grad, or it was computed under `no_grad()` (grad enabled now: {})",
            is_grad_enabled()
        );
        let mut pending: HashMap<TensorId, ArrayD<f32>> = HashMap::new();
        pending.insert(self.id(), ArrayD::ones(self.shape()));
        for tensor in topological_order(self).iter().rev() {
            let Some(grad) = pending.remove(&tensor.id()) else {
                continue;
            };
            let Some(node) = tensor.node() else {
                tensor.accumulate_grad(grad);
                continue;
            };
            let input_grads = input_grads(node, tensor, grad);
            for (input, grad) in node.inputs.iter().zip(input_grads) {
                let Some(grad) = grad else { continue };
                debug_assert_eq!(
                    grad.shape(),
                    input.shape(),
                    "minitrainer internal error: {:?}",
                    node.op
                );
                match pending.get_mut(&input.id()) {
                    Some(sum) => *sum += &grad,
                    None => {
                        pending.insert(input.id(), grad);
                    }
                }
            }
        }
    }
}

/// Every tensor `root` depends on through tensors that require grad, each after its inputs.
fn topological_order(root: &Tensor) -> Vec<Tensor> {
    let mut order = Vec::new();
    let mut visited = HashSet::new();
    // (tensor, inputs already pushed): a tensor is emitted on its second visit, after its inputs.
    let mut stack = vec![(root.clone(), false)];
    while let Some((tensor, expanded)) = stack.pop() {
        if expanded {
            order.push(tensor);
            continue;
        }
        if !visited.insert(tensor.id()) {
            continue;
        }
        // Pushed before its inputs, so it pops (and is emitted) only after all of them.
        stack.push((tensor.clone(), true));
        if let Some(node) = tensor.node() {
            for input in &node.inputs {
                if input.requires_grad() && !visited.contains(&input.id()) {
                    stack.push((input.clone(), false));
                }
            }
        }
    }
    order
}

/// The gradients of `node`'s inputs, given the gradient `grad` of its output `out`; `None` for
/// inputs that do not require grad (nothing is computed for them).
fn input_grads(node: &Node, out: &Tensor, mut grad: ArrayD<f32>) -> Vec<Option<ArrayD<f32>>> {
    let inputs = &node.inputs;
    let needs = |i: usize| inputs[i].requires_grad();
    let a = || inputs[0].data();
    let shape = |i: usize| inputs[i].shape();
    match &node.op {
        // ---- arithmetic ---------------------------------------------------------------------
        Op::Add => {
            // d(a+b)/da = 1 ; d(a+b)/db = 1 (each summed over its broadcast axes)
            let (ga, gb) = split(grad, needs(0), needs(1));
            vec![
                ga.map(|g| sum_to_shape(g, shape(0))),
                gb.map(|g| sum_to_shape(g, shape(1))),
            ]
        }
        Op::Sub => {
            // d(a-b)/da = 1 ; d(a-b)/db = -1
            let (ga, gb) = split(grad, needs(0), needs(1));
            vec![
                ga.map(|g| sum_to_shape(g, shape(0))),
                gb.map(|g| -sum_to_shape(g, shape(1))),
            ]
        }
        Op::Mul => {
            // d(a·b)/da = b ; d(a·b)/db = a
            let (ga, gb) = split(grad, needs(0), needs(1));
            let ga = ga.map(|mut g| {
                g *= &*inputs[1].data();
                sum_to_shape(g, shape(0))
            });
            let gb = gb.map(|mut g| {
                g *= &*a();
                sum_to_shape(g, shape(1))
            });
            vec![ga, gb]
        }
        Op::Div => {
            // d(a/b)/da = 1/b ; d(a/b)/db = -a/b² = -(a/b)/b
            let (ga, gb) = split(grad, needs(0), needs(1));
            let b = inputs[1].data();
            let ga = ga.map(|mut g| {
                g /= &*b;
                sum_to_shape(g, shape(0))
            });
            let gb = gb.map(|mut g| {
                g *= &*out.data();
                g /= &*b;
                -sum_to_shape(g, shape(1))
            });
            vec![ga, gb]
        }
        // d(-a)/da = -1
        Op::Neg => vec![Some(-grad)],
        // d(a+c)/da = 1
        Op::AddScalar => vec![Some(grad)],
        // d(a·c)/da = c
        Op::MulScalar(c) => vec![Some(grad * *c)],
        Op::Powf(p) => {
            // d(aᵖ)/da = p·aᵖ⁻¹; for p = 0 that is 0 everywhere (also at a = 0, where the
            // formula gives 0·0⁻¹ = NaN), as in PyTorch.
            if *p == 0.0 {
                grad.fill(0.0);
            } else {
                Zip::from(&mut grad)
                    .and(&*a())
                    .for_each(|g, &x| *g *= p * x.powf(p - 1.0));
            }
            vec![Some(grad)]
        }
        Op::Exp => {
            // d(eᵃ)/da = eᵃ = out
            grad *= &*out.data();
            vec![Some(grad)]
        }
        Op::Log => {
            // d(ln a)/da = 1/a
            grad /= &*a();
            vec![Some(grad)]
        }
        Op::Sqrt => {
            // d(√a)/da = 1/(2√a) = 1/(2·out)
            grad /= &*out.data();
            grad *= 0.5;
            vec![Some(grad)]
        }
        Op::Abs => {
            // d|a|/da = sign(a), 0 at 0
            Zip::from(&mut grad).and(&*a()).for_each(|g, &x| {
                *g *= if x > 0.0 {
                    1.0
                } else if x < 0.0 {
                    -1.0
                } else {
                    0.0
                };
            });
            vec![Some(grad)]
        }
        Op::Clamp { min, max } => {
            // d clamp(a)/da = 1 where min <= a <= max, else 0
            Zip::from(&mut grad).and(&*a()).for_each(|g, &x| {
                if !(*min <= x && x <= *max) {
                    *g = 0.0;
                }
            });
            vec![Some(grad)]
        }

        // ---- matmul -------------------------------------------------------------------------
        Op::MatMul => {
            // d(a·b)/da = grad·bᵀ ; d(a·b)/db = aᵀ·grad (see `matmul_backward`)
            let (a, b) = (a(), inputs[1].data());
            let (ga, gb) = matmul_backward(a.view(), b.view(), &grad, needs(0), needs(1));
            vec![ga, gb]
        }
        Op::MatMulT => {
            // d(a·wᵀ)/da = grad·w ; d(a·wᵀ)/dw = gradᵀ·a (see `matmul_t_backward`)
            let (a, w) = (a(), inputs[1].data());
            let (ga, gw) = matmul_t_backward(a.view(), w.view(), &grad, needs(0), needs(1));
            vec![ga, gw]
        }

        // ---- shape --------------------------------------------------------------------------
        Op::Permute(perm) => {
            // permute is linear: the gradient is permuted back by the inverse permutation
            let mut inverse = vec![0; perm.len()];
            for (i, &p) in perm.iter().enumerate() {
                inverse[p] = i;
            }
            vec![Some(grad.permuted_axes(inverse))]
        }
        Op::Reshape => {
            // reshape is linear: the gradient is reshaped back (row-major)
            let back = if grad.is_standard_layout() {
                grad.into_shape_with_order(shape(0).to_vec()).ok()
            } else {
                reshaped(grad.view(), shape(0))
            };
            vec![Some(back.unwrap_or_else(|| {
                panic!(
                    "minitrainer internal error: reshape backward to {:?}",
                    shape(0)
                )
            }))]
        }
        Op::Cat { axis } => {
            // d cat(a, b, ..)/da = the slice of grad where a was placed
            let mut start = 0;
            inputs
                .iter()
                .map(|input| {
                    let len = input.shape()[*axis];
                    let slice = Slice::from(start..start + len);
                    start += len;
                    input
                        .requires_grad()
                        .then(|| grad.slice_axis(Axis(*axis), slice).to_owned())
                })
                .collect()
        }
        Op::Narrow { axis, start } => {
            // d narrow(a)/da = grad placed at start..start+len, zero elsewhere
            let mut full = ArrayD::zeros(shape(0));
            let len = grad.shape()[*axis];
            full.slice_axis_mut(Axis(*axis), Slice::from(*start..start + len))
                .assign(&grad);
            vec![Some(full)]
        }

        // ---- indexing -----------------------------------------------------------------------
        // d a[idx]/da = grad scattered (added) back to the selected positions
        Op::IndexSelect { axis, indices } => {
            vec![Some(index_select_backward(shape(0), *axis, indices, &grad))]
        }
        Op::Gather { axis, index } => vec![Some(gather_backward(shape(0), *axis, index, &grad))],

        // ---- reductions ---------------------------------------------------------------------
        // d Σa/da = 1 everywhere
        Op::Sum => vec![Some(ArrayD::from_elem(shape(0), grad.sum()))],
        // d mean(a)/da = 1/n everywhere
        Op::Mean => {
            let n = inputs[0].numel() as f32;
            vec![Some(ArrayD::from_elem(shape(0), grad.sum() / n))]
        }
        Op::Max => {
            // d max(a)/da = 1/k at each of the k elements equal to the max, 0 elsewhere
            // (PyTorch's even split among ties; a NaN max matches the NaNs)
            let max = out.data().iter().next().copied().unwrap_or(f32::NAN);
            let is_max = |x: f32| x == max || (max.is_nan() && x.is_nan());
            let input = a();
            let ties = input.iter().filter(|&&x| is_max(x)).count().max(1);
            let share = grad.sum() / ties as f32;
            vec![Some(input.mapv(|x| if is_max(x) { share } else { 0.0 }))]
        }
        Op::SumAxis { axis, keepdim } => {
            // d Σ_axis a/da = 1: grad broadcast back along the axis
            vec![Some(spread(grad, shape(0), *axis, *keepdim))]
        }
        Op::MeanAxis { axis, keepdim } => {
            // d mean_axis(a)/da = 1/n along the axis
            let n = shape(0)[*axis] as f32;
            vec![Some(spread(grad / n, shape(0), *axis, *keepdim))]
        }
        Op::MaxAxis {
            axis,
            keepdim,
            argmax,
        } => {
            // d max_axis(a)/da = 1 at each lane's (first) argmax, 0 elsewhere
            let grad = if *keepdim {
                grad.index_axis_move(Axis(*axis), 0)
            } else {
                grad
            };
            let mut full = ArrayD::zeros(shape(0));
            Zip::from(full.lanes_mut(Axis(*axis)))
                .and(argmax)
                .and(&grad)
                .for_each(|mut lane, &k, &g| lane[k] += g);
            vec![Some(full)]
        }

        // ---- activations --------------------------------------------------------------------
        Op::Relu => {
            // d relu(a)/da = 1 where a > 0, else 0
            Zip::from(&mut grad).and(&*a()).for_each(|g, &x| {
                if x <= 0.0 {
                    *g = 0.0;
                }
            });
            vec![Some(grad)]
        }
        Op::Gelu => {
            // d(a·Φ(a))/da = Φ(a) + a·φ(a)
            Zip::from(&mut grad)
                .and(&*a())
                .for_each(|g, &x| *g *= normal_cdf(x) + x * normal_pdf(x));
            vec![Some(grad)]
        }
        Op::GeluTanh => {
            // with u = √(2/π)(a + k·a³), t = tanh u:
            // d(a/2·(1+t))/da = (1+t)/2 + a/2·(1-t²)·√(2/π)(1 + 3k·a²)
            Zip::from(&mut grad).and(&*a()).for_each(|g, &x| {
                let t = (SQRT_2_OVER_PI * (x + GELU_TANH_COEF * x * x * x)).tanh();
                let du = SQRT_2_OVER_PI * (1.0 + 3.0 * GELU_TANH_COEF * x * x);
                *g *= 0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * du;
            });
            vec![Some(grad)]
        }
        Op::Sigmoid => {
            // dσ(a)/da = σ(a)(1 - σ(a)) = out(1 - out)
            Zip::from(&mut grad)
                .and(&*out.data())
                .for_each(|g, &y| *g *= y * (1.0 - y));
            vec![Some(grad)]
        }
        Op::Tanh => {
            // d tanh(a)/da = 1 - tanh²(a) = 1 - out²
            Zip::from(&mut grad)
                .and(&*out.data())
                .for_each(|g, &y| *g *= 1.0 - y * y);
            vec![Some(grad)]
        }
        Op::Silu => {
            // d(a·σ(a))/da = σ(a)(1 + a(1 - σ(a)))
            Zip::from(&mut grad).and(&*a()).for_each(|g, &x| {
                let s = sigmoid(x);
                *g *= s * (1.0 + x * (1.0 - s));
            });
            vec![Some(grad)]
        }
        Op::Softmax { axis } => {
            // dy_i/da_j = y_i(δ_ij - y_j)  ⇒  da_j = y_j (g_j - Σ_i g_i y_i)
            softmax_backward(&mut grad, &out.data(), *axis);
            vec![Some(grad)]
        }
        Op::LogSoftmax { axis } => {
            // dy_i/da_j = δ_ij - softmax_j  ⇒  da_j = g_j - e^(y_j) Σ_i g_i
            log_softmax_backward(&mut grad, &out.data(), *axis);
            vec![Some(grad)]
        }
    }
}

/// `grad` of a binary op's output, handed to the inputs that need it: copied only when both do.
fn split(
    grad: ArrayD<f32>,
    need_a: bool,
    need_b: bool,
) -> (Option<ArrayD<f32>>, Option<ArrayD<f32>>) {
    match (need_a, need_b) {
        (true, true) => (Some(grad.clone()), Some(grad)),
        (true, false) => (Some(grad), None),
        (false, true) => (None, Some(grad)),
        (false, false) => (None, None),
    }
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
