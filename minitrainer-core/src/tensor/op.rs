//! The autograd tape's records: which op produced a tensor, from which inputs.
//!
//! A record keeps only what the derivative needs beyond the input and output values (which
//! the reverse pass reads from the tensors themselves): axes, indices, constants. Each variant
//! has exactly one derivative function in `backward/` (in the file of its family).

use ndarray::ArrayD;

use super::Tensor;
use super::ops::loss::{BceLoss, ClassLoss, LossReduction, PointwiseLoss};

/// How a non-leaf tensor was computed: the op and the tensors it read.
pub(crate) struct Node {
    pub(crate) op: Op,
    pub(crate) inputs: Vec<Tensor>,
}

/// One recorded op. Inputs are `Node::inputs`, in the order the op's docs list them.
#[derive(Debug)]
pub(crate) enum Op {
    // ---- arithmetic (inputs: [a, b] or [a]) -------------------------------------------------
    /// `a + b`, broadcast.
    Add,
    /// `a - b`, broadcast.
    Sub,
    /// `a * b`, broadcast.
    Mul,
    /// `a / b`, broadcast.
    Div,
    /// `-a`.
    Neg,
    /// `a + c` for a constant `c`.
    AddScalar,
    /// `a * c` for a constant `c`.
    MulScalar(f32),
    /// `a ^ p` for a constant `p`.
    Powf(f32),
    /// `e ^ a`.
    Exp,
    /// `ln a`.
    Log,
    /// `√a`.
    Sqrt,
    /// `|a|`.
    Abs,
    /// `min(max(a, min), max)`.
    Clamp { min: f32, max: f32 },

    // ---- matmul (inputs: [a, b]) ------------------------------------------------------------
    /// Matrix product over the last two axes, batch axes broadcast.
    MatMul,
    /// `a · wᵀ` for a matrix `w`, read in place.
    MatMulT,
    /// `a · wᵀ + b` (inputs `[a, w, b]`, or `[a, w]` without bias): `F.linear`.
    Linear,

    // ---- shape (inputs: [a], or all concatenated tensors) -----------------------------------
    /// Axes permuted: output axis `i` is input axis `perm[i]`.
    Permute(Vec<usize>),
    /// Same elements in row-major order, new shape.
    Reshape,
    /// Inputs concatenated along `axis`.
    Cat { axis: usize },
    /// `len` entries of `axis` from `start`.
    Narrow { axis: usize, start: usize },

    // ---- indexing (inputs: [a]) -------------------------------------------------------------
    /// Entries `indices` of `axis`, in that order (repeats allowed).
    IndexSelect { axis: usize, indices: Vec<usize> },
    /// `out[.., i, ..] = a[.., index[.., i, ..], ..]` along `axis` (torch.gather).
    Gather { axis: usize, index: ArrayD<usize> },

    // ---- reductions (inputs: [a]) -----------------------------------------------------------
    /// Sum of all elements.
    Sum,
    /// Mean of all elements.
    Mean,
    /// Largest element (the gradient is split evenly among ties).
    Max,
    /// Sum along `axis`.
    SumAxis { axis: usize, keepdim: bool },
    /// Mean along `axis`.
    MeanAxis { axis: usize, keepdim: bool },
    /// Largest entry along `axis`; `argmax` holds its position along `axis` (first on ties),
    /// shaped like the output without `keepdim` (backward relies on it).
    MaxAxis {
        axis: usize,
        keepdim: bool,
        argmax: ArrayD<usize>,
    },

    // ---- activations (inputs: [a]) ----------------------------------------------------------
    /// `max(a, 0)`.
    Relu,
    /// `a Φ(a)` with the exact normal CDF.
    Gelu,
    /// GELU with the tanh approximation.
    GeluTanh,
    /// `1 / (1 + e^-a)`.
    Sigmoid,
    /// `tanh a`.
    Tanh,
    /// `a σ(a)`.
    Silu,
    /// Softmax along `axis`.
    Softmax { axis: usize },
    /// Log-softmax along `axis`.
    LogSoftmax { axis: usize },

    // ---- losses (inputs: [logits] or [prediction, target]) ----------------------------------
    /// Cross-entropy of logits (classes on axis 1) against class labels, fused.
    CrossEntropy(ClassLoss),
    /// Negative log-likelihood of log-probabilities (classes on axis 1) against class labels.
    Nll(ClassLoss),
    /// Binary cross-entropy of logits against probabilities.
    BceWithLogits(BceLoss),
    /// A pointwise regression loss of `prediction - target`.
    Pointwise {
        loss: PointwiseLoss,
        reduction: LossReduction,
    },
}
