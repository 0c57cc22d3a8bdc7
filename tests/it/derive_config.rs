//! `#[derive(Config)]` as a user sees it.

use minitrainer::config::{CheckError, Constraint, ViolationKind};
use minitrainer::prelude::*;
use proptest::prelude::*;
use serde_json::json;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// How a layer transforms its input.
#[derive(Config, Clone, Copy, Debug, PartialEq)]
pub enum Activation {
    /// max(0, x).
    Relu,
    Gelu,
    LeakyRelu,
}

/// A multi-layer perceptron.
#[derive(Config, Clone, Debug, PartialEq)]
pub struct MlpConfig {
    /// Number of input features.
    #[config(min = 1)]
    pub in_dim: usize,
    /// Hidden layer widths.
    #[config(default = vec![128], non_empty)]
    pub hidden: Vec<usize>,
    #[config(min = 1)]
    pub out_dim: usize,
    /// Probability of zeroing an activation.
    #[config(default = 0.0, range = 0.0..1.0)]
    pub dropout: f32,
    #[config(default = Activation::Relu)]
    pub activation: Activation,
}

fn positive_lr(lr: &f64) -> Result<(), String> {
    if *lr > 0.0 {
        Ok(())
    } else {
        Err("must be positive".to_owned())
    }
}

/// One field per rule kind; every default satisfies every rule.
#[derive(Config, Clone, Debug, PartialEq)]
pub struct RulesConfig {
    #[config(default = 1, min = 1)]
    pub at_least_one: u32,
    #[config(default = 10, max = 10)]
    pub at_most_ten: i64,
    #[config(default = 0.5, range = 0.0..1.0)]
    pub fraction: f32,
    #[config(default = 8, range = 1..=8)]
    pub heads: u8,
    #[config(default = String::from("x"), non_empty)]
    pub name: String,
    #[config(default = vec![1], non_empty)]
    pub widths: Vec<usize>,
    #[config(default = 2, one_of = [1, 2, 4])]
    pub bits: u8,
    #[config(default = String::from("adam"), one_of = ["adam", "sgd"])]
    pub optimizer: String,
    #[config(default = Activation::Relu, one_of = [Activation::Relu, Activation::Gelu])]
    pub activation: Activation,
    #[config(default = 0.001, validate = positive_lr)]
    pub lr: f64,
    #[config(min = 1)]
    pub seed: Option<u64>,
}

#[derive(Config, Clone, Debug, PartialEq)]
pub struct OptimizerConfig {
    #[config(range = 0.0..=1.0)]
    pub lr: f64,
    #[config(default = 0.9, range = 0.0..1.0)]
    pub momentum: f64,
}

#[derive(Config, Clone, Debug, PartialEq)]
pub struct LayerConfig {
    #[config(min = 1)]
    pub width: usize,
    #[config(default = Activation::Relu)]
    pub activation: Activation,
}

fn heads_divide_width(c: &AttentionConfig) -> Result<(), CheckError> {
    if c.d_model.is_multiple_of(c.n_heads) {
        Ok(())
    } else {
        Err(CheckError::new(
            ["d_model", "n_heads"],
            format!(
                "d_model ({}) must be divisible by n_heads ({})",
                c.d_model, c.n_heads
            ),
        ))
    }
}

#[derive(Config, Clone, Debug, PartialEq)]
#[config(check = heads_divide_width)]
pub struct AttentionConfig {
    #[config(min = 1)]
    pub d_model: usize,
    #[config(min = 1)]
    pub n_heads: usize,
}

#[derive(Config, Clone, Debug, PartialEq)]
pub struct TrainConfig {
    pub optimizer: OptimizerConfig,
    #[config(default = vec![])]
    pub layers: Vec<LayerConfig>,
    pub attention: Option<AttentionConfig>,
}

/// Floats in every position a field can hold one, none with a rule.
#[derive(Config, Clone, Debug, PartialEq)]
pub struct FiniteConfig {
    pub clip: f32,
    #[config(default = vec![])]
    pub scales: Vec<f64>,
    pub limit: Option<f64>,
    pub optimizer: Option<OptimizerConfig>,
}

