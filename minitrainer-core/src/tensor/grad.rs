//! The gradient side of a tensor: reading the accumulated gradient (copied, or borrowed for
//! the length of a closure), clearing it, and the optimizer's in-place update that reads it.
//!
//! Clearing keeps the buffer as a spare: the next `backward` writes the new gradient into it
//! (a weight's GEMM output) instead of allocating and zero-filling one per step.
//!
//! Locks: the value and the gradient sit behind separate `RwLock`s. Only
//! [`Tensor::update_with_grad`] holds both, always value first, then gradient; `backward`
//! never holds a value lock while taking a gradient lock, so the two cannot deadlock.

use ndarray::ArrayD;

use super::{Tensor, read, write};

/// A tensor's gradient, and the buffer of a cleared one kept for the next `backward`.
#[derive(Default)]
pub(super) struct GradSlot {
    grad: Option<ArrayD<f32>>,
    spare: Option<ArrayD<f32>>,
}

impl Tensor {
    /// A copy of the accumulated gradient, if `backward` has reached this tensor.
    ///
    /// Only leaves (tensors made by the user, e.g. parameters) that require grad keep a
    /// gradient; results of ops pass theirs on during `backward` and keep none. To read it
    /// without the copy (an optimizer, every parameter, every step), use
    /// [`Tensor::with_grad`] or [`Tensor::update_with_grad`].
    pub fn grad(&self) -> Option<ArrayD<f32>> {
        read(&self.inner.grad).grad.clone()
    }

    /// Calls `f` with the accumulated gradient, borrowed rather than copied (`None` when
    /// `backward` has not reached this tensor since the last [`Tensor::zero_grad`]), and
    /// returns what `f` returns.
    ///
    /// The gradient stays read-locked while `f` runs. `f` may read and update this tensor's
    /// value ([`Tensor::update_data`]), but must not touch its gradient again: a `backward`
    /// pass or [`Tensor::zero_grad`] reaching this tensor would wait for `f` forever, and a
    /// nested read ([`Tensor::grad`], `with_grad`) may deadlock too (std's `RwLock` is not
    /// reentrant). On other threads those simply wait until `f` returns.
    ///
    /// # Examples
    /// ```
    /// use minitrainer_core::Tensor;
    /// let w = Tensor::from_vec(vec![1.0, -2.0], &[2])?;
    /// w.set_requires_grad(true);
    /// assert!(w.with_grad(|g| g.is_none()));
    /// w.mul(&w).sum().backward(); // d Σw²/dw = 2w = [2, -4]
    /// // The squared gradient norm (gradient clipping needs it), without copying the gradient.
    /// let squares: Option<f32> = w.with_grad(|g| g.map(|g| g.iter().map(|x| x * x).sum()));
    /// assert_eq!(squares, Some(4.0 + 16.0));
    /// # Ok::<(), minitrainer_core::Error>(())
    /// ```
    pub fn with_grad<R>(&self, f: impl FnOnce(Option<&ArrayD<f32>>) -> R) -> R {
        f(read(&self.inner.grad).grad.as_ref())
    }

    /// Rewrites the accumulated gradient in place (gradient clipping), if there is one;
    /// returns whether there was.
    ///
    /// Not recorded by autograd. The gradient stays write-locked while `f` runs: `f` must not
    /// touch this tensor's gradient through the tensor (that deadlocks), and a `backward` pass
    /// reaching this tensor on another thread waits for it.
    ///
    /// # Panics
    /// When `f` changes the shape of the gradient.
    ///
    /// # Examples
    /// ```
    /// use minitrainer_core::Tensor;
    /// let w = Tensor::from_vec(vec![1.0, -2.0], &[2])?;
    /// w.set_requires_grad(true);
    /// w.mul(&w).sum().backward(); // grad = 2w = [2, -4]
    /// assert!(w.update_grad(|g| g.mapv_inplace(|x| x.clamp(-3.0, 3.0))));
    /// assert_eq!(w.grad().unwrap().into_raw_vec_and_offset().0, vec![2.0, -3.0]);
    /// # Ok::<(), minitrainer_core::Error>(())
    /// ```
    pub fn update_grad(&self, f: impl FnOnce(&mut ArrayD<f32>)) -> bool {
        let mut slot = write(&self.inner.grad);
        let Some(grad) = slot.grad.as_mut() else {
            return false;
        };
        let shape = grad.shape().to_vec();
        f(grad);
        assert!(
            grad.shape() == shape.as_slice(),
            "update_grad: the update changed the shape from {shape:?} to {:?}",
            grad.shape()
        );
        true
    }

