//! What [`Forward::call`](super::Forward::call) adds to `forward`: a per-thread call state,
//! the hooks of a hooked call, and the path of a layer that rejects its input.
//!
//! Entry points: [`input_mismatch`] (for layers), `state`/`call_slow` (for `call`), and
//! `set_hooked` (for the hook context). Error policy: [`input_mismatch`] panics — a wrong
//! input shape is a bug in the calling code, as in PyTorch — and every other panic passes
//! through `call` untouched.
//!
//! Design. One thread-local byte holds two flags: `IN_CALL` (a `call` is running on this
//! thread) and `HOOKED` (a hooked call has pushed its context on this thread). A nested call
//! with no hooks — the common case — reads the byte once, sees exactly `IN_CALL` and runs
//! `forward`: one load and one branch, as the global atomic it replaces. Only the outermost
//! call (the byte lacks `IN_CALL`) does more: it sets the flag, runs `forward` inside
//! `catch_unwind` (free unless something panics) and clears it.
//!
//! A layer that rejects its input calls [`input_mismatch`]. Inside a `call` it raises a
//! structured payload with `resume_unwind` (no panic message yet, since it lacks the path);
//! the outermost call catches it, finds the layer's path by walking its own `&self` (the
//! address and type of the layer, as the hook context does), and panics once with the full
//! message. With no `call` running (a direct `forward`), or under `panic = "abort"`, it panics
//! at once, without a path. Other payloads are resumed unchanged.
//!
//! Rejected: a path stack maintained by every `call` (a push and pop per layer, for an error
//! path); `#[track_caller]` locations (they point at the model's code, not name the layer);
//! returning `Result` from `forward` (every model would have to thread it through).

use std::any::TypeId;
use std::cell::Cell;
use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};

use super::Module;
use super::hooks::call_with_hooks;

/// A `call` is running on this thread.
pub(crate) const IN_CALL: u8 = 1;
/// A hooked call's context is pushed on this thread.
const HOOKED: u8 = 2;

thread_local! {
    static STATE: Cell<u8> = const { Cell::new(0) };
}

/// The flags of this thread (`IN_CALL`, `HOOKED`).
#[inline]
pub(crate) fn state() -> u8 {
    STATE.with(Cell::get)
}

fn set_flag(flag: u8, on: bool) {
    STATE.with(|state| {
        let flags = state.get();
        state.set(if on { flags | flag } else { flags & !flag });
    });
}

/// Records whether a hooked call's context is pushed on this thread.
pub(super) fn set_hooked(hooked: bool) {
    set_flag(HOOKED, hooked);
}

/// A module's identity while `&self` is borrowed: its address and its type (a struct and its
/// first field may share an address, never a type).
pub(super) type ModuleKey = (usize, TypeId);

pub(super) fn key_of(module: &dyn Module) -> ModuleKey {
    let address = module as *const dyn Module as *const () as usize;
    (address, module.as_any().type_id())
}

/// The slow path of `call`: the hooks of `module` if a hooked call is running on this thread,
/// and, for the outermost call, the path of a layer that rejects its input.
pub(crate) fn call_slow<I: Clone + 'static, O: 'static>(
    module: &dyn Module,
    input: I,
    forward: impl FnOnce(I) -> O,
) -> O {
    let run = |input| match state() & HOOKED {
        0 => forward(input),
        _ => call_with_hooks(module, input, forward),
    };
    if state() & IN_CALL != 0 {
        return run(input);
    }
    set_flag(IN_CALL, true);
    // Unwind safety: a caught payload is either re-raised or turned into a panic, so no
    // broken state is observed after the catch.
    let result = catch_unwind(AssertUnwindSafe(|| run(input)));
    set_flag(IN_CALL, false);
    match result {
        Ok(output) => output,
        Err(payload) => match payload.downcast::<InputMismatch>() {
            Ok(mismatch) => panic!("{}", mismatch.message_in(module)),
            Err(other) => resume_unwind(other),
        },
    }
}

/// What a layer raised inside a `call`: everything but its path.
struct InputMismatch {
    layer: ModuleKey,
    description: String,
    problem: String,
}

impl InputMismatch {
    /// The message, with the layer's path in `root` when it is found there and is not the
    /// root itself.
    fn message_in(&self, root: &dyn Module) -> String {
        let path = root
            .named_modules()
            .into_iter()
            .find(|(_, module)| key_of(*module) == self.layer)
            .map(|(path, _)| path)
            .filter(|path| !path.is_empty());
        match path {
            Some(path) => format!("{path} ({}): {}", self.description, self.problem),
            None => format!("{}: {}", self.description, self.problem),
        }
    }
}

/// Panics because `layer` was given an input it can't take, with the message
/// ``Linear(in_features=3, out_features=3, bias=true): expected input of shape [..., 3], got
/// [2, 4]``, where `expected` and `got` are the texts after those words.
///
/// When `layer` runs inside a model's [`call`](super::Forward::call), the message starts with
/// the layer's dotted path in that model: ``encoder.layers.1 (Linear(…)): expected …``. For
/// hand-written layers too: check the input at the top of `forward` and call this.
///
/// # Panics
/// Always. Inside a `call` the panic is raised first without a message and re-raised by the
/// outermost `call` with the full one, so a `catch_unwind` *inside* a model's `forward` sees
/// an opaque payload; one around the outermost `call` sees the message as a `String`.
///
/// # Examples
/// ```should_panic
/// use minitrainer_core::module::input_mismatch;
/// use minitrainer_core::nn::{Linear, LinearConfig};
/// use minitrainer_core::registry::{Build, Init};
/// use minitrainer_core::tensor::Tensor;
///
/// let config = LinearConfig { in_features: 4, out_features: 2, bias: true };
/// let layer = Linear::build(&config, &mut Init::seeded(0));
/// let x = Tensor::ones(&[2, 3]);
/// if x.shape().last() != Some(&layer.in_features()) {
///     // Linear(in_features=4, out_features=2, bias=true): expected input of shape [..., 4], got [2, 3]
///     input_mismatch(&layer, "input of shape [..., 4]", format_args!("{:?}", x.shape()));
/// }
/// ```
#[cold]
pub fn input_mismatch(
    layer: &dyn Module,
    expected: impl fmt::Display,
    got: impl fmt::Display,
) -> ! {
    let description = format!("{}({})", layer.type_name(), layer.extra_repr());
    let problem = format!("expected {expected}, got {got}");
    // Under `panic = "abort"` a resumed payload would abort without printing anything.
    if cfg!(panic = "unwind") && state() & IN_CALL != 0 {
        resume_unwind(Box::new(InputMismatch {
            layer: key_of(layer),
            description,
            problem,
        }));
    }
    panic!("{description}: {problem}")
}
