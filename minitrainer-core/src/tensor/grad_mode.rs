//! Grad mode: whether ops record themselves for `backward`.
//!
//! A thread-local flag, switched by RAII guards ([`no_grad`], [`enable_grad`]) that restore the
//! previous state on drop, hence on every exit from their scope, unwinding included. The flag
//! is per thread, like PyTorch's: inference on one thread never turns recording off for a
//! training loop on another.

use std::cell::Cell;
use std::marker::PhantomData;

thread_local! {
    static GRAD_ENABLED: Cell<bool> = const { Cell::new(true) };
}

/// Whether ops on this thread currently record the graph (true unless inside [`no_grad`]).
pub fn is_grad_enabled() -> bool {
    GRAD_ENABLED.with(Cell::get)
}

/// Restores the previous grad mode when dropped. Created by [`no_grad`] or [`enable_grad`].
///
/// Not `Send`: it restores a thread-local flag, so it must be dropped on the thread that
/// made it.
#[must_use = "grad mode is restored as soon as the guard is dropped; bind it: `let _guard = no_grad();`"]
#[derive(Debug)]
pub struct GradModeGuard {
    previous: bool,
    // A raw pointer makes the guard !Send and !Sync.
    _not_send: PhantomData<*const ()>,
}

impl GradModeGuard {
    fn set(enabled: bool) -> Self {
        let previous = GRAD_ENABLED.with(|flag| flag.replace(enabled));
        GradModeGuard {
            previous,
            _not_send: PhantomData,
        }
    }
}

impl Drop for GradModeGuard {
    fn drop(&mut self) {
        GRAD_ENABLED.with(|flag| flag.set(self.previous));
    }
}

/// Turns recording off on this thread until the returned guard is dropped (inference,
/// optimizer updates). Guards nest; each restores the state it found.
///
/// # Examples
/// ```
/// use minitrainer_core::tensor::{is_grad_enabled, no_grad};
/// use minitrainer_core::Tensor;
///
/// let w = Tensor::ones(&[2]);
/// w.set_requires_grad(true);
/// {
///     let _guard = no_grad();
///     assert!(!is_grad_enabled());
///     assert!(!w.mul(&w).requires_grad()); // nothing recorded
/// }
/// assert!(is_grad_enabled());
/// ```
pub fn no_grad() -> GradModeGuard {
    GradModeGuard::set(false)
}

/// Turns recording back on (e.g. inside a [`no_grad`] scope) until the guard is dropped.
pub fn enable_grad() -> GradModeGuard {
    GradModeGuard::set(true)
}
