//! The n-dimensional `f32` tensor with reverse-mode automatic differentiation.
//!
//! A [`Tensor`] is a cheap, shared handle (an `Arc`) to a node of the autograd graph: its value
//! (an `ndarray::ArrayD<f32>`), its gradient, and the op that produced it. Ops record themselves
//! unless grad mode is off; `backward()` walks the recorded graph.
//!
//! Layout: this file holds the handle, constructors and value accessors; `grad.rs` the
//! gradient accessors (and the optimizer's in-place update); `op.rs` the tape records; `ops/`
//! the forward ops by family; `backward/` the reverse pass (one derivative per op, in the file
//! of its family); `broadcast.rs` the NumPy broadcasting rules; `grad_mode.rs` the `no_grad`
//! guard; `indices.rs` the index inputs of `gather` and `index_select`; `random.rs` seeded
//! random creation; `recycle.rs` the large buffers kept from one step to the next.

mod alloc;
mod backward;
mod broadcast;
mod error;
mod gemm;
mod grad;
mod grad_mode;
mod indices;
mod op;
mod ops;
mod random;
mod recycle;

pub(crate) use alloc::try_filled;
pub use error::TensorError;
pub use grad_mode::{GradModeGuard, enable_grad, is_grad_enabled, no_grad};
pub use indices::{IntoIndices, NotALabel};
pub use random::seeded_rng;
pub use recycle::empty_cache;

// The fused losses' records, built by `nn::loss` once it has checked labels and options.
pub(crate) use ops::loss::{BceLoss, ClassLoss, LossReduction, PointwiseLoss};

use ndarray::{ArrayD, IxDyn};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock, RwLockReadGuard};

use op::{Node, Op};

/// Identity of a tensor node, stable across clones of the handle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TensorId(u64);

impl TensorId {
    fn fresh() -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        TensorId(NEXT.fetch_add(1, Ordering::Relaxed))
    }
}

/// An n-dimensional `f32` tensor that can record the ops applied to it for [`Tensor::backward`].
///
/// Cloning is cheap and shares the node (value and gradient), like a PyTorch tensor reference.
#[derive(Clone)]
pub struct Tensor {
    inner: Arc<Inner>,
}

struct Inner {
    id: TensorId,
    // The shape never changes after creation; keeping it outside the lock lets `shape()` borrow.
    shape: Vec<usize>,
    data: RwLock<ArrayD<f32>>,
    grad: RwLock<grad::GradSlot>,
    requires_grad: AtomicBool,
    // `None` for leaves (created by the user, not by an op).
    node: Option<Node>,
}

