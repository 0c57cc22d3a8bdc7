//! JSON: round trips, readable output, old files, unknown keys, typos, type errors; a property test.

use super::*;

// ---- JSON ----------------------------------------------------------------------------------

fn every_type() -> EveryTypeConfig {
    EveryTypeConfig {
        a_u8: u8::MAX,
        a_u16: u16::MAX,
        a_u32: u32::MAX,
        a_u64: u64::MAX,
        a_u128: u128::MAX,
        a_usize: usize::MAX,
        a_i8: i8::MIN,
        a_i16: i16::MIN,
        a_i32: i32::MIN,
        a_i64: i64::MIN,
        a_i128: i128::MIN,
        a_isize: isize::MIN,
        a_f32: 0.1,
        a_f64: 1e-8,
        a_bool: true,
        a_string: "héllo \"quoted\"\n".to_owned(),
        a_vec: vec![0.1, 1e-8, -3.5, f32::MAX, f32::MIN_POSITIVE],
        an_option: Some(-7),
        a_nested: LayerConfig {
            width: 3,
            activation: Activation::LeakyRelu,
        },
        an_enum: Activation::Gelu,
        nested_list: vec![LayerConfig {
            width: 1,
            activation: Activation::Relu,
        }],
    }
}

#[test]
fn every_field_type_round_trips_through_json() -> TestResult {
    let config = every_type();
    let back = EveryTypeConfig::from_json(&config.to_json())?;
    assert_eq!(back, config);
    assert_eq!(back.a_f32.to_bits(), 0.1f32.to_bits());
    let none = EveryTypeConfig {
        an_option: None,
        ..config
    };
    assert_eq!(EveryTypeConfig::from_json(&none.to_json())?, none);
    Ok(())
}

#[test]
fn json_is_written_readably() -> TestResult {
    let value = every_type().to_value();
    assert_eq!(value["a_f32"], json!(0.1));
    assert_eq!(value["a_f64"], json!(1e-8));
    assert_eq!(value["an_enum"], json!("gelu"));
    assert_eq!(
        value["a_nested"],
        json!({"width": 3, "activation": "leaky_relu"})
    );
    assert_eq!(value["a_u128"], json!(u128::MAX.to_string()));
    Ok(())
}

#[test]
fn old_config_files_missing_a_defaulted_field_still_load() -> TestResult {
    // Written before `dropout` and `activation` existed.
    let config = MlpConfig::from_json(r#"{"in_dim": 4, "hidden": [8], "out_dim": 2}"#)?;
    assert_eq!(config.dropout, 0.0);
    assert_eq!(config.activation, Activation::Relu);
    Ok(())
}

#[test]
fn unknown_keys_are_rejected_with_a_suggestion() {
    let err = MlpConfig::from_json(r#"{"in_dim": 4, "out_dim": 2, "hiden": [8], "zzz": 1}"#)
        .expect_err("unknown keys");
    assert_eq!(
        messages(&err),
        [
            r#"unknown field "hiden"; did you mean "hidden"?"#,
            r#"unknown field "zzz""#
        ]
    );
    assert_eq!(
        err.violations()[0].kind,
        ViolationKind::UnknownField {
            suggestion: Some("hidden".to_owned())
        }
    );
}

#[test]
fn enum_typos_get_a_suggestion() {
    let err = MlpConfig::from_json(r#"{"in_dim": 4, "out_dim": 2, "activation": "Relu"}"#)
        .expect_err("variant names are snake_case");
    assert_eq!(
        err.to_string(),
        r#"activation: unknown variant "Relu"; did you mean "relu"? expected one of "relu", "gelu", "leaky_relu""#
    );
    let parsed: Result<Activation, _> = "geluu".parse();
    assert!(parsed.is_err());
    assert_eq!(
        "leaky_relu".parse::<Activation>().ok(),
        Some(Activation::LeakyRelu)
    );
}

#[test]
fn type_errors_and_missing_fields_are_all_named() {
    let err = MlpConfig::from_json(r#"{"hidden": [1, -2], "dropout": "high"}"#)
        .expect_err("bad types, two missing");
    assert_eq!(
        messages(&err),
        [
            "hidden.1: expected usize, got -2",
            r#"dropout: expected f32, got "high""#,
            r#"missing required field "in_dim""#,
            r#"missing required field "out_dim""#,
        ]
    );
    let not_object = MlpConfig::from_json("[1]").expect_err("not an object");
    assert_eq!(not_object.to_string(), "expected MlpConfig, got [1]");
}

#[test]
fn malformed_json_reports_line_and_column() {
    let err =
        MlpConfig::from_json("{\n  \"in_dim\": 4,\n  \"out_dim\" 2\n}").expect_err("no colon");
    assert_eq!(
        err,
        ConfigError::Json {
            line: 3,
            column: 13,
            message: "expected `:`".to_owned(),
        }
    );
    assert_eq!(
        err.to_string(),
        "malformed JSON at line 3, column 13: expected `:`"
    );
}

#[test]
fn config_errors_convert_into_the_crate_error() {
    fn load() -> minitrainer::Result<MlpConfig> {
        Ok(MlpConfig::from_json(r#"{"in_dim": 0, "out_dim": 1}"#)?)
    }
    let err = load().expect_err("min = 1");
    assert_eq!(err.to_string(), "in_dim: must be >= 1, got 0");
}

// ---- property ------------------------------------------------------------------------------

fn activation() -> impl Strategy<Value = Activation> {
    prop_oneof![
        Just(Activation::Relu),
        Just(Activation::Gelu),
        Just(Activation::LeakyRelu)
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_built_config_survives_a_json_round_trip(
        in_dim in 1usize..100_000,
        hidden in proptest::collection::vec(any::<usize>(), 1..5),
        out_dim in 1usize..=usize::MAX,
        dropout in 0.0f32..1.0,
        activation in activation(),
        bits in any::<u32>(),
        scale in any::<f64>().prop_filter("finite", |x| x.is_finite()),
        tiny in any::<f32>().prop_filter("finite", |x| x.is_finite()),
        name in ".*",
        seed in any::<Option<i64>>(),
    ) {
        let mlp = MlpConfig::builder()
            .in_dim(in_dim)
            .hidden(hidden)
            .out_dim(out_dim)
            .dropout(dropout)
            .activation(activation)
            .build()?;
        prop_assert_eq!(MlpConfig::from_json(&mlp.to_json())?, mlp);

        let every = EveryTypeConfig {
            a_u32: bits,
            a_f64: scale,
            a_f32: tiny,
            a_vec: vec![tiny, dropout],
            a_string: name,
            an_option: seed.map(|s| s as i32),
            ..every_type()
        };
        let back = EveryTypeConfig::from_json(&every.to_json())?;
        prop_assert_eq!(back.a_f32.to_bits(), every.a_f32.to_bits());
        prop_assert_eq!(back.a_f64.to_bits(), every.a_f64.to_bits());
        prop_assert_eq!(back, every);
    }
}