/// Every supported field type.
#[derive(Config, Clone, Debug, PartialEq)]
pub struct EveryTypeConfig {
    pub a_u8: u8,
    pub a_u16: u16,
    pub a_u32: u32,
    pub a_u64: u64,
    pub a_u128: u128,
    pub a_usize: usize,
    pub a_i8: i8,
    pub a_i16: i16,
    pub a_i32: i32,
    pub a_i64: i64,
    pub a_i128: i128,
    pub a_isize: isize,
    pub a_f32: f32,
    pub a_f64: f64,
    pub a_bool: bool,
    pub a_string: String,
    pub a_vec: Vec<f32>,
    pub an_option: Option<i32>,
    pub a_nested: LayerConfig,
    pub an_enum: Activation,
    pub nested_list: Vec<LayerConfig>,
}

fn messages(err: &ConfigError) -> Vec<String> {
    err.violations().iter().map(ToString::to_string).collect()
}

// ---- builder -------------------------------------------------------------------------------

#[test]
fn builder_fills_defaults() -> TestResult {
    let config = MlpConfig::builder().in_dim(64).out_dim(10).build()?;
    assert_eq!(config.hidden, [128]);
    assert_eq!(config.dropout, 0.0);
    assert_eq!(config.activation, Activation::Relu);
    Ok(())
}

#[test]
fn build_reports_every_violation_at_once() {
    let err = MlpConfig::builder()
        .in_dim(0)
        .out_dim(0)
        .hidden(vec![])
        .dropout(1.5)
        .build()
        .expect_err("four rules are broken");
    assert_eq!(
        err.to_string(),
        "in_dim: must be >= 1, got 0\n\
         hidden: must not be empty, got []\n\
         out_dim: must be >= 1, got 0\n\
         dropout: must be in 0.0..1.0, got 1.5"
    );
    let first = &err.violations()[0];
    assert_eq!(first.path, "in_dim");
    assert_eq!(
        first.kind,
        ViolationKind::Rule {
            rule: "min",
            expected: "must be >= 1".to_owned(),
            value: "0".to_owned(),
        }
    );
}

#[test]
fn with_field_validates_and_leaves_the_original_unchanged() -> TestResult {
    let config = MlpConfig::builder().in_dim(64).out_dim(10).build()?;
    let wider = config.with_hidden(vec![256, 256])?;
    assert_eq!(wider.hidden, [256, 256]);
    let err = config.with_in_dim(0).expect_err("min = 1");
    assert_eq!(err.to_string(), "in_dim: must be >= 1, got 0");
    assert_eq!(config.in_dim, 64);
    Ok(())
}

#[test]
fn option_fields_have_value_and_maybe_setters() -> TestResult {
    let optimizer = OptimizerConfig::builder().lr(0.1).build()?;
    let attention = AttentionConfig::builder().d_model(8).n_heads(2).build()?;
    let with = TrainConfig::builder()
        .optimizer(optimizer.clone())
        .attention(attention.clone())
        .build()?;
    assert_eq!(with.attention, Some(attention));
    let without = TrainConfig::builder()
        .optimizer(optimizer)
        .maybe_attention(None)
        .build()?;
    assert_eq!(without.attention, None);
    assert_eq!(without.to_value()["attention"], json!(null));
    Ok(())
}

