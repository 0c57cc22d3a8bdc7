//! The visitors behind `Module`'s provided methods: module names, lookup, `apply`, train/eval
//! (the parameter walks are in `params.rs`).

use super::{FieldName, Module, ModuleError, PathStack, Visitor, VisitorMut};

/// Collects modules down to `max_depth` levels below the root (`usize::MAX`: all).
struct Modules<'a> {
    path: PathStack,
    max_depth: usize,
    out: Vec<(String, &'a dyn Module)>,
}

impl<'a> Visitor<'a> for Modules<'a> {
    fn enter_module(&mut self, name: FieldName<'_>, module: &'a dyn Module) {
        self.path.push(name.name);
        if self.path.depth() <= self.max_depth {
            self.out.push((self.path.current(), module));
        }
    }
    fn exit_module(&mut self, _: FieldName<'_>, _: &'a dyn Module) {
        self.path.pop();
    }
}

pub(super) fn named_modules(root: &dyn Module) -> Vec<(String, &dyn Module)> {
    let mut visitor = Modules {
        path: PathStack::new(),
        max_depth: usize::MAX,
        out: vec![(String::new(), root)],
    };
    root.visit(&mut visitor);
    visitor.out
}

pub(super) fn children(root: &dyn Module) -> Vec<(String, &dyn Module)> {
    let mut visitor = Modules {
        path: PathStack::new(),
        max_depth: 1,
        out: Vec::new(),
    };
    root.visit(&mut visitor);
    visitor.out
}

pub(super) fn get_submodule<'a>(
    root: &'a dyn Module,
    path: &str,
) -> Result<&'a dyn Module, ModuleError> {
    if path.is_empty() {
        return Ok(root);
    }
    let mut current = root;
    let mut parent = String::new();
    for segment in path.split('.') {
        let children = children(current);
        match children.iter().find(|(name, _)| name == segment) {
            Some((_, child)) => current = *child,
            None => {
                let available: Vec<String> = children.into_iter().map(|(n, _)| n).collect();
                let suggestion =
                    crate::suggest::did_you_mean(segment, available.iter().map(String::as_str))
                        .map(str::to_owned);
                return Err(ModuleError::NoSubmodule {
                    path: path.to_owned(),
                    missing: segment.to_owned(),
                    parent,
                    available,
                    suggestion,
                });
            }
        }
        if !parent.is_empty() {
            parent.push('.');
        }
        parent.push_str(segment);
    }
    Ok(current)
}

pub(super) fn apply(root: &mut dyn Module, f: &mut dyn FnMut(&str, &mut dyn Module)) {
    struct Apply<'f> {
        path: PathStack,
        f: &'f mut dyn FnMut(&str, &mut dyn Module),
    }
    impl VisitorMut for Apply<'_> {
        fn enter_module(&mut self, name: FieldName<'_>, _: &mut dyn Module) {
            self.path.push(name.name);
        }
        fn exit_module(&mut self, _: FieldName<'_>, module: &mut dyn Module) {
            // Post-order: children are done, so `f` sees them already updated (PyTorch's order).
            (self.f)(&self.path.current(), module);
            self.path.pop();
        }
    }
    let mut visitor = Apply {
        path: PathStack::new(),
        f,
    };
    root.visit_mut(&mut visitor);
    (visitor.f)("", root);
}

pub(super) fn set_training(root: &mut dyn Module, training: bool) {
    struct Mode(bool);
    impl VisitorMut for Mode {
        fn enter_module(&mut self, _: FieldName<'_>, module: &mut dyn Module) {
            module.set_local_training(self.0);
        }
    }
    root.set_local_training(training);
    root.visit_mut(&mut Mode(training));
}

pub(super) fn is_training(root: &dyn Module) -> bool {
    if let Some(flag) = root.local_training() {
        return flag;
    }
    named_modules(root)
        .into_iter()
        .find_map(|(_, module)| module.local_training())
        .unwrap_or(true)
}
