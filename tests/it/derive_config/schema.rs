//! The run-time schema and its JSON Schema export.

use super::*;

// ---- schema --------------------------------------------------------------------------------

#[test]
fn schema_lists_fields_with_types_defaults_constraints_and_docs() {
    let schema = MlpConfig::schema();
    assert_eq!(schema.name(), "MlpConfig");
    assert_eq!(schema.doc(), "A multi-layer perceptron.");
    let names: Vec<_> = schema.fields().iter().map(|f| f.name()).collect();
    assert_eq!(
        names,
        ["in_dim", "hidden", "out_dim", "dropout", "activation"]
    );
    let hidden = schema.field("hidden").expect("hidden is a field");
    assert_eq!(hidden.type_name(), "Vec<usize>");
    assert_eq!(hidden.default(), Some(&json!([128])));
    assert_eq!(hidden.constraints(), [Constraint::NonEmpty]);
    assert_eq!(hidden.doc(), "Hidden layer widths.");
    let in_dim = schema.field("in_dim").expect("in_dim is a field");
    assert!(in_dim.is_required());
    assert_eq!(in_dim.constraints(), [Constraint::Min(json!(1))]);
    assert_eq!(
        schema.to_string(),
        "MlpConfig: A multi-layer perceptron.\n  \
         in_dim: usize (required), min = 1  // Number of input features.\n  \
         hidden: Vec<usize> = [128], non_empty  // Hidden layer widths.\n  \
         out_dim: usize (required), min = 1\n  \
         dropout: f32 = 0.0, range = 0.0..1.0  // Probability of zeroing an activation.\n  \
         activation: Activation = \"relu\""
    );
}

#[test]
fn json_schema_document_is_exact() {
    assert_eq!(
        MlpConfig::schema().to_json_schema(),
        json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "MlpConfig",
            "description": "A multi-layer perceptron.",
            "type": "object",
            "properties": {
                "in_dim": {
                    "type": "integer", "minimum": 1,
                    "description": "Number of input features."
                },
                "hidden": {
                    "type": "array", "items": {"type": "integer", "minimum": 0},
                    "minItems": 1, "description": "Hidden layer widths.", "default": [128]
                },
                "out_dim": {"type": "integer", "minimum": 1},
                "dropout": {
                    "type": "number", "minimum": 0.0, "exclusiveMaximum": 1.0,
                    "description": "Probability of zeroing an activation.", "default": 0.0
                },
                "activation": {"$ref": "#/$defs/Activation", "default": "relu"}
            },
            "required": ["in_dim", "out_dim"],
            "additionalProperties": false,
            "$defs": {
                "Activation": {
                    "description": "How a layer transforms its input.",
                    "type": "string",
                    "enum": ["relu", "gelu", "leaky_relu"]
                }
            }
        })
    );
}

#[test]
fn enum_schema_lists_variant_names_and_docs() {
    let schema = Activation::schema();
    assert_eq!(
        schema.to_string(),
        "Activation: How a layer transforms its input.\n  \"relu\"  // max(0, x).\n  \"gelu\"\n  \"leaky_relu\""
    );
}