// Lock poisoning only means another thread panicked while holding the lock; the array itself
// is still a valid array, so recover the guard instead of propagating the panic.
fn read<T>(lock: &RwLock<T>) -> RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn write<T>(lock: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    lock.write()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Tensor {
    /// The result of an op: records `op` (built lazily) and its `inputs` when grad mode is on
    /// and any input requires grad; otherwise a plain leaf, so inference builds no graph.
    pub(crate) fn from_op(data: ArrayD<f32>, inputs: &[&Tensor], op: impl FnOnce() -> Op) -> Self {
        let track = is_grad_enabled() && inputs.iter().any(|t| t.requires_grad());
        if !track {
            return Self::from_parts(data, false, None);
        }
        let node = Node {
            op: op(),
            inputs: inputs.iter().map(|&t| t.clone()).collect(),
        };
        Self::from_parts(data, true, Some(node))
    }

    /// The recorded op and inputs of a non-leaf tensor.
    pub(crate) fn node(&self) -> Option<&Node> {
        self.inner.node.as_ref()
    }

    /// A new leaf with a copy of this value that no gradient flows through.
    ///
    /// It does not require grad; call [`Tensor::set_requires_grad`] to make it a new parameter.
    /// The value is copied (not shared), so later in-place updates of either tensor do not
    /// affect the other.
    pub fn detach(&self) -> Tensor {
        Self::from_parts(self.to_array(), false, None)
    }

    fn from_parts(data: ArrayD<f32>, requires_grad: bool, node: Option<Node>) -> Self {
        Tensor {
            inner: Arc::new(Inner {
                id: TensorId::fresh(),
                shape: data.shape().to_vec(),
                data: RwLock::new(data),
                grad: RwLock::new(grad::GradSlot::default()),
                requires_grad: AtomicBool::new(requires_grad),
                node,
            }),
        }
    }

    /// A leaf tensor holding `array` (no gradient recorded until [`Tensor::set_requires_grad`]).
    pub fn from_array<D: ndarray::Dimension>(array: ndarray::Array<f32, D>) -> Self {
        Self::from_parts(array.into_dyn(), false, None)
    }

    /// A leaf tensor of the given shape from row-major `data`.
    ///
    /// # Errors
    /// [`TensorError::LengthMismatch`] when `data.len()` is not the product of `shape`.
    ///
    /// # Examples
    /// ```
    /// use minitrainer_core::Tensor;
    /// let t = Tensor::from_vec(vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0], &[2, 3])?;
    /// assert_eq!(t.shape(), &[2, 3]);
    /// assert!(Tensor::from_vec(vec![1.0; 5], &[2, 3]).is_err());
    /// # Ok::<(), minitrainer_core::Error>(())
    /// ```
    pub fn from_vec(data: Vec<f32>, shape: &[usize]) -> Result<Self, TensorError> {
        let len = data.len();
        let array = ArrayD::from_shape_vec(shape.to_vec(), data).map_err(|_| {
            TensorError::LengthMismatch {
                len,
                shape: shape.to_vec(),
            }
        })?;
        Ok(Self::from_array(array))
    }

    /// A tensor of zeros.
    ///
    /// # Panics
    /// When the shape has more elements than can be allocated: the product of its non-zero
    /// lengths overflows, or times 4 bytes exceeds `isize::MAX`
    /// ([`check_tensor_size`](crate::config::check_tensor_size) checks a shape beforehand).
    pub fn zeros(shape: &[usize]) -> Self {
        Self::from_array(ArrayD::zeros(shape.to_vec()))
    }

    /// A tensor of ones.
    ///
    /// # Panics
    /// When the shape has more elements than can be allocated: the product of its non-zero
    /// lengths overflows, or times 4 bytes exceeds `isize::MAX`
    /// ([`check_tensor_size`](crate::config::check_tensor_size) checks a shape beforehand).
    pub fn ones(shape: &[usize]) -> Self {
        Self::full(shape, 1.0)
    }

    /// A tensor filled with `value`.
    ///
    /// # Panics
    /// When the shape has more elements than can be allocated: the product of its non-zero
    /// lengths overflows, or times 4 bytes exceeds `isize::MAX`
    /// ([`check_tensor_size`](crate::config::check_tensor_size) checks a shape beforehand).
    pub fn full(shape: &[usize], value: f32) -> Self {
        Self::from_array(ArrayD::from_elem(shape.to_vec(), value))
    }

    /// A 0-dimensional tensor holding `value`.
    pub fn scalar(value: f32) -> Self {
        Self::from_array(ndarray::arr0(value))
    }

    /// The node's identity (shared by clones of this handle).
    pub fn id(&self) -> TensorId {
        self.inner.id
    }

    /// The shape, outermost axis first.
    pub fn shape(&self) -> &[usize] {
        &self.inner.shape
    }

    /// Number of axes.
    pub fn ndim(&self) -> usize {
        self.inner.shape.len()
    }

    /// Number of elements.
    #[inline]
    pub fn numel(&self) -> usize {
        self.inner.shape.iter().product()
    }

    /// Read access to the value, without copying.
    ///
    /// Drop the guard before changing this tensor's value ([`Tensor::update_data`],
    /// [`Tensor::set_data`]) on the same thread: the write waits for all readers.
    pub fn data(&self) -> RwLockReadGuard<'_, ArrayD<f32>> {
        read(&self.inner.data)
    }

    /// A copy of the value as an `ndarray` array.
    pub fn to_array(&self) -> ArrayD<f32> {
        self.data().clone()
    }

    /// A copy of the value in row-major order.
    pub fn to_vec(&self) -> Vec<f32> {
        self.data().iter().copied().collect()
    }

    /// The value of a one-element tensor.
    ///
    /// # Panics
    /// When the tensor does not hold exactly one element.
    pub fn item(&self) -> f32 {
        let data = self.data();
        assert!(
            data.len() == 1,
            "item: expected a tensor with one element, got shape {:?}",
            self.shape()
        );
        data.iter().next().copied().unwrap_or_default()
    }

    /// Whether gradients flow to (leaves) or through (op results) this tensor.
    pub fn requires_grad(&self) -> bool {
        self.inner.requires_grad.load(Ordering::Relaxed)
    }

    /// Turns gradient tracking for this tensor on or off (freezing a parameter turns it off).
    pub fn set_requires_grad(&self, requires_grad: bool) -> &Self {
        self.inner
            .requires_grad
            .store(requires_grad, Ordering::Relaxed);
        self
    }

    /// Whether this tensor was created by the user rather than by an op.
    pub fn is_leaf(&self) -> bool {
        self.inner.node.is_none()
    }

    /// Mutates the value in place (optimizer steps, initialisation, loading weights).
    ///
    /// Not recorded by autograd. Run it between steps, not between a forward pass and its
    /// `backward`, as with PyTorch's in-place updates under `no_grad`.
    ///
    /// # Panics
    /// When `update` changes the shape.
    pub fn update_data(&self, update: impl FnOnce(&mut ArrayD<f32>)) {
        let mut data = write(&self.inner.data);
        update(&mut data);
        assert!(
            data.shape() == self.shape(),
            "update_data: the update changed the shape from {:?} to {:?}",
            self.shape(),
            data.shape()
        );
    }

    /// Replaces the value with `value`, which must have the same shape.
    ///
    /// # Errors
    /// [`TensorError::ShapeMismatch`] when the shapes differ; the value is left unchanged.
    pub fn set_data(&self, value: ArrayD<f32>) -> Result<(), TensorError> {
        if value.shape() != self.shape() {
            return Err(TensorError::ShapeMismatch {
                expected: self.shape().to_vec(),
                actual: value.shape().to_vec(),
            });
        }
        *write(&self.inner.data) = value;
        Ok(())
    }
}

// Dropping the last handle of a long chain would otherwise drop node after node recursively
// and could overflow the stack (a 100k-op graph); unlink the inputs iteratively instead. A
// large value goes back for the next op output of its length (`recycle.rs`).
impl Drop for Inner {
    fn drop(&mut self) {
        let data = self
            .data
            .get_mut()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if data.len() >= recycle::MIN_LEN {
            recycle::give_back(std::mem::replace(data, ArrayD::zeros(IxDyn(&[0]))));
        }
        let Some(node) = self.node.take() else {
            return;
        };
        let mut pending = node.inputs;
        while let Some(tensor) = pending.pop() {
            if let Some(mut inner) = Arc::into_inner(tensor.inner)
                && let Some(node) = inner.node.take()
            {
                pending.extend(node.inputs);
            }
        }
    }
}

impl std::fmt::Debug for Tensor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tensor")
            .field("shape", &self.shape())
            .field("requires_grad", &self.requires_grad())
            .field("data", &*self.data())
            .finish()
    }
}
