//! Forward hooks, registered on any submodule by its dotted path: they observe, or replace
//! the input (pre-hooks) or the output (forward hooks) with PyTorch's semantics.
//!
//! Design. A derived struct has no field to store hooks in, and a model may be moved (into a
//! `Box`, a thread) after a hook is registered, so hooks can't be keyed by address at
//! registration. Instead they live in a table owned by the root wrapper [`Hooked<M>`]: moving
//! the wrapper moves the table, so a hook keeps firing wherever the model goes. When the
//! wrapper runs, it resolves each hooked path to the submodule's *current* address (stable for
//! the duration of the `&self` borrow) and pushes that map as a thread-local context; a nested
//! `self.encoder.call(x)` finds its own path by its address and type. Outside a hooked call
//! the thread's `HOOKED` flag is clear and a nested `call` is `forward` plus one thread-local
//! load (`module/call.rs`).
//!
//! Rejected: a global table keyed by a module identity (derived structs have none, and it
//! would be hidden global state); storing hooks in every layer (user structs can't).
//!
//! Replacing values. The closure's return type decides, through [`HookReturn`]: `()`
//! observes, `Option<T>` replaces the value when `Some` (PyTorch's "non-`None` replaces").
//! Hooks of one module run in registration order, each seeing the previous replacement; a
//! forward hook sees the input as the pre-hooks left it. So the observe-only closures of the
//! README compile unchanged, and one method per hook kind serves both uses. Rejected:
//! `register_forward_hook_replace`-style methods typed on the module's input and output. The
//! table is keyed by path and the submodule behind a path is a `&dyn Module` whose `Forward`
//! types are erased (a module may implement `Forward` for several inputs), so a typed method
//! would make the user name the submodule's type and still could not be checked at
//! registration. Instead the replacement's type is checked when the hook fires, against the
//! type `call` is running with: a mismatch panics there, naming the hook's path and both
//! types, rather than deep inside the next op.

mod context;
mod replace;

use std::any::Any;
use std::ops::{Deref, DerefMut};
use std::sync::{Arc, Mutex, PoisonError, Weak};

use super::{FieldName, Forward, Module, ModuleError, Visitor, VisitorMut};

pub(crate) use context::call_with_hooks;
pub use replace::HookReturn;
use replace::sealed::Replacement;

type PreHook = dyn Fn(&str, HookValue<'_>) -> Option<Replacement> + Send + Sync;
type PostHook = dyn Fn(&str, HookValue<'_>, HookValue<'_>) -> Option<Replacement> + Send + Sync;

enum HookKind {
    Pre(Box<PreHook>),
    Post(Box<PostHook>),
}

struct HookEntry {
    id: u64,
    path: String,
    kind: HookKind,
}

#[derive(Default)]
struct HookTable {
    next_id: u64,
    entries: Vec<Arc<HookEntry>>,
}

type SharedTable = Arc<Mutex<HookTable>>;

fn lock(table: &Mutex<HookTable>) -> std::sync::MutexGuard<'_, HookTable> {
    // A hook that panicked leaves a valid table behind; keep using it.
    table.lock().unwrap_or_else(PoisonError::into_inner)
}

/// An input or output as a hook sees it: usually a [`Tensor`](crate::Tensor).
#[derive(Clone, Copy)]
pub struct HookValue<'v>(&'v dyn Any);

impl<'v> HookValue<'v> {
    /// The value as a tensor, when it is one.
    pub fn tensor(&self) -> Option<&'v crate::Tensor> {
        self.0.downcast_ref()
    }

    /// The value as a `T`, when it is one.
    pub fn downcast_ref<T: Any>(&self) -> Option<&'v T> {
        self.0.downcast_ref()
    }
}

impl std::fmt::Debug for HookValue<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.tensor() {
            Some(tensor) => write!(f, "HookValue(Tensor {:?})", tensor.shape()),
            None => f.write_str("HookValue(..)"),
        }
    }
}

/// Removes its hook when dropped or on [`HookHandle::remove`]; [`HookHandle::keep`] leaves
/// the hook in place for the life of the model.
#[must_use = "dropping a HookHandle removes the hook at once; call `.keep()` to keep it"]
pub struct HookHandle {
    table: Option<Weak<Mutex<HookTable>>>,
    id: u64,
}

impl HookHandle {
    /// Removes the hook (same as dropping the handle).
    pub fn remove(self) {}

    /// Keeps the hook registered for as long as the model lives.
    pub fn keep(mut self) {
        self.table = None;
    }
}

impl Drop for HookHandle {
    fn drop(&mut self) {
        if let Some(table) = self.table.take().and_then(|t| t.upgrade()) {
            lock(&table).entries.retain(|entry| entry.id != self.id);
        }
    }
}

/// A model with forward hooks: wraps the root module and owns its hook table.
///
/// Dereferences to the model. It is itself a [`Module`] (transparent: same names, same
/// state dict) and implements [`Forward`] whenever the model does, so it can be used, boxed
/// and moved wherever the model could.
///
/// Hooks fire for submodules invoked with [`Forward::call`] during a call of this wrapper, on
/// the calling thread. A hook returning `()` observes; one returning `Option<T>` replaces the
/// input (pre-hook) or output (forward hook) when it returns `Some` (see [`HookReturn`]).
///
/// # Examples
/// ```
/// use std::sync::{Arc, Mutex};
/// use minitrainer_core::build::{Build, Init};
/// use minitrainer_core::module::{Forward, Hooked, Layer, Module, PlainData};
/// use minitrainer_core::nn::{Linear, LinearConfig, ReLU, Sequential};
/// use minitrainer_core::tensor::Tensor;
///
/// let model = Sequential::new()
///     .push(Linear::build(&LinearConfig::new(4, 3), &mut Init::seeded(0)))
///     .push(ReLU::new());
/// let model = Hooked::new(model);
/// let seen = Arc::new(Mutex::new(Vec::new()));
/// let log = Arc::clone(&seen);
/// let handle = model.register_forward_hook("1", move |path, _input, output| {
///     log.lock().unwrap().push((path.to_owned(), output.tensor().unwrap().shape().to_vec()));
/// })?;
/// let boxed: Box<dyn Layer> = Box::new(model); // moving the model keeps its hooks
/// boxed.call(Tensor::zeros(&[2, 4]));
/// assert_eq!(*seen.lock().unwrap(), vec![("1".to_owned(), vec![2, 3])]);
/// drop(handle);
/// # Ok::<(), minitrainer_core::Error>(())
/// ```
pub struct Hooked<M> {
    model: M,
    table: SharedTable,
}

