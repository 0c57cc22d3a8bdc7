//! The run-time schema of a config: for each field its name, type, default, constraints and
//! doc comment (what `describe` prints and the registry lists), exportable as JSON Schema.

use std::fmt;

use serde_json::Value;

use super::json_schema::JsonSchemaDefs;

/// Everything known about a config type: its fields (or, for a config enum, its variants).
#[derive(Debug, Clone)]
pub struct Schema {
    name: &'static str,
    doc: &'static str,
    kind: SchemaKind,
}

/// What a [`Schema`] describes.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum SchemaKind {
    /// A config struct.
    Struct {
        /// Its fields, in declaration order.
        fields: Vec<FieldSchema>,
        /// The cross-field checks (`#[config(check = ..)]`), as written.
        checks: Vec<&'static str>,
    },
    /// A config enum, written as one of its variant names.
    Enum {
        /// Its variants, in declaration order.
        variants: Vec<VariantSchema>,
    },
}

impl Schema {
    /// The schema of a config struct.
    pub fn new_struct(
        name: &'static str,
        doc: &'static str,
        fields: Vec<FieldSchema>,
        checks: Vec<&'static str>,
    ) -> Self {
        Schema {
            name,
            doc,
            kind: SchemaKind::Struct { fields, checks },
        }
    }

    /// The schema of a config enum.
    pub fn new_enum(name: &'static str, doc: &'static str, variants: Vec<VariantSchema>) -> Self {
        Schema {
            name,
            doc,
            kind: SchemaKind::Enum { variants },
        }
    }

    /// The type's name (`MlpConfig`).
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The type's doc comment (empty if none).
    pub fn doc(&self) -> &'static str {
        self.doc
    }

    /// Fields or variants.
    pub fn kind(&self) -> &SchemaKind {
        &self.kind
    }

    /// The fields of a config struct (empty for an enum).
    pub fn fields(&self) -> &[FieldSchema] {
        match &self.kind {
            SchemaKind::Struct { fields, .. } => fields,
            SchemaKind::Enum { .. } => &[],
        }
    }

    /// The field called `name`.
    pub fn field(&self, name: &str) -> Option<&FieldSchema> {
        self.fields().iter().find(|f| f.name == name)
    }

    /// This schema as a JSON Schema (draft 2020-12) document, with nested configs and enums
    /// under `$defs`.
    pub fn to_json_schema(&self) -> Value {
        let mut defs = JsonSchemaDefs::new();
        let mut doc = serde_json::json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": self.name,
        });
        if let (Value::Object(doc), Value::Object(body)) =
            (&mut doc, self.json_schema_body(&mut defs))
        {
            doc.extend(body);
            if !defs.is_empty() {
                doc.insert("$defs".to_owned(), Value::Object(defs.into_map()));
            }
        }
        doc
    }

    /// The JSON Schema of this type without the document header (`$schema`, `$defs`); nested
    /// types are added to `defs`.
    pub fn json_schema_body(&self, defs: &mut JsonSchemaDefs) -> Value {
        let mut body = serde_json::Map::new();
        if !self.doc.is_empty() {
            body.insert("description".to_owned(), Value::from(self.doc));
        }
        match &self.kind {
            SchemaKind::Struct { fields, .. } => {
                let mut properties = serde_json::Map::new();
                for field in fields {
                    properties.insert(field.name.to_owned(), field.json_schema(defs));
                }
                let required: Vec<Value> = fields
                    .iter()
                    .filter(|f| f.is_required())
                    .map(|f| Value::from(f.name))
                    .collect();
                body.insert("type".to_owned(), Value::from("object"));
                body.insert("properties".to_owned(), Value::Object(properties));
                body.insert("required".to_owned(), Value::Array(required));
                body.insert("additionalProperties".to_owned(), Value::Bool(false));
            }
            SchemaKind::Enum { variants } => {
                let names = variants.iter().map(|v| Value::from(v.name)).collect();
                body.insert("type".to_owned(), Value::from("string"));
                body.insert("enum".to_owned(), Value::Array(names));
            }
        }
        Value::Object(body)
    }
}

/// One field of a config struct.
#[derive(Debug, Clone)]
pub struct FieldSchema {
    name: &'static str,
    type_name: String,
    default: Option<Value>,
    constraints: Vec<Constraint>,
    doc: &'static str,
    type_schema: fn(&mut JsonSchemaDefs) -> Value,
}

impl FieldSchema {
    /// A field; `default` is `None` for a required field. `type_schema` is the field type's
    /// `ConfigValue::json_schema`.
    pub fn new(
        name: &'static str,
        type_name: String,
        default: Option<Value>,
        constraints: Vec<Constraint>,
        doc: &'static str,
        type_schema: fn(&mut JsonSchemaDefs) -> Value,
    ) -> Self {
        FieldSchema {
            name,
            type_name,
            default,
            constraints,
            doc,
            type_schema,
        }
    }

    /// The field's name as it appears in JSON.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The field's type (`usize`, `Vec<f32>`, `OptimizerConfig`).
    pub fn type_name(&self) -> &str {
        &self.type_name
    }

    /// The default as JSON; `None` for a required field.
    pub fn default(&self) -> Option<&Value> {
        self.default.as_ref()
    }

    /// Whether the field must be given (it has no default).
    pub fn is_required(&self) -> bool {
        self.default.is_none()
    }

