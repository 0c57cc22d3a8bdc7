//! `eval_mode`: an RAII guard that puts a module tree in evaluation mode and restores every
//! module's own flag when dropped — also when evaluation fails or panics — so a model is never
//! left in the wrong mode (a frozen BatchNorm kept in eval mode stays so).

use std::ops::{Deref, DerefMut};

use super::Module;

/// Evaluation mode for as long as the guard lives; dereferences to the module.
///
/// ```
/// use minitrainer_core::build::{Build, Init};
/// use minitrainer_core::module::{Module, eval_mode};
/// use minitrainer_core::nn::{Dropout, DropoutConfig};
/// let mut dropout = Dropout::build(&DropoutConfig { p: 0.5 }, &mut Init::seeded(0));
/// {
///     let guard = eval_mode(&mut dropout);
///     assert!(!guard.is_training());
/// }
/// assert!(dropout.is_training());
/// ```
pub struct EvalModeGuard<'a, M: Module + ?Sized> {
    module: &'a mut M,
    flags: Vec<Option<bool>>,
}

/// Puts `module` and its descendants in evaluation mode until the returned guard is dropped.
pub fn eval_mode<M: Module + ?Sized>(module: &mut M) -> EvalModeGuard<'_, M> {
    let mut flags = Vec::new();
    module.apply(&mut |_, m| flags.push(m.local_training()));
    module.eval();
    EvalModeGuard { module, flags }
}

impl<M: Module + ?Sized> Drop for EvalModeGuard<'_, M> {
    fn drop(&mut self) {
        // `apply` visits in the same order as when the flags were recorded.
        let mut flags = self.flags.iter();
        self.module.apply(&mut |_, m| {
            if let Some(Some(flag)) = flags.next() {
                m.set_local_training(*flag);
            }
        });
    }
}

impl<M: Module + ?Sized> Deref for EvalModeGuard<'_, M> {
    type Target = M;
    fn deref(&self) -> &M {
        self.module
    }
}

impl<M: Module + ?Sized> DerefMut for EvalModeGuard<'_, M> {
    fn deref_mut(&mut self) -> &mut M {
        self.module
    }
}
