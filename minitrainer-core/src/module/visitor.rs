//! The visitor that `#[derive(Module)]` drives: a depth-first walk over a module's fields that
//! reports entering and leaving each child module and every parameter and buffer, with the
//! field's name and aliases. Everything else (names, state dicts, train/eval, freezing, the tree
//! print) is a visitor.
//!
//! Names are relative to the current module; [`PathStack`] turns the enter/exit events into the
//! dotted PyTorch-style paths (`encoder.layers.0.weight`).

use super::{Buffer, Generator, Module, Param};

/// The name of a field as the visitor sees it: its state-dict name and the older names
/// (`#[module(alias = "...")]`) a checkpoint may still use.
#[derive(Clone, Copy, Debug)]
pub struct FieldName<'n> {
    /// State-dict name (the field name, `#[module(rename)]`, or an index / map key).
    pub name: &'n str,
    /// Names also accepted when loading a state dict.
    pub aliases: &'n [&'n str],
}

impl<'n> FieldName<'n> {
    /// A name without aliases.
    pub fn new(name: &'n str) -> Self {
        FieldName { name, aliases: &[] }
    }

    /// A name with aliases.
    pub fn with_aliases(name: &'n str, aliases: &'n [&'n str]) -> Self {
        FieldName { name, aliases }
    }
}

/// Read-only walk over a module tree. Every method has an empty default; implement the ones
/// you need. `'a` is the borrow of the visited module, so visitors may keep the references.
pub trait Visitor<'a> {
    /// Entering child module `name` (its own fields follow, then [`Visitor::exit_module`]).
    fn enter_module(&mut self, name: FieldName<'_>, module: &'a dyn Module) {
        let _ = (name, module);
    }
    /// Leaving child module `name`.
    fn exit_module(&mut self, name: FieldName<'_>, module: &'a dyn Module) {
        let _ = (name, module);
    }
    /// A parameter of the current module.
    fn param(&mut self, name: FieldName<'_>, param: &'a Param) {
        let _ = (name, param);
    }
    /// A buffer of the current module.
    fn buffer(&mut self, name: FieldName<'_>, buffer: &'a Buffer) {
        let _ = (name, buffer);
    }
    /// A random generator of the current module (its state is saved with checkpoints).
    fn generator(&mut self, name: FieldName<'_>, generator: &'a Generator) {
        let _ = (name, generator);
    }
}

/// Mutable walk over a module tree (train/eval, `apply`, replacing parameters).
pub trait VisitorMut {
    /// Entering child module `name`, before its fields.
    fn enter_module(&mut self, name: FieldName<'_>, module: &mut dyn Module) {
        let _ = (name, module);
    }
    /// Leaving child module `name`, after its fields.
    fn exit_module(&mut self, name: FieldName<'_>, module: &mut dyn Module) {
        let _ = (name, module);
    }
    /// A parameter of the current module.
    fn param(&mut self, name: FieldName<'_>, param: &mut Param) {
        let _ = (name, param);
    }
    /// A buffer of the current module.
    fn buffer(&mut self, name: FieldName<'_>, buffer: &mut Buffer) {
        let _ = (name, buffer);
    }
}

/// Turns enter/exit events into dotted paths: push on enter, pop on exit, `join` for a leaf.
#[derive(Clone, Debug, Default)]
pub struct PathStack {
    segments: Vec<String>,
}

impl PathStack {
    /// An empty path (the root module).
    pub fn new() -> Self {
        Self::default()
    }

    /// Descends into `name`.
    pub fn push(&mut self, name: &str) {
        self.segments.push(name.to_owned());
    }

    /// Goes back up one level.
    pub fn pop(&mut self) {
        self.segments.pop();
    }

    /// Depth below the root.
    pub fn depth(&self) -> usize {
        self.segments.len()
    }

    /// The current module's path (`""` at the root).
    pub fn current(&self) -> String {
        self.segments.join(".")
    }

    /// The path of `leaf` inside the current module.
    pub fn join(&self, leaf: &str) -> String {
        let mut path = String::new();
        for segment in &self.segments {
            path.push_str(segment);
            path.push('.');
        }
        path.push_str(leaf);
        path
    }
}
