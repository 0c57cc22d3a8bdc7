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
///
/// The path lives in one reusable `String` (segments are appended and truncated away), so a
/// walk allocates only when the deepest path so far grows; [`PathStack::as_str`] borrows it.
#[derive(Clone, Debug, Default)]
pub struct PathStack {
    path: String,
    // `path.len()` before each pushed segment: where `pop` truncates back to.
    starts: Vec<usize>,
}

impl PathStack {
    /// An empty path (the root module).
    pub fn new() -> Self {
        Self::default()
    }

    /// Descends into `name`.
    #[inline]
    pub fn push(&mut self, name: &str) {
        self.starts.push(self.path.len());
        if self.starts.len() > 1 {
            self.path.push('.');
        }
        self.path.push_str(name);
    }

    /// Goes back up one level (nothing at the root).
    #[inline]
    pub fn pop(&mut self) {
        if let Some(start) = self.starts.pop() {
            self.path.truncate(start);
        }
    }

    /// Depth below the root.
    #[inline]
    pub fn depth(&self) -> usize {
        self.starts.len()
    }

    /// The current module's path (`""` at the root), borrowed.
    #[inline]
    pub fn as_str(&self) -> &str {
        &self.path
    }

    /// Calls `f` with the path of `leaf` inside the current module, borrowed (nothing is
    /// allocated once the buffer has grown to the deepest path).
    #[inline]
    pub fn with_leaf<R>(&mut self, leaf: &str, f: impl FnOnce(&str) -> R) -> R {
        let end = self.path.len();
        if !self.starts.is_empty() {
            self.path.push('.');
        }
        self.path.push_str(leaf);
        let out = f(&self.path);
        self.path.truncate(end);
        out
    }

    /// The current module's path (`""` at the root).
    pub fn current(&self) -> String {
        self.path.clone()
    }

    /// The path of `leaf` inside the current module (allocated at its exact length).
    pub fn join(&self, leaf: &str) -> String {
        if self.starts.is_empty() {
            return leaf.to_owned();
        }
        let mut path = String::with_capacity(self.path.len() + 1 + leaf.len());
        path.push_str(&self.path);
        path.push('.');
        path.push_str(leaf);
        path
    }
}

#[cfg(test)]
mod tests {
    use super::PathStack;

    #[test]
    fn paths_are_dotted_and_pop_restores_the_parent() {
        let mut path = PathStack::new();
        assert_eq!((path.as_str(), path.join("w").as_str()), ("", "w"));
        assert_eq!(path.with_leaf("w", str::to_owned), "w");
        path.push("encoder");
        path.push("0");
        assert_eq!(path.current(), "encoder.0");
        assert_eq!(path.join("weight"), "encoder.0.weight");
        assert_eq!(path.depth(), 2);
        path.pop();
        assert_eq!(path.join("bias"), "encoder.bias");
        assert_eq!(path.with_leaf("bias", str::to_owned), "encoder.bias");
        assert_eq!(path.as_str(), "encoder");
        path.pop();
        path.pop();
        assert_eq!((path.as_str(), path.depth()), ("", 0));
    }

    #[test]
    fn empty_segments_keep_their_dots() {
        // As `segments.join(".")` did: an empty name still takes a place in the path.
        let mut path = PathStack::new();
        path.push("");
        assert_eq!(
            (path.current().as_str(), path.join("w").as_str()),
            ("", ".w")
        );
        assert_eq!(path.with_leaf("w", str::to_owned), ".w");
        path.push("a");
        assert_eq!(path.as_str(), ".a");
        path.pop();
        path.push("");
        assert_eq!(path.join("w"), "..w");
    }
}
