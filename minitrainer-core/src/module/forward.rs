//! `Forward` (what a module computes) and `call` (the template method that runs hooks around
//! it and names a layer that rejects its input; see `call.rs`), plus `Layer`, the object-safe
//! Tensor → Tensor module that `Sequential` and model trait objects hold.

use super::{Module, call};
use crate::tensor::Tensor;

/// The computation of a module. Implement [`Forward::forward`]; invoke submodules with
/// [`Forward::call`] so that hooks registered on them (through [`Hooked`](super::Hooked))
/// fire.
///
/// `Input` defaults to [`Tensor`] and most modules map a tensor to a tensor; a module may
/// implement `Forward` for several input types (e.g. a tensor, or a tensor and a mask).
pub trait Forward<Input = Tensor>: Module {
    /// What `forward` returns.
    type Output;

    /// Computes the output. Written by the user with ordinary tensor ops.
    fn forward(&self, input: Input) -> Self::Output;

    /// Runs `forward` wrapped in the forward pre-hooks and hooks registered on this module.
    ///
    /// Inside another module's `call` with no hooked call on this thread, this is one
    /// thread-local load and a branch before `forward`. The outermost `call` also catches a
    /// built-in layer's input error (see [`input_mismatch`](super::input_mismatch)) to put
    /// the layer's path in the message; other panics pass through unchanged. Hooks see the
    /// input and output, hence `Clone + 'static` (a clone is made only when a forward hook
    /// fires: tensors clone as cheap handles).
    #[inline]
    fn call(&self, input: Input) -> Self::Output
    where
        Input: Clone + 'static,
        Self::Output: 'static,
    {
        if call::state() == call::IN_CALL {
            return self.forward(input);
        }
        call::call_slow(self.as_dyn_module(), input, |input| self.forward(input))
    }
}

/// A thread-safe Tensor → Tensor module, as a trait object: `Box<dyn Layer>`.
///
/// Implemented for every module with `Forward<Tensor, Output = Tensor>` that is
/// `Send + Sync`; `Sequential` holds these, and a boxed model is one.
pub trait Layer: Forward<Tensor, Output = Tensor> + Send + Sync {}

impl<T: Forward<Tensor, Output = Tensor> + Send + Sync> Layer for T {}