    /// Clears the accumulated gradient: [`Tensor::grad`] is `None` until the next `backward`
    /// reaches this tensor (PyTorch's `zero_grad(set_to_none=True)`).
    ///
    /// The cleared buffer is kept and reused by the next `backward` for the new gradient, so
    /// a training loop allocates no gradient buffers after its first step; the memory is the
    /// gradient's, held as if it had not been cleared.
    pub fn zero_grad(&self) {
        let mut slot = write(&self.inner.grad);
        if let Some(grad) = slot.grad.take() {
            slot.spare = Some(grad);
        }
    }

    /// Updates the value in place from the accumulated gradient, without copying either: the
    /// optimizer step. `f` gets the value, writable, and the gradient (`None` when `backward`
    /// has not reached this tensor since the last [`Tensor::zero_grad`]).
    ///
    /// Not recorded by autograd, like [`Tensor::update_data`]. Lock order: the value is
    /// write-locked first, then the gradient read-locked, both until `f` returns. So:
    /// - don't call it while a `backward` pass runs on a graph containing this tensor (on
    ///   another thread it waits for or races that pass; the step would see half a gradient);
    /// - in `f`, don't read this tensor's value through the tensor ([`Tensor::data`],
    ///   [`Tensor::to_vec`], an op on it) or update it again: the value lock is held, so that
    ///   deadlocks. Use the `&mut` value `f` is given.
    ///
    /// # Panics
    /// When `f` changes the shape of the value.
    ///
    /// # Examples
    /// ```
    /// use minitrainer_core::Tensor;
    /// let w = Tensor::from_vec(vec![1.0, -2.0], &[2])?;
    /// w.set_requires_grad(true);
    /// w.mul(&w).sum().backward(); // grad = 2w = [2, -4]
    /// let lr = 0.25;
    /// // SGD: w ← w - lr·grad
    /// w.update_with_grad(|value, grad| {
    ///     if let Some(grad) = grad {
    ///         value.scaled_add(-lr, grad);
    ///     }
    /// });
    /// assert_eq!(w.to_vec(), vec![0.5, -1.0]);
    /// # Ok::<(), minitrainer_core::Error>(())
    /// ```
    pub fn update_with_grad(&self, f: impl FnOnce(&mut ArrayD<f32>, Option<&ArrayD<f32>>)) {
        let mut value = write(&self.inner.data);
        let grad = read(&self.inner.grad);
        f(&mut value, grad.grad.as_ref());
        assert!(
            value.shape() == self.shape(),
            "update_with_grad: the update changed the shape from {:?} to {:?}",
            self.shape(),
            value.shape()
        );
    }

    /// Adds `grad` into the stored gradient (the first call stores it without copying).
    pub(crate) fn accumulate_grad(&self, grad: ArrayD<f32>) {
        let mut slot = write(&self.inner.grad);
        match slot.grad.as_mut() {
            Some(existing) => *existing += &grad,
            None => {
                // At most one buffer per leaf: a spare left unused (the gradient came from an
                // op that allocates its own) is freed.
                slot.grad = Some(grad);
                slot.spare = None;
            }
        }
    }

    /// The buffer of this leaf's cleared gradient, to write its next gradient into, when it
    /// has no gradient now and the buffer is row-major of `shape`. Its values are stale: the
    /// caller overwrites every element. Take it before reading any tensor's value (the lock
    /// order of this module: never a gradient lock while a value lock is held).
    pub(crate) fn take_spare_grad(&self, shape: &[usize]) -> Option<ArrayD<f32>> {
        if !self.is_leaf() {
            return None;
        }
        let mut slot = write(&self.inner.grad);
        if slot.grad.is_some() {
            return None;
        }
        slot.spare
            .take()
            .filter(|spare| spare.shape() == shape && spare.is_standard_layout())
    }
}
