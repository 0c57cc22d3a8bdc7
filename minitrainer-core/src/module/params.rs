//! The parameter walks behind `visit_parameters`, `named_parameter_refs` (and so
//! `named_parameters`), `parameters` and `named_buffers`: one prefix buffer per walk, names borrowed from it or copied into the one
//! `String` of a [`NamedParameters`].
//!
//! Names are rebuilt on every walk rather than cached: a module's path depends on where it
//! is nested (a `Linear` is `weight` alone and `encoder.0.weight` inside a model), and fields
//! are public and replaceable, so a cache would have nothing sound to be keyed on.

use super::param_collector::ParamCollector;
use super::{Buffer, FieldName, Module, NamedParameters, Param, PathStack, Visitor};

/// The current module's path *with* its trailing dot (`encoder.0.`), as enter/exit events
/// move it: a parameter's name is this plus its field name.
///
/// Leaving a module cuts its own name and dot off the end (the exit event carries the same
/// name as the enter), so no stack of lengths is kept.
#[derive(Default)]
struct Prefix(String);

impl Prefix {
    #[inline]
    fn enter(&mut self, name: &str) {
        self.0.push_str(name);
        self.0.push('.');
    }

    #[inline]
    fn exit(&mut self, name: &str) {
        let start = self.0.len().saturating_sub(name.len() + 1);
        // Always a boundary when enter and exit pair up; a hand-written module that pairs
        // them wrongly gets wrong names, never a panic.
        if self.0.is_char_boundary(start) {
            self.0.truncate(start);
        }
    }
}

/// Calls `f` on every parameter with its dotted path, borrowed from the prefix buffer.
struct Named<F> {
    prefix: Prefix,
    f: F,
}

impl<'a, F: FnMut(&str, &'a Param)> Visitor<'a> for Named<F> {
    fn enter_module(&mut self, name: FieldName<'_>, _: &'a dyn Module) {
        self.prefix.enter(name.name);
    }
    fn exit_module(&mut self, name: FieldName<'_>, _: &'a dyn Module) {
        self.prefix.exit(name.name);
    }
    fn param(&mut self, name: FieldName<'_>, param: &'a Param) {
        let prefix = &mut self.prefix.0;
        let end = prefix.len();
        prefix.push_str(name.name);
        (self.f)(prefix, param);
        prefix.truncate(end);
    }
}

/// Every parameter under `root` with its path, in field order, without allocating a name.
pub(super) fn visit_named<'a>(root: &'a dyn Module, f: impl FnMut(&str, &'a Param)) {
    let mut visitor = Named {
        // Deep enough for most models' names without growing.
        prefix: Prefix(String::with_capacity(64)),
        f,
    };
    root.visit(&mut visitor);
}

pub(super) fn named_parameter_refs(root: &dyn Module) -> NamedParameters<'_> {
    let mut out = ParamCollector::new();
    root.collect_params(&mut out);
    out.finish()
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
