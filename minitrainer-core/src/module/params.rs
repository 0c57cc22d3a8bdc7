//! The parameter walks behind `visit_parameters`, `named_parameters`, `parameters` and
//! `named_buffers`: one [`PathStack`] buffer per walk, names borrowed from it, and a `String`
//! allocated only where the caller asked for owned names (at its exact length).
//!
//! Names are rebuilt on every walk rather than cached: a module's path depends on where it
//! is nested (a `Linear` is `weight` alone and `encoder.0.weight` inside a model), and fields
//! are public and replaceable, so a cache would have nothing sound to be keyed on.

use super::{Buffer, FieldName, Module, Param, PathStack, Visitor};

/// Calls `f` on every parameter with its dotted path, borrowed from one reusable buffer.
///
/// The buffer holds the current module's path *with* its trailing dot (`encoder.0.`), so a
/// parameter's name is one append and one truncate — the hottest two lines of the walk.
struct Named<F> {
    prefix: String,
    // `prefix.len()` before each entered module: where leaving it truncates back to.
    starts: Vec<usize>,
    f: F,
}

impl<'a, F: FnMut(&str, &'a Param)> Visitor<'a> for Named<F> {
    fn enter_module(&mut self, name: FieldName<'_>, _: &'a dyn Module) {
        self.starts.push(self.prefix.len());
        self.prefix.push_str(name.name);
        self.prefix.push('.');
    }
    fn exit_module(&mut self, _: FieldName<'_>, _: &'a dyn Module) {
        if let Some(start) = self.starts.pop() {
            self.prefix.truncate(start);
        }
    }
    fn param(&mut self, name: FieldName<'_>, param: &'a Param) {
        let end = self.prefix.len();
        self.prefix.push_str(name.name);
        (self.f)(&self.prefix, param);
        self.prefix.truncate(end);
    }
}

/// Every parameter under `root` with its path, in field order, without allocating a name.
pub(super) fn visit_named<'a>(root: &'a dyn Module, f: impl FnMut(&str, &'a Param)) {
    let mut visitor = Named {
        // Deep enough for most models' names without growing.
        prefix: String::with_capacity(64),
        starts: Vec::with_capacity(8),
        f,
    };
    root.visit(&mut visitor);
}

/// Calls `f` on every parameter; no path is kept.
struct Each<F>(F);

impl<'a, F: FnMut(&'a Param)> Visitor<'a> for Each<F> {
    fn param(&mut self, _: FieldName<'_>, param: &'a Param) {
        (self.0)(param);
    }
}

/// Every parameter under `root`, in field order, names skipped.
pub(super) fn each<'a>(root: &'a dyn Module, f: impl FnMut(&'a Param)) {
    root.visit(&mut Each(f));
}

// The `Vec`s grow by doubling: sizing them with a counting walk first was measured slower
// (callgrind and criterion on W5) — the walk costs more than the few reallocations.
pub(super) fn named_parameters(root: &dyn Module) -> Vec<(String, Param)> {
    let mut out = Vec::new();
    visit_named(root, |name, param| {
        out.push((name.to_owned(), param.clone()))
    });
    out
}

pub(super) fn parameters(root: &dyn Module) -> Vec<Param> {
    let mut out = Vec::new();
    each(root, |param| out.push(param.clone()));
    out
}

/// Every buffer under `root`, with its dotted path, in field order.
#[derive(Default)]
struct NamedBuffers {
    path: PathStack,
    out: Vec<(String, Buffer)>,
}

impl<'a> Visitor<'a> for NamedBuffers {
    fn enter_module(&mut self, name: FieldName<'_>, _: &'a dyn Module) {
        self.path.push(name.name);
    }
    fn exit_module(&mut self, _: FieldName<'_>, _: &'a dyn Module) {
        self.path.pop();
    }
    fn buffer(&mut self, name: FieldName<'_>, buffer: &'a Buffer) {
        self.out.push((self.path.join(name.name), buffer.clone()));
    }
}

pub(super) fn named_buffers(root: &dyn Module) -> Vec<(String, Buffer)> {
    let mut visitor = NamedBuffers::default();
    root.visit(&mut visitor);
    visitor.out
}
