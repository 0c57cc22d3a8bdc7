//! Parameter groups by path pattern, and frozen parameters.

use super::{net, recipe, set_grad};
use minitrainer::optim::{
    Adam, AdamConfig, LearningRates, OptimError, Optimizer, ParamGroup, Sgd, SgdConfig,
};
use minitrainer::prelude::*;

#[test]
fn each_parameter_joins_the_first_matching_group_and_the_rest_the_default() -> Result<(), OptimError>
{
    let model = net(2);
    let config = SgdConfig {
        lr: 0.1,
        weight_decay: 0.5,
        ..SgdConfig::default()
    };
    let opt = Sgd::with_groups(&model, config, recipe())?;
    let groups = opt.param_groups();
    let summary: Vec<(Option<&str>, f64, f64, Vec<&str>)> = groups
        .iter()
        .map(|g| {
            let params = g.params.iter().map(String::as_str).collect();
            (g.pattern.as_deref(), g.lr, g.weight_decay, params)
        })
        .collect();
    assert_eq!(
        summary,
        [
            (None, 0.1, 0.5, vec!["head.weight"]),
            (
                Some("*.bias"),
                0.1,
                0.0,
                vec!["encoder.bias", "norm.bias", "head.bias"]
            ),
            (Some("norm.*"), 0.1, 0.0, vec!["norm.weight"]),
            (Some("encoder.*"), 0.01, 0.5, vec!["encoder.weight"]),
        ]
    );
    assert_eq!(opt.learning_rates(), [0.1, 0.1, 0.1, 0.01]);
    Ok(())
}

#[test]
fn biases_get_no_weight_decay_and_the_encoder_a_lower_lr() -> Result<(), OptimError> {
    let model = net(2);
    let config = SgdConfig {
        lr: 0.1,
        weight_decay: 0.5,
        ..SgdConfig::default()
    };
    let mut opt = Sgd::with_groups(&model, config, recipe())?;
    let before: Vec<(String, Vec<f32>)> = model
        .named_parameters()
        .into_iter()
        .map(|(n, p)| (n, p.to_vec()))
        .collect();
    for (_, p) in model.named_parameters() {
        set_grad(&p, &Tensor::full(p.shape(), 0.25));
    }
    opt.step();
    for ((name, p), (_, old)) in model.named_parameters().into_iter().zip(before) {
        let (lr, wd): (f32, f32) = match name.as_str() {
            "encoder.weight" => (0.01, 0.5),
            "head.weight" => (0.1, 0.5),
            _ => (0.1, 0.0), // biases and the norm weight
        };
        // SGD: p ← p + (-lr)·(g + wd·p), without the decay term when wd = 0 (as PyTorch)
        let expected: Vec<f32> = old
            .iter()
            .map(|&p| {
                let g = if wd == 0.0 { 0.25 } else { 0.25 + wd * p };
                p + -lr * g
            })
            .collect();
        assert_eq!(p.to_vec(), expected, "{name}");
    }
    Ok(())
}

#[test]
fn frozen_parameters_join_no_group_and_stay_untouched() -> Result<(), minitrainer::Error> {
    let model = net(2);
    model.freeze("head")?;
    let head_before = model.head.weight.to_vec();
    let mut opt = Adam::new(&model, AdamConfig::default())?;
    let all: Vec<String> = opt
        .param_groups()
        .into_iter()
        .flat_map(|g| g.params)
        .collect();
    assert_eq!(
        all,
        ["encoder.weight", "encoder.bias", "norm.weight", "norm.bias"]
    );
    let x = Tensor::ones(&[3, 4]);
    model.forward(x).sum().backward();
    opt.step();
    assert_eq!(model.head.weight.to_vec(), head_before);
    assert!(model.head.weight.grad().is_none());

    // A group of frozen parameters only is a pattern that matches nothing trainable.
    let err =
        Adam::with_groups(&model, AdamConfig::default(), [ParamGroup::new("head.*")]).unwrap_err();
    assert!(matches!(err, OptimError::NoMatch { .. }), "{err}");
    Ok(())
}

#[test]
fn a_pattern_that_matches_nothing_is_an_error_with_a_suggestion() {
    let model = net(2);
    let err = Adam::with_groups(
        &model,
        AdamConfig::default(),
        [ParamGroup::new("encodr").lr(1e-4)],
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "parameter group pattern `encodr` matches no trainable parameter; did you mean `encoder`?"
    );
    // A group whose parameters all joined an earlier group names that group.
    let err = Adam::with_groups(
        &model,
        AdamConfig::default(),
        [ParamGroup::new("*"), ParamGroup::new("*.bias")],
    )
    .unwrap_err();
    assert!(
        matches!(&err, OptimError::ShadowedGroup { pattern, earlier } if pattern == "*.bias" && earlier == "*"),
        "{err}"
    );
}

#[test]
fn a_group_override_breaking_a_rule_names_the_field() {
    let model = net(2);
    let err = Adam::with_groups(
        &model,
        AdamConfig::default(),
        [ParamGroup::new("*.bias").lr(-1.0)],
    )
    .unwrap_err();
    let OptimError::Config(config) = &err else {
        panic!("{err}")
    };
    assert_eq!(config.violations()[0].path, "lr");
}
