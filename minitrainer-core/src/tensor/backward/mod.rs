//! The reverse pass: `backward()` orders the recorded graph topologically (iteratively, so deep
//! graphs cannot overflow the stack), then walks it from the output, turning each node's
//! output gradient into its inputs' gradients.
//!
//! The derivatives live one file per op family, mirroring `ops/`: `arithmetic`, `matmul`,
//! `shape`, `index`, `reduce`, `activation`, `loss`. Each op has one function there whose first
//! comment line is its derivative, with its helpers beside it; [`input_grads`] maps every
//! [`Op`] to its function, so a new variant does not compile until its derivative exists.
//!
//! Gradients of intermediate tensors live only in this pass (a map from node id), summed in
//! place when a tensor feeds several ops; only leaves that require grad keep theirs, added to
//! what earlier `backward` calls left (PyTorch's accumulation, cleared by `zero_grad`).

mod activation;
mod arithmetic;
mod index;
mod loss;
mod matmul;
mod reduce;
mod shape;

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::RwLockReadGuard;

use ndarray::ArrayD;

use super::Tensor;
use super::op::{Node, Op};
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
        let mut pending: IdMap<ArrayD<f32>> = IdMap::default();
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
    let mut visited: HashSet<TensorId, IdHash> = HashSet::default();
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

/// Hashes a [`TensorId`] with one multiplication (Fibonacci hashing). The ids are a counter
/// this process hands out, so SipHash's resistance to chosen keys buys nothing, while its cost
/// is most of the bookkeeping of a small graph's backward pass.
#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        // Not reached for `TensorId` (it hashes one `u64`); correct for anything else.
        for &byte in bytes {
            self.write_u64(self.0.rotate_left(8) ^ u64::from(byte));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type IdHash = BuildHasherDefault<IdHasher>;
type IdMap<V> = HashMap<TensorId, V, IdHash>;

/// The gradients of an op's inputs, in input order; `None` for an input that does not require
/// grad (nothing is computed for it).
type Grads = Vec<Option<ArrayD<f32>>>;

/// What a derivative reads besides its output gradient: the op's inputs and its output.
struct Step<'a> {
    inputs: &'a [Tensor],
    out: &'a Tensor,
}

impl Step<'_> {
    /// Whether input `i` requires grad (its gradient is wanted).
    fn needs(&self, i: usize) -> bool {
        self.inputs[i].requires_grad()
    }

    /// The shape of input `i`.
    fn shape(&self, i: usize) -> &[usize] {
        self.inputs[i].shape()
    }

    /// The value of input `i`.
    fn input(&self, i: usize) -> RwLockReadGuard<'_, ArrayD<f32>> {
        self.inputs[i].data()
    }

    /// The value of the op's output.
    fn out(&self) -> RwLockReadGuard<'_, ArrayD<f32>> {
        self.out.data()
    }
}

/// `derivative(&grad)`, then `grad`'s buffer goes back for reuse (`tensor/recycle.rs`).
fn recycled(grad: ArrayD<f32>, derivative: impl FnOnce(&ArrayD<f32>) -> Grads) -> Grads {
    let grads = derivative(&grad);
    super::recycle::give_back(grad);
    grads
}

/// The gradients of `node`'s inputs, given the gradient `grad` of its output `out`: one
/// derivative function per [`Op`], by family.
fn input_grads(node: &Node, out: &Tensor, grad: ArrayD<f32>) -> Grads {
    let s = &Step {
        inputs: &node.inputs,
        out,
    };
    match &node.op {
        Op::Add => arithmetic::add(s, grad),
        Op::Sub => arithmetic::sub(s, grad),
        Op::Mul => arithmetic::mul(s, grad),
        Op::Div => arithmetic::div(s, grad),
        Op::Neg => arithmetic::neg(grad),
        Op::AddScalar => arithmetic::add_scalar(grad),
        Op::MulScalar(c) => arithmetic::mul_scalar(grad, *c),
        Op::Powf(p) => arithmetic::powf(s, grad, *p),
        Op::Exp => arithmetic::exp(s, grad),
        Op::Log => arithmetic::log(s, grad),
        Op::Sqrt => arithmetic::sqrt(s, grad),
        Op::Abs => arithmetic::abs(s, grad),
        Op::Clamp { min, max } => arithmetic::clamp(s, grad, *min, *max),
        // The products' output gradients are often large and die here: kept for reuse.
        Op::MatMul => recycled(grad, |grad| matmul::matmul(s, grad)),
        Op::MatMulT => recycled(grad, |grad| matmul::matmul_t(s, grad)),
        Op::Linear => recycled(grad, |grad| matmul::linear(s, grad)),
        Op::Permute(perm) => shape::permute(grad, perm),
        Op::Reshape => shape::reshape(s, grad),
        Op::Cat { axis } => shape::cat(s, &grad, *axis),
        Op::Narrow { axis, start } => shape::narrow(s, &grad, *axis, *start),
        Op::IndexSelect { axis, indices } => index::index_select(s, &grad, *axis, indices),
        Op::Gather { axis, index } => index::gather(s, &grad, *axis, index),
        Op::Sum => reduce::sum(s, &grad),
        Op::Mean => reduce::mean(s, &grad),
        Op::Max => reduce::max(s, &grad),
        Op::SumAxis { axis, keepdim } => reduce::sum_axis(s, grad, *axis, *keepdim),
        Op::MeanAxis { axis, keepdim } => reduce::mean_axis(s, grad, *axis, *keepdim),
        Op::MaxAxis {
            axis,
            keepdim,
            argmax,
        } => reduce::max_axis(s, grad, *axis, *keepdim, argmax),
        Op::Relu => activation::relu(s, grad),
        Op::Gelu => activation::gelu(s, grad),
        Op::GeluTanh => activation::gelu_tanh(s, grad),
        Op::Sigmoid => activation::sigmoid(s, grad),
        Op::Tanh => activation::tanh(s, grad),
        Op::Silu => activation::silu(s, grad),
        Op::Softmax { axis } => activation::softmax(s, grad, *axis),
        Op::LogSoftmax { axis } => activation::log_softmax(s, grad, *axis),
        Op::CrossEntropy(record) => loss::cross_entropy(s, grad, record),
        Op::Nll(record) => loss::nll(s, grad, record),
        Op::BceWithLogits(record) => loss::bce_with_logits(s, grad, record),
        Op::Pointwise {
            loss: kind,
            reduction,
        } => loss::pointwise(s, grad, *kind, *reduction),
    }
}
