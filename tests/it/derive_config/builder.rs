//! The generated builder: defaults, every violation at once, `with_*`, trait objects.

use super::*;

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
