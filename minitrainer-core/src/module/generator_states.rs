//! Collecting and restoring the state of every [`Generator`] in a module tree, by path.

use super::{FieldName, Generator, GeneratorState, Module, ModuleError, PathStack, Visitor};

/// Every generator under `root`, with its dotted path, in field order.
#[derive(Default)]
struct Generators<'a> {
    path: PathStack,
    found: Vec<(String, &'a Generator)>,
}

impl<'a> Visitor<'a> for Generators<'a> {
    fn enter_module(&mut self, name: FieldName<'_>, _: &'a dyn Module) {
        self.path.push(name.name);
    }
    fn exit_module(&mut self, _: FieldName<'_>, _: &'a dyn Module) {
        self.path.pop();
    }
    fn generator(&mut self, name: FieldName<'_>, generator: &'a Generator) {
        self.found.push((self.path.join(name.name), generator));
    }
}

fn generators(root: &dyn Module) -> Vec<(String, &Generator)> {
    let mut visitor = Generators::default();
    root.visit(&mut visitor);
    visitor.found
}

pub(super) fn collect(root: &dyn Module) -> Vec<(String, GeneratorState)> {
    generators(root)
        .into_iter()
        .map(|(path, generator)| (path, generator.state()))
        .collect()
}

/// Checks every path first, then restores: all or nothing.
pub(super) fn load(
    root: &dyn Module,
    states: &[(String, GeneratorState)],
) -> Result<(), ModuleError> {
    let found = generators(root);
    let state_of = |path: &str| states.iter().find(|(p, _)| p == path).map(|(_, s)| s);
    let missing: Vec<String> = found
        .iter()
        .filter(|(path, _)| state_of(path).is_none())
        .map(|(path, _)| path.clone())
        .collect();
    let unexpected: Vec<String> = states
        .iter()
        .filter(|(path, _)| !found.iter().any(|(p, _)| p == path))
        .map(|(path, _)| path.clone())
        .collect();
    if !missing.is_empty() || !unexpected.is_empty() {
        return Err(ModuleError::GeneratorStates {
            missing,
            unexpected,
        });
    }
    for (path, generator) in found {
        if let Some(state) = state_of(&path) {
            generator.set_state(state);
        }
    }
    Ok(())
}
