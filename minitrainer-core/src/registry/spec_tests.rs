//! The two spec forms, and every malformed input reporting where and what.

use serde_json::json;

use super::{ModelSpec, RegistryError};

fn fields(spec: &ModelSpec) -> serde_json::Value {
    serde_json::Value::Object(spec.fields.clone())
}

/// The column and message of a compact-form syntax error.
fn syntax_error(text: &str) -> (usize, String) {
    match ModelSpec::parse(text) {
        Err(RegistryError::Syntax {
            column, message, ..
        }) => (column, message),
        other => panic!("expected a syntax error for {text:?}, got {other:?}"),
    }
}

#[test]
fn compact_form_parses_json_literal_values() -> Result<(), RegistryError> {
    let spec = ModelSpec::parse(
        r#"mlp(in_dim=64, hidden=[64, 32], act="relu", bias=true, p=0.1, x=null)"#,
    )?;
    assert_eq!(spec.model_type, "mlp");
    assert_eq!(
        fields(&spec),
        json!({"in_dim": 64, "hidden": [64, 32], "act": "relu", "bias": true, "p": 0.1, "x": null})
    );
    let keys: Vec<_> = spec.fields.keys().cloned().collect();
    assert_eq!(
        keys,
        ["in_dim", "hidden", "act", "bias", "p", "x"],
        "order as written"
    );
    Ok(())
}

#[test]
fn compact_values_may_nest_and_hold_separators_inside_strings() -> Result<(), RegistryError> {
    let spec = ModelSpec::parse(
        r#"  enc ( layers = [{"kind": "a,b", "dims": [1, [2, 3]]}], name = "x) \"y\", z" , ) "#,
    )?;
    assert_eq!(spec.model_type, "enc");
    assert_eq!(
        fields(&spec),
        json!({"layers": [{"kind": "a,b", "dims": [1, [2, 3]]}], "name": "x) \"y\", z"})
    );
    Ok(())
}

#[test]
fn compact_form_without_fields() -> Result<(), RegistryError> {
    assert_eq!(ModelSpec::parse("relu")?.fields.len(), 0);
    assert_eq!(ModelSpec::parse("relu()")?.model_type, "relu");
    Ok(())
}

#[test]
fn json_and_compact_forms_agree() -> Result<(), RegistryError> {
    let compact = ModelSpec::parse("mlp(in_dim=64, hidden=[8])")?;
    let json = ModelSpec::parse(r#" {"model_type": "mlp", "in_dim": 64, "hidden": [8]} "#)?;
    assert_eq!(compact, json);
    assert_eq!(
        compact.to_json(),
        json!({"model_type": "mlp", "in_dim": 64, "hidden": [8]})
    );
    Ok(())
}

#[test]
fn missing_equals_sign_points_at_it() {
    let (column, message) = syntax_error("mlp(in_dim 64)");
    assert_eq!(column, 12);
    assert!(message.contains("expected `=` after `in_dim`"), "{message}");
}

#[test]
fn unclosed_call_is_reported_at_the_end() {
    let (column, message) = syntax_error("mlp(in_dim=64");
    assert_eq!(column, 14);
    assert!(message.contains("expected `)`"), "{message}");
}

#[test]
fn unclosed_list_names_the_missing_bracket() {
    let (_, message) = syntax_error("mlp(hidden=[64, 32)");
    assert!(message.contains("expected `]`"), "{message}");
}

#[test]
fn unbalanced_bracket_points_at_it() {
    let (column, message) = syntax_error("mlp(hidden=[64})");
    assert_eq!(column, 15);
    assert!(message.contains("unbalanced `}`"), "{message}");
}

#[test]
fn bare_word_value_suggests_quotes() {
    let (column, message) = syntax_error("mlp(act=relu)");
    assert_eq!(column, 9);
    assert!(
        message.contains(r#"strings need double quotes: act="relu""#),
        "{message}"
    );
}

#[test]
fn bad_json_value_points_inside_it() {
    let (column, message) = syntax_error("mlp(hidden=[1, 2,])");
    assert_eq!(column, 18, "{message}");
    assert!(
        message.contains("expected a JSON value for `hidden`"),
        "{message}"
    );
}

#[test]
fn empty_value_is_reported() {
    let (column, message) = syntax_error("mlp(in_dim=, out=2)");
    assert_eq!(column, 12);
    assert!(
        message.contains("expected a JSON value for `in_dim`"),
        "{message}"
    );
}

#[test]
fn duplicate_field_points_at_the_second() {
    let (column, message) = syntax_error("mlp(a=1, a=2)");
    assert_eq!(column, 10);
    assert!(message.contains("field `a` is given twice"), "{message}");
}

#[test]
fn missing_name_and_trailing_text_are_reported() {
    let (column, message) = syntax_error("(in_dim=1)");
    assert_eq!(column, 1);
    assert!(message.contains("expected a model name"), "{message}");
    let (column, message) = syntax_error("mlp(a=1) extra");
    assert_eq!(column, 10);
    assert!(message.contains("unexpected text"), "{message}");
    let (_, message) = syntax_error("");
    assert!(message.contains("expected a model name"), "{message}");
}

#[test]
fn syntax_error_display_shows_a_caret() {
    let error = ModelSpec::parse("mlp(act=relu)").expect_err("bad value");
    let text = error.to_string();
    assert!(
        text.starts_with("malformed model spec at column 9:"),
        "{text}"
    );
    assert!(text.ends_with("\n  mlp(act=relu)\n          ^"), "{text:?}");
}

#[test]
fn malformed_json_reports_line_and_column() {
    let error =
        ModelSpec::parse("{\"model_type\": \"mlp\",\n \"in_dim\": }").expect_err("bad JSON");
    assert!(matches!(error, RegistryError::Json(_)), "{error:?}");
    assert!(error.to_string().contains("line 2 column"), "{error}");
}

#[test]
fn json_must_be_an_object_with_a_string_model_type() {
    let error = ModelSpec::from_json(json!([1, 2])).expect_err("a list");
    assert!(error.to_string().contains("got a list"), "{error}");

    let error = ModelSpec::parse(r#"{"in_dim": 64}"#).expect_err("no model_type");
    assert!(
        matches!(error, RegistryError::MissingModelType { found: None, ref keys } if keys == &["in_dim"]),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("missing \"model_type\""),
        "{error}"
    );

    let error = ModelSpec::parse(r#"{"model_type": 3}"#).expect_err("not a string");
    assert!(error.to_string().contains("must be a string"), "{error}");
}

#[test]
fn a_lost_comma_is_reported_as_one() {
    let (column, message) = syntax_error("mlp(in_dim=4 out_dim=2)");
    assert_eq!(column, 14);
    assert_eq!(message, "expected `,` or `)` after the value of `in_dim`");
}
