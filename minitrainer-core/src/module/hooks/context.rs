//! The per-thread context of a hooked call: which submodule (by address and type) has which
//! path and hooks, while the root's `&self` borrow keeps those addresses stable.
//!
//! While a context is pushed, the thread's `HOOKED` call flag is set (`module/call.rs`), so
//! that `call` skips the lookup below with the one thread-local load it makes anyway when
//! nothing is hooked on this thread (the common case).

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use super::replace::{Site, take};
use super::{HookEntry, HookKind, HookValue};
use crate::module::Module;
use crate::module::call::{ModuleKey as Key, key_of, set_hooked};

thread_local! {
    static STACK: RefCell<Vec<ActiveContext>> = const { RefCell::new(Vec::new()) };
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

/// Pops the context (and clears the `HOOKED` flag with the last one) when the root call ends,
/// panics included.
pub(super) struct ContextGuard(());

pub(super) fn enter(ctx: CallContext) -> ContextGuard {
    let active = ActiveContext {
        targets: ctx.targets.into_iter().map(Rc::new).collect(),
    };
    STACK.with(|stack| stack.borrow_mut().push(active));
    set_hooked(true);
    ContextGuard(())
}

impl Drop for ContextGuard {
    fn drop(&mut self) {
        let empty = STACK.with(|stack| {
            let mut stack = stack.borrow_mut();
            stack.pop();
            stack.is_empty()
        });
        set_hooked(!empty);
    }
}

/// The hooked part of `Forward::call`: runs the hooks of `module`, if it is hooked in a
/// context of this thread, around `forward`. Pre-hooks may replace the input and forward hooks
/// the output, in registration order, each seeing the value the previous one left.
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
    let path = target.path.as_str();
    let mut input = input;
    for hook in &target.hooks {
        if let HookKind::Pre(f) = &hook.kind
            && let Some(replacement) = f(path, HookValue(&input))
        {
            input = take(replacement, Site::PreHook, path);
        }
    }
    if !target
        .hooks
        .iter()
        .any(|h| matches!(h.kind, HookKind::Post(_)))
    {
        return forward(input);
    }
    let mut output = forward(input.clone());
    for hook in &target.hooks {
        if let HookKind::Post(f) = &hook.kind
            && let Some(replacement) = f(path, HookValue(&input), HookValue(&output))
        {
            output = take(replacement, Site::Hook, path);
        }
    }
    output
}
