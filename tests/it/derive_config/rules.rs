//! Each rule kind, non-finite floats, and nested configs with dotted paths.

use super::*;

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