#[test]
fn configs_work_as_trait_objects() -> TestResult {
    let configs: Vec<Box<dyn Config>> = vec![
        Box::new(MlpConfig::builder().in_dim(1).out_dim(1).build()?),
        Box::new(Activation::Gelu),
    ];
    for config in &configs {
        config.validate()?;
    }
    assert_eq!(configs[1].to_json(), r#""gelu""#);
    assert_eq!(configs[1].to_string(), "gelu");
    Ok(())
}

#[test]
fn default_exists_when_every_field_has_one() -> TestResult {
    let config = RulesConfig::default();
    config.validate()?;
    assert_eq!(config.seed, None);
    assert_eq!(config.optimizer, "adam");
    Ok(())
}

#[test]
fn validate_catches_changes_made_through_public_fields() {
    let config = RulesConfig {
        heads: 0,
        ..RulesConfig::default()
    };
    let err = config.validate().expect_err("range = 1..=8");
    assert_eq!(err.to_string(), "heads: must be in 1..=8, got 0");
}

#[test]
fn display_is_one_readable_line() -> TestResult {
    let config = MlpConfig::builder()
        .in_dim(64)
        .out_dim(10)
        .dropout(0.1)
        .build()?;
    assert_eq!(
        config.to_string(),
        r#"MlpConfig { in_dim: 64, hidden: [128], out_dim: 10, dropout: 0.1, activation: "relu" }"#
    );
    Ok(())
}

// ---- each rule kind --------------------------------------------------------------------------

#[test]
fn every_rule_kind_accepts_valid_values() -> TestResult {
    let config = RulesConfig::from_value(json!({
        "at_least_one": 5, "at_most_ten": -3, "fraction": 0.0, "heads": 8, "name": "n",
        "widths": [2, 3], "bits": 4, "optimizer": "sgd", "activation": "gelu", "lr": 0.5,
        "seed": 1,
    }))?;
    assert_eq!(config.heads, 8);
    assert_eq!(config.seed, Some(1));
    Ok(())
}

#[test]
fn every_rule_kind_rejects_invalid_values() {
    let cases = [
        (
            json!({"at_least_one": 0}),
            "min",
            "at_least_one: must be >= 1, got 0",
        ),
        (
            json!({"at_most_ten": 11}),
            "max",
            "at_most_ten: must be <= 10, got 11",
        ),
        (
            json!({"fraction": 1.0}),
            "range",
            "fraction: must be in 0.0..1.0, got 1.0",
        ),
        (
            json!({"fraction": -0.25}),
            "range",
            "fraction: must be in 0.0..1.0, got -0.25",
        ),
        (
            json!({"heads": 9}),
            "range",
            "heads: must be in 1..=8, got 9",
        ),
        (
            json!({"name": ""}),
            "non_empty",
            r#"name: must not be empty, got """#,
        ),
        (
            json!({"widths": []}),
            "non_empty",
            "widths: must not be empty, got []",
        ),
        (
            json!({"bits": 3}),
            "one_of",
            "bits: must be one of [1,2,4], got 3",
        ),
        (
            json!({"optimizer": "adamw"}),
            "one_of",
            r#"optimizer: must be one of ["adam","sgd"], got "adamw""#,
        ),
        (
            json!({"activation": "leaky_relu"}),
            "one_of",
            r#"activation: must be one of ["relu","gelu"], got "leaky_relu""#,
        ),
        (
            json!({"lr": 0.0}),
            "validate",
            "lr: must be positive, got 0.0",
        ),
        (json!({"seed": 0}), "min", "seed: must be >= 1, got 0"),
    ];
    for (input, rule, message) in cases {
        let err = RulesConfig::from_value(input.clone()).expect_err(message);
        assert_eq!(messages(&err), [message], "input {input}");
        assert!(
            matches!(&err.violations()[0].kind, ViolationKind::Rule { rule: r, .. } if *r == rule),
            "input {input}: {:?}",
            err.violations()
        );
    }
}

#[test]
fn cross_field_check_names_the_fields_involved() -> TestResult {
    AttentionConfig::builder().d_model(12).n_heads(4).build()?;
    let err = AttentionConfig::builder()
        .d_model(10)
        .n_heads(3)
        .build()
        .expect_err("10 % 3 != 0");
    assert_eq!(
        err.to_string(),
        "d_model, n_heads: d_model (10) must be divisible by n_heads (3)"
    );
    Ok(())
}

#[test]
fn cross_field_check_waits_for_the_field_rules() {
    // n_heads = 0 would make the check divide by zero; the field rule reports it instead.
    let err = AttentionConfig::builder()
        .d_model(10)
        .n_heads(0)
        .build()
        .expect_err("min = 1");
    assert_eq!(messages(&err), ["n_heads: must be >= 1, got 0"]);
}

// ---- non-finite floats --------------------------------------------------------------------

#[test]
fn non_finite_floats_are_violations_naming_the_field() -> TestResult {
    FiniteConfig::builder().clip(1.0).build()?;
    for (clip, shown) in [
        (f32::INFINITY, "inf"),
        (f32::NEG_INFINITY, "-inf"),
        (f32::NAN, "NaN"),
    ] {
        let err = FiniteConfig::builder()
            .clip(clip)
            .build()
            .expect_err("not finite");
        assert_eq!(
            messages(&err),
            [format!("clip: must be a finite number, got {shown}")]
        );
    }
    Ok(())
}

#[test]
fn non_finite_floats_inside_vec_option_and_nested_configs_are_found() -> TestResult {
    let err = FiniteConfig::builder()
        .clip(0.5)
        .scales(vec![1.0, f64::INFINITY, 2.0, f64::NAN])
        .limit(f64::NEG_INFINITY)
        .optimizer(OptimizerConfig {
            lr: 0.1,
            momentum: f64::INFINITY,
        })
        .build()
        .expect_err("not finite");
    assert_eq!(
        messages(&err),
        [
            "scales.1: must be a finite number, got inf",
            "scales.3: must be a finite number, got NaN",
            "limit: must be a finite number, got -inf",
            // The range rule fails too; both name the value as Rust prints it.
            "optimizer.momentum: must be in 0.0..1.0, got inf",
            "optimizer.momentum: must be a finite number, got inf",
        ]
    );
    Ok(())
}

#[test]
fn non_finite_floats_are_refused_by_with_and_validate_so_json_always_round_trips() -> TestResult {
    let config = FiniteConfig::builder().clip(1.0).build()?;
    let err = config.with_clip(f32::NAN).expect_err("NaN");
    assert_eq!(messages(&err), ["clip: must be a finite number, got NaN"]);
    let mut changed = config.clone();
    changed.clip = f32::INFINITY;
    let err = changed.validate().expect_err("inf");
    assert_eq!(messages(&err), ["clip: must be a finite number, got inf"]);
    assert!(matches!(
        &err.violations()[0].kind,
        ViolationKind::Rule { rule: "finite", .. }
    ));
    // What validates reads back equal, extremes included.
    let extreme = FiniteConfig::builder()
        .clip(f32::MAX)
        .scales(vec![f64::MIN, f64::MIN_POSITIVE])
        .build()?;
    assert_eq!(FiniteConfig::from_json(&extreme.to_json())?, extreme);
    // Beyond the f32 range in JSON is a type error, never an infinity.
    let err = FiniteConfig::from_json(r#"{"clip": 1e39}"#).expect_err("too large");
    assert_eq!(messages(&err), ["clip: expected f32, got 1e+39"]);
    Ok(())
}

// ---- nesting -------------------------------------------------------------------------------

#[test]
fn nested_rules_report_dotted_paths() {
    let err = TrainConfig::from_json(
        r#"{
            "optimizer": {"lr": 2.0},
            "layers": [{"width": 4}, {"width": 0}],
            "attention": {"d_model": 10, "n_heads": 4}
        }"#,
    )
    .expect_err("three nested problems");
    assert_eq!(
        messages(&err),
        [
            "optimizer.lr: must be in 0.0..=1.0, got 2.0",
            "layers.1.width: must be >= 1, got 0",
            "attention.d_model, attention.n_heads: d_model (10) must be divisible by n_heads (4)",
        ]
    );
}

#[test]
fn nested_parse_problems_report_dotted_paths() {
    let err = TrainConfig::from_json(r#"{"optimizer": {"lrr": 0.1}, "layers": [{"width": "4"}]}"#)
        .expect_err("typo and wrong type");
    assert_eq!(
        messages(&err),
        [
            r#"optimizer: unknown field "lrr"; did you mean "lr"?"#,
            r#"optimizer: missing required field "lr""#,
            r#"layers.0.width: expected usize, got "4""#,
        ]
    );
    assert_eq!(err.violations()[0].path, "optimizer.lrr");
}

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
