//! `#[config(rename = "..")]` and `#[config(alias = "..")]` on config enum variants.

use minitrainer::prelude::*;
use serde_json::json;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// An activation whose variants were renamed.
#[derive(Config, Clone, Copy, Debug, PartialEq)]
pub enum Act {
    Relu,
    #[config(rename = "gelu-tanh", alias = "gelu_tanh")]
    #[config(alias = "approx_gelu")]
    GeluTanh,
    #[config(rename = "silu")]
    Swish,
}

#[derive(Config, Clone, Debug, PartialEq)]
pub struct HeadConfig {
    #[config(default = Act::GeluTanh)]
    pub act: Act,
}

// ---- round trip ----------------------------------------------------------------------------

#[test]
fn a_renamed_variant_is_written_and_read_under_its_new_name() -> TestResult {
    let config = HeadConfig { act: Act::Swish };
    let text = config.to_json();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&text)?,
        json!({"act": "silu"})
    );
    assert_eq!(HeadConfig::from_json(&text)?, config);
    assert_eq!(Act::GeluTanh.to_string(), "gelu-tanh");
    assert_eq!("gelu-tanh".parse::<Act>()?, Act::GeluTanh);
    Ok(())
}

#[test]
fn a_renamed_variant_is_no_longer_read_under_its_snake_case_name() {
    let result = HeadConfig::from_json(r#"{"act": "swish"}"#);
    assert!(result.is_err(), "{result:?}");
}

// ---- aliases -------------------------------------------------------------------------------

#[test]
fn every_alias_is_accepted_on_read_and_never_written() -> TestResult {
    for alias in ["gelu_tanh", "approx_gelu"] {
        let config = HeadConfig::from_json(&json!({ "act": alias }).to_string())?;
        assert_eq!(config.act, Act::GeluTanh);
        assert_eq!(config.to_value(), json!({"act": "gelu-tanh"}));
    }
    Ok(())
}

// ---- errors and schema ---------------------------------------------------------------------

#[test]
fn an_unknown_variant_error_lists_and_suggests_the_renamed_names() -> TestResult {
    let Err(err) = HeadConfig::from_json(r#"{"act": "sillu"}"#) else {
        return Err("an unknown variant must be refused".into());
    };
    assert_eq!(
        err.to_string(),
        r#"act: unknown variant "sillu"; did you mean "silu"? expected one of "relu", "gelu-tanh", "silu""#
    );
    Ok(())
}

#[test]
fn the_schema_lists_the_renamed_names_and_no_aliases() -> TestResult {
    assert_eq!(
        Act::schema().to_string(),
        "Act: An activation whose variants were renamed.\n  \"relu\"\n  \"gelu-tanh\"\n  \"silu\""
    );
    let json_schema = HeadConfig::schema().to_json_schema();
    assert_eq!(
        json_schema["$defs"]["Act"]["enum"],
        json!(["relu", "gelu-tanh", "silu"])
    );
    Ok(())
}
