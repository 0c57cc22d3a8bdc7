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
        if !self.defs.contains_key(name) {
            // Reserve the name first, so a type that contains itself refers to itself.
            self.defs.insert(name.to_owned(), Value::Null);
            let schema = build(self);
            self.defs.insert(name.to_owned(), schema);
        }
        serde_json::json!({ "$ref": format!("#/$defs/{name}") })
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