    /// The value rules on the field.
    pub fn constraints(&self) -> &[Constraint] {
        &self.constraints
    }

    /// The field's doc comment (empty if none).
    pub fn doc(&self) -> &'static str {
        self.doc
    }

    /// The field's JSON Schema: its type's schema plus constraints, description and default.
    pub fn json_schema(&self, defs: &mut JsonSchemaDefs) -> Value {
        let mut schema = match (self.type_schema)(defs) {
            Value::Object(map) => map,
            other => return other,
        };
        for constraint in &self.constraints {
            constraint.add_to(&mut schema);
        }
        if !self.doc.is_empty() {
            schema.insert("description".to_owned(), Value::from(self.doc));
        }
        if let Some(default) = &self.default {
            schema.insert("default".to_owned(), default.clone());
        }
        Value::Object(schema)
    }
}

/// One value rule of a field, with its bounds as JSON.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Constraint {
    /// `min = bound`.
    Min(Value),
    /// `max = bound`.
    Max(Value),
    /// `range = start..end` (or `..=` when `inclusive`).
    Range {
        /// Lowest allowed value.
        start: Value,
        /// Upper bound.
        end: Value,
        /// Whether `end` itself is allowed.
        inclusive: bool,
    },
    /// `non_empty`.
    NonEmpty,
    /// `one_of = [..]`.
    OneOf(Vec<Value>),
    /// `validate = path`: the user function's path as written.
    Validate(&'static str),
}

impl Constraint {
    /// Adds the JSON Schema keywords of this rule to a field's schema.
    fn add_to(&self, schema: &mut serde_json::Map<String, Value>) {
        let nullable = schema.contains_key("anyOf");
        let base = base_type(schema);
        match self {
            Constraint::Min(bound) => {
                schema.insert("minimum".to_owned(), bound.clone());
            }
            Constraint::Max(bound) => {
                schema.insert("maximum".to_owned(), bound.clone());
            }
            Constraint::Range {
                start,
                end,
                inclusive,
            } => {
                schema.insert("minimum".to_owned(), start.clone());
                if *inclusive {
                    schema.insert("maximum".to_owned(), end.clone());
                } else {
                    schema.remove("maximum");
                    schema.insert("exclusiveMaximum".to_owned(), end.clone());
                }
            }
            Constraint::NonEmpty => {
                let key = if base.as_deref() == Some("string") {
                    "minLength"
                } else {
                    "minItems"
                };
                schema.insert(key.to_owned(), Value::from(1));
            }
            Constraint::OneOf(values) => {
                let mut values = values.clone();
                if nullable {
                    values.push(Value::Null);
                }
                schema.insert("enum".to_owned(), Value::Array(values));
            }
            Constraint::Validate(path) => {
                schema.insert(
                    "$comment".to_owned(),
                    Value::from(format!("validated by `{path}`")),
                );
            }
        }
    }
}

/// The JSON type of a schema, looking inside `anyOf: [T, null]`.
fn base_type(schema: &serde_json::Map<String, Value>) -> Option<String> {
    if let Some(t) = schema.get("type").and_then(Value::as_str) {
        return Some(t.to_owned());
    }
    schema
        .get("anyOf")?
        .get(0)?
        .get("type")?
        .as_str()
        .map(str::to_owned)
}

impl fmt::Display for Constraint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Constraint::Min(bound) => write!(f, "min = {bound}"),
            Constraint::Max(bound) => write!(f, "max = {bound}"),
            Constraint::Range {
                start,
                end,
                inclusive,
            } => write!(
                f,
                "range = {start}{}{end}",
                if *inclusive { "..=" } else { ".." }
            ),
            Constraint::NonEmpty => f.write_str("non_empty"),
            Constraint::OneOf(values) => write!(f, "one_of = {}", Value::Array(values.clone())),
            Constraint::Validate(path) => write!(f, "validate = {path}"),
        }
    }
}

/// One variant of a config enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariantSchema {
    /// The name in JSON (`relu`).
    pub name: &'static str,
    /// The variant's doc comment (empty if none).
    pub doc: &'static str,
}

/// A listing for `describe`: the type and its doc, then one line per field with its type,
/// default (or `required`), constraints and doc; for an enum, one line per variant.
impl fmt::Display for Schema {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.name)?;
        if !self.doc.is_empty() {
            write!(f, ": {}", one_line(self.doc))?;
        }
        match &self.kind {
            SchemaKind::Struct { fields, checks } => {
                for field in fields {
                    write!(f, "\n  {}: {}", field.name, field.type_name)?;
                    match &field.default {
                        Some(default) => write!(f, " = {default}")?,
                        None => f.write_str(" (required)")?,
                    }
                    for constraint in &field.constraints {
                        write!(f, ", {constraint}")?;
                    }
                    if !field.doc.is_empty() {
                        write!(f, "  // {}", one_line(field.doc))?;
                    }
                }
                for check in checks {
                    write!(f, "\n  check: {check}")?;
                }
            }
            SchemaKind::Enum { variants } => {
                for variant in variants {
                    write!(f, "\n  \"{}\"", variant.name)?;
                    if !variant.doc.is_empty() {
                        write!(f, "  // {}", one_line(variant.doc))?;
                    }
                }
            }
        }
        Ok(())
    }
}

fn one_line(doc: &str) -> String {
    doc.split_whitespace().collect::<Vec<_>>().join(" ")
}