impl<M: Module> Hooked<M> {
    /// Wraps `model`, with no hooks yet.
    pub fn new(model: M) -> Self {
        Hooked {
            model,
            table: SharedTable::default(),
        }
    }

    /// Unwraps the model, dropping its hooks.
    pub fn into_inner(self) -> M {
        self.model
    }

    /// Number of registered hooks.
    pub fn num_hooks(&self) -> usize {
        lock(&self.table).entries.len()
    }

    /// Registers `hook(path, input)` to run before the forward of the submodule at `path`
    /// (`""` for the model itself). A hook returning `()` observes; one returning
    /// `Some(new_input)` replaces the input (see [`HookReturn`]).
    ///
    /// # Errors
    /// [`ModuleError::NoSubmodule`] when `path` names no submodule;
    /// [`ModuleError::ZeroSizedHookTarget`] for a zero-sized module.
    ///
    /// # Panics
    /// When the hook fires and returns `Some` of a type other than the module's input type
    /// (the message names the hook's path and both types).
    pub fn register_forward_pre_hook<R: HookReturn>(
        &self,
        path: &str,
        hook: impl Fn(&str, HookValue<'_>) -> R + Send + Sync + 'static,
    ) -> Result<HookHandle, ModuleError> {
        let hook = move |path: &str, input: HookValue<'_>| hook(path, input).into_replacement();
        self.register(path, HookKind::Pre(Box::new(hook)))
    }

    /// Registers `hook(path, input, output)` to run after the forward of the submodule at
    /// `path` (`""` for the model itself). A hook returning `()` observes; one returning
    /// `Some(new_output)` replaces the output (see [`HookReturn`]).
    ///
    /// # Errors
    /// As [`Hooked::register_forward_pre_hook`].
    ///
    /// # Panics
    /// When the hook fires and returns `Some` of a type other than the module's output type
    /// (the message names the hook's path and both types).
    pub fn register_forward_hook<R: HookReturn>(
        &self,
        path: &str,
        hook: impl Fn(&str, HookValue<'_>, HookValue<'_>) -> R + Send + Sync + 'static,
    ) -> Result<HookHandle, ModuleError> {
        let hook = move |path: &str, input: HookValue<'_>, output: HookValue<'_>| {
            hook(path, input, output).into_replacement()
        };
        self.register(path, HookKind::Post(Box::new(hook)))
    }

    fn register(&self, path: &str, kind: HookKind) -> Result<HookHandle, ModuleError> {
        let target = self.model.get_submodule(path)?;
        // Two zero-sized modules can share an address, so a call could not tell them apart.
        if std::mem::size_of_val(target) == 0 {
            return Err(ModuleError::ZeroSizedHookTarget {
                path: path.to_owned(),
                type_name: target.type_name().to_owned(),
            });
        }
        let mut table = lock(&self.table);
        let id = table.next_id;
        table.next_id += 1;
        table.entries.push(Arc::new(HookEntry {
            id,
            path: path.to_owned(),
            kind,
        }));
        Ok(HookHandle {
            table: Some(Arc::downgrade(&self.table)),
            id,
        })
    }

    /// The hooked paths resolved to the submodules' current addresses, or `None` when no hook
    /// is registered. Paths that no longer resolve (the model was edited) are skipped.
    fn context(&self) -> Option<context::CallContext> {
        let entries = lock(&self.table).entries.clone();
        if entries.is_empty() {
            return None;
        }
        let mut ctx = context::CallContext::default();
        for entry in entries {
            if let Ok(module) = self.model.get_submodule(&entry.path) {
                ctx.add(module, entry);
            }
        }
        Some(ctx)
    }
}

impl<M> Deref for Hooked<M> {
    type Target = M;

    fn deref(&self) -> &M {
        &self.model
    }
}

impl<M> DerefMut for Hooked<M> {
    fn deref_mut(&mut self) -> &mut M {
        &mut self.model
    }
}

super::transparent_module!(impl[M: Module] Hooked<M> => |this| this.model);

#[diagnostic::do_not_recommend]
impl<M: Module> super::ModuleField for Hooked<M> {
    fn visit_field<'a>(&'a self, name: FieldName<'_>, visitor: &mut dyn Visitor<'a>) {
        super::visit_child(self, name, visitor);
    }
    fn visit_field_mut(&mut self, name: FieldName<'_>, visitor: &mut dyn VisitorMut) {
        super::visit_child_mut(self, name, visitor);
    }
}

impl<I, M> Forward<I> for Hooked<M>
where
    M: Forward<I>,
    I: Clone + 'static,
    M::Output: 'static,
{
    type Output = M::Output;

    fn forward(&self, input: I) -> M::Output {
        match self.context() {
            None => self.model.call(input),
            Some(ctx) => {
                let _guard = context::enter(ctx);
                self.model.call(input)
            }
        }
    }
}
