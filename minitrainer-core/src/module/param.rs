//! `Param` (a trainable leaf tensor) and `Buffer` (non-trainable state such as running statistics).
//!
//! Both are thin handles over a shared [`Tensor`]: cloning one shares the value, as a PyTorch
//! parameter reference does. Freezing flips the tensor's `requires_grad`, so autograd itself
//! skips frozen parameters and optimizers see it through [`Param::is_frozen`].

use std::ops::Deref;

use ndarray::ArrayD;

use crate::tensor::Tensor;

/// A trainable leaf tensor of a module: found by `named_parameters()`, saved in the state dict,
/// updated by optimizers.
///
/// Dereferences to its [`Tensor`], so `param.matmul(..)`, `param.shape()` and `param.grad()`
/// work directly.
#[derive(Clone)]
pub struct Param {
    tensor: Tensor,
}

impl Param {
    /// A parameter holding a copy of `tensor`'s value, as a fresh leaf with gradients on.
    ///
    /// The copy cuts any autograd history `tensor` had, so a parameter is always a leaf.
    pub fn new(tensor: &Tensor) -> Self {
        Self::from_array(tensor.to_array())
    }

    /// A parameter holding `array`, with gradients on.
    pub fn from_array<D: ndarray::Dimension>(array: ndarray::Array<f32, D>) -> Self {
        let tensor = Tensor::from_array(array);
        tensor.set_requires_grad(true);
        Param { tensor }
    }

    /// The tensor handle (shares the value and the gradient with this parameter).
    pub fn tensor(&self) -> &Tensor {
        &self.tensor
    }

    /// Whether the parameter is frozen: it gets no gradient and optimizers skip it.
    pub fn is_frozen(&self) -> bool {
        !self.tensor.requires_grad()
    }

    /// Freezes (`true`) or unfreezes (`false`) the parameter.
    pub fn set_frozen(&self, frozen: bool) {
        self.tensor.set_requires_grad(!frozen);
        if frozen {
            // A frozen parameter must not carry a stale gradient into an optimizer step.
            self.tensor.zero_grad();
        }
    }
}

impl Deref for Param {
    type Target = Tensor;

    fn deref(&self) -> &Tensor {
        &self.tensor
    }
}

impl std::fmt::Debug for Param {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Param")
            .field("shape", &self.tensor.shape())
            .field("frozen", &self.is_frozen())
            .finish()
    }
}

/// Non-trainable state of a module (BatchNorm's running statistics): found by
/// `named_buffers()`, saved in the state dict when persistent, never given gradients.
#[derive(Clone)]
pub struct Buffer {
    tensor: Tensor,
    persistent: bool,
}

impl Buffer {
    /// A persistent buffer (saved in and loaded from the state dict) holding `array`.
    pub fn new<D: ndarray::Dimension>(array: ndarray::Array<f32, D>) -> Self {
        Buffer {
            tensor: Tensor::from_array(array),
            persistent: true,
        }
    }

    /// A buffer that is not part of the state dict (a cache that can be recomputed).
    pub fn non_persistent<D: ndarray::Dimension>(array: ndarray::Array<f32, D>) -> Self {
        Buffer {
            persistent: false,
            ..Self::new(array)
        }
    }

    /// Whether the buffer is saved in the state dict.
    pub fn is_persistent(&self) -> bool {
        self.persistent
    }

    /// The tensor handle.
    pub fn tensor(&self) -> &Tensor {
        &self.tensor
    }

    /// Replaces the value in place (running statistics updates).
    ///
    /// # Panics
    /// When `update` changes the shape (see [`Tensor::update_data`]).
    pub fn update(&self, update: impl FnOnce(&mut ArrayD<f32>)) {
        self.tensor.update_data(update);
    }
}

impl Deref for Buffer {
    type Target = Tensor;

    fn deref(&self) -> &Tensor {
        &self.tensor
    }
}

impl std::fmt::Debug for Buffer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Buffer")
            .field("shape", &self.tensor.shape())
            .field("persistent", &self.persistent)
            .finish()
    }
}
