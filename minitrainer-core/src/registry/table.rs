//! `Registry`: the name → model type table, checked for duplicate names.
//!
//! The global table is built once, on first use, from every `#[model]` in the linked program
//! (`inventory`), and is read-only from then on: a `OnceLock` makes the first use thread-safe
//! and later uses lock-free. Duplicate names are found while building it, so *every* use of a
//! registry with a duplicate fails with an error naming both types, instead of one of them
//! winning silently depending on link order.
//!
//! Explicit tables ([`Registry::new`] + [`Registry::register`]) are the fallback for targets
//! where link-time collection does not work (see the crate docs on registration).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use super::entry::{ModelEntry, submitted};
use super::error::RegistryError;
use crate::suggest::did_you_mean;

/// A table of model types by name.
#[derive(Clone, Debug, Default)]
pub struct Registry {
    entries: BTreeMap<&'static str, ModelEntry>,
    // Every name claimed by two or more different types, with all of them, in sorted order.
    duplicates: BTreeMap<&'static str, Vec<&'static str>>,
}

impl Registry {
    /// An empty table, for explicit registration.
    pub fn new() -> Self {
        Registry::default()
    }

    /// The program's table: every `#[model]` in the linked program, collected at link time.
    /// Built on first use, read-only afterwards; safe to use from any number of threads.
    ///
    /// # Errors
    /// [`RegistryError::DuplicateModel`] when two types share a name (on every call).
    pub fn global() -> Result<&'static Registry, RegistryError> {
        static GLOBAL: OnceLock<Registry> = OnceLock::new();
        GLOBAL
            .get_or_init(|| Registry::from_entries(submitted().copied()))
            .checked()
    }

    /// A table holding `entries`.
    pub fn from_entries(entries: impl IntoIterator<Item = ModelEntry>) -> Self {
        let mut registry = Registry::new();
        for entry in entries {
            registry.insert(entry);
        }
        registry
    }

    /// Adds `entry`. Registering the same type under the same name again is harmless (an
    /// explicit registration of a type `inventory` also found); a *different* type under a
    /// taken name makes the table unusable until fixed, reported by every lookup.
    pub fn register(&mut self, entry: ModelEntry) -> &mut Self {
        self.insert(entry);
        self
    }

    fn insert(&mut self, entry: ModelEntry) {
        match self.entries.get(entry.name) {
            None => {
                self.entries.insert(entry.name, entry);
            }
            Some(existing) if existing.type_name == entry.type_name => {}
            Some(existing) => {
                let types = self
                    .duplicates
                    .entry(entry.name)
                    .or_insert_with(|| vec![existing.type_name]);
                if !types.contains(&entry.type_name) {
                    types.push(entry.type_name);
                    types.sort_unstable();
                }
            }
        }
    }

    /// `self`, or the duplicate-name error.
    ///
    /// # Errors
    /// [`RegistryError::DuplicateModel`] when two types share a name.
    pub fn checked(&self) -> Result<&Self, RegistryError> {
        match self.duplicates.iter().next() {
            None => Ok(self),
            Some((name, types)) => Err(RegistryError::DuplicateModel {
                name,
                types: types.clone(),
                others: self.duplicates.len() - 1,
            }),
        }
    }

    /// The entry registered under `name`.
    ///
    /// # Errors
    /// [`RegistryError::DuplicateModel`] when the table has a duplicate name;
    /// [`RegistryError::UnknownModel`] with a suggestion and the registered names.
    pub fn get(&self, name: &str) -> Result<&ModelEntry, RegistryError> {
        let checked = self.checked()?;
        checked
            .entries
            .get(name)
            .ok_or_else(|| RegistryError::UnknownModel {
                name: name.to_string(),
                suggestion: did_you_mean(name, checked.entries.keys().copied()),
                registered: checked.names(),
            })
    }

    /// The registered names, sorted.
    pub fn names(&self) -> Vec<&'static str> {
        self.entries.keys().copied().collect()
    }

    /// The registered entries, sorted by name.
    pub fn entries(&self) -> impl Iterator<Item = &ModelEntry> {
        self.entries.values()
    }

    /// Number of registered names.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// No model registered.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;
    use crate::build::Init;
    use crate::registry::model::Model;
    use serde_json::{Map, Value};

    fn never_built(_: Map<String, Value>, _: &mut Init) -> Result<Box<dyn Model>, Error> {
        unreachable!("these tests only look entries up")
    }

    fn entry(name: &'static str, type_name: &'static str) -> ModelEntry {
        ModelEntry {
            name,
            type_name,
            build: never_built,
            schema: <crate::nn::LinearConfig as crate::config::Config>::schema,
        }
    }

    #[test]
    fn lookup_finds_registered_names() -> Result<(), RegistryError> {
        let registry = Registry::from_entries([entry("mlp", "a::Mlp"), entry("cnn", "a::Cnn")]);
        assert_eq!(registry.get("mlp")?.type_name, "a::Mlp");
        assert_eq!(registry.names(), vec!["cnn", "mlp"]);
        Ok(())
    }

    #[test]
    fn unknown_name_suggests_and_lists() {
        let registry = Registry::from_entries([entry("mlp", "a::Mlp"), entry("cnn", "a::Cnn")]);
        let error = registry.get("mpl").expect_err("unknown");
        let message = error.to_string();
        assert!(message.contains(r#"did you mean "mlp"?"#), "{message}");
        assert!(
            message.contains(r#"2 registered: "cnn", "mlp""#),
            "{message}"
        );
    }

    #[test]
    fn unknown_name_without_suggestion_explains_linking() {
        let registry = Registry::from_entries([entry("mlp", "a::Mlp")]);
        let message = registry
            .get("transformer")
            .expect_err("unknown")
            .to_string();
        assert!(message.contains("use that_crate as _;"), "{message}");
        let empty = Registry::new().get("mlp").expect_err("empty").to_string();
        assert!(empty.contains("no models are registered"), "{empty}");
    }

    #[test]
    fn duplicate_name_names_both_types_on_every_lookup() {
        let registry = Registry::from_entries([
            entry("mlp", "b::Mlp"),
            entry("cnn", "a::Cnn"),
            entry("mlp", "a::Mlp"),
        ]);
        for name in ["mlp", "cnn", "unknown"] {
            let message = registry.get(name).expect_err("duplicate").to_string();
            assert!(
                message.contains("\"mlp\"")
                    && message.contains("`a::Mlp`")
                    && message.contains("`b::Mlp`"),
                "{message}"
            );
        }
    }

    #[test]
    fn same_type_registered_twice_is_not_a_duplicate() -> Result<(), RegistryError> {
        let mut registry = Registry::new();
        registry
            .register(entry("mlp", "a::Mlp"))
            .register(entry("mlp", "a::Mlp"));
        assert_eq!(registry.get("mlp")?.type_name, "a::Mlp");
        Ok(())
    }
}
