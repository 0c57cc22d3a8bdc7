//! The per-thread context of a hooked call: which submodule (by address and type) has which
//! path and hooks, while the root's `&self` borrow keeps those addresses stable.
//!
//! `ACTIVE` counts live contexts on all threads so that `call` can skip the thread-local
//! lookup with one relaxed load when nothing is hooked anywhere (the common case).

use std::any::TypeId;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{HookEntry, HookKind, HookValue};
use crate::module::Module;

static ACTIVE: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static STACK: RefCell<Vec<ActiveContext>> = const { RefCell::new(Vec::new()) };
}

/// Whether any hooked call is in progress on any thread.
#[inline]
pub(crate) fn active() -> bool {
    ACTIVE.load(Ordering::Relaxed) != 0
}

// Address plus type: a struct and its first field share an address, never a type (zero-sized
// modules, which could share both, are refused at registration).
type Key = (usize, TypeId);

fn key_of(module: &dyn Module) -> Key {
    let address = module as *const dyn Module as *const () as usize;
    (address, module.as_any().type_id())
}

struct Target {
    key: Key,
    path: String,
    hooks: Vec<Arc<HookEntry>>,
}

/// The hooked submodules of one root call.
#[derive(Default)]
pub(super) struct CallContext {
    targets: Vec<Target>,
}

impl CallContext {
    pub(super) fn add(&mut self, module: &dyn Module, entry: Arc<HookEntry>) {
        let key = key_of(module);
        match self.targets.iter_mut().find(|t| t.key == key) {
            Some(target) => target.hooks.push(entry),
            None => self.targets.push(Target {
                key,
                path: entry.path.clone(),
                hooks: vec![entry],
            }),
        }
    }
}

/// A pushed context: targets shared so a nested call can take one out of the stack.
struct ActiveContext {
    targets: Vec<Rc<Target>>,
}

impl ActiveContext {
    fn find(&self, key: Key) -> Option<Rc<Target>> {
        self.targets.iter().find(|t| t.key == key).cloned()
    }
}

/// Pops the context (and decrements `ACTIVE`) when the root call ends, panics included.
pub(super) struct ContextGuard(());

pub(super) fn enter(ctx: CallContext) -> ContextGuard {
    let active = ActiveContext {
        targets: ctx.targets.into_iter().map(Rc::new).collect(),
    };
    STACK.with(|stack| stack.borrow_mut().push(active));
    ACTIVE.fetch_add(1, Ordering::Relaxed);
    ContextGuard(())
}

impl Drop for ContextGuard {
    fn drop(&mut self) {
        STACK.with(|stack| stack.borrow_mut().pop());
        ACTIVE.fetch_sub(1, Ordering::Relaxed);
    }
}

/// The slow path of `Forward::call`: runs the hooks of `module`, if it is hooked in a context
/// of this thread, around `forward`.
pub(crate) fn call_with_hooks<I: Clone + 'static, O: 'static>(
    module: &dyn Module,
    input: I,
    forward: impl FnOnce(I) -> O,
) -> O {
    let key = key_of(module);
    // Clone the target out so no RefCell borrow is held while hooks and nested calls run.
    let target = STACK.with(|stack| stack.borrow().iter().rev().find_map(|ctx| ctx.find(key)));
    let Some(target) = target else {
        return forward(input);
    };
    for hook in &target.hooks {
        if let HookKind::Pre(f) = &hook.kind {
            f(&target.path, HookValue(&input));
        }
    }
    if !target
        .hooks
        .iter()
        .any(|h| matches!(h.kind, HookKind::Post(_)))
    {
        return forward(input);
    }
    let output = forward(input.clone());
    for hook in &target.hooks {
        if let HookKind::Post(f) = &hook.kind {
            f(&target.path, HookValue(&input), HookValue(&output));
        }
    }
    output
}
