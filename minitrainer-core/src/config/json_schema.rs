//! `$defs` collection for JSON Schema export: each nested config or enum is described once and
//! referenced by `$ref`, which also keeps a self-referencing config (`Vec<Self>`) finite.

use serde_json::{Map, Value};

/// The `$defs` of a JSON Schema document being built.
#[derive(Debug, Default)]
pub struct JsonSchemaDefs {
    defs: Map<String, Value>,
}

impl JsonSchemaDefs {
    /// No definitions yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// A `$ref` to the definition `name`, building it with `build` the first time.
    pub fn reference(&mut self, name: &str, build: impl FnOnce(&mut Self) -> Value) -> Value {
        // Generic over `build`, so instantiated once per config type: only the call of `build`
        // stays here, the rest is compiled once (`reserve`, `define`, `ref_to`).
        if self.reserve(name) {
            let schema = build(self);
            self.define(name, schema);
        }
        ref_to(name)
    }

    /// Whether `name` is new; reserves it first, so a type that contains itself refers to
    /// itself.
    fn reserve(&mut self, name: &str) -> bool {
        if self.defs.contains_key(name) {
            return false;
        }
        self.defs.insert(name.to_owned(), Value::Null);
        true
    }

    /// Sets the definition `name`.
    fn define(&mut self, name: &str, schema: Value) {
        self.defs.insert(name.to_owned(), schema);
    }

    /// Whether nothing was defined.
    pub fn is_empty(&self) -> bool {
        self.defs.is_empty()
    }

    /// The definitions, by type name, in the order first referenced.
    pub fn into_map(self) -> Map<String, Value> {
        self.defs
    }
}

/// `{"$ref": "#/$defs/<name>"}`.
fn ref_to(name: &str) -> Value {
    serde_json::json!({ "$ref": format!("#/$defs/{name}") })
}
