//! Optimizers built by name, and the learning-rate seam.

use super::{OneParam, net, set_grad};
use minitrainer::optim::{
    LearningRates, OptimError, Optimizer, Sgd, SgdConfig, optimizer_from_str,
};
use minitrainer::prelude::*;

#[test]
fn optimizers_build_by_name_in_compact_or_json_form() -> Result<(), OptimError> {
    let model = net(2);
    let opt = optimizer_from_str(
        "adamw(lr=3e-4, weight_decay=0.05, betas=[0.9, 0.95])",
        &model,
    )?;
    assert_eq!(opt.name(), "adamw");
    let config = &opt.param_groups()[0].config;
    assert_eq!(
        (config["lr"].as_f64(), config["beta2"].as_f64()),
        (Some(3e-4), Some(0.95))
    );
    let opt = optimizer_from_str(r#"{"name": "RMSprop", "centered": true}"#, &model)?;
    assert_eq!((opt.name(), opt.learning_rates()), ("rmsprop", vec![1e-2]));
    for name in minitrainer::optim::OPTIMIZERS {
        assert_eq!(optimizer_from_str(name, &model)?.name(), *name);
    }
    Ok(())
}

#[test]
fn unknown_optimizer_suggests_the_closest_name() {
    let err = optimizer_from_str("adamv(lr=1e-3)", &net(2)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown optimizer \"adamv\"; did you mean \"adam\"?; known optimizers: sgd, adam, \
         adamw, rmsprop, adagrad"
    );
}

#[test]
fn bad_fields_are_config_errors_naming_the_field() {
    let model = net(2);
    let message = |text: &str| optimizer_from_str(text, &model).unwrap_err().to_string();
    assert!(message("adam(beta1=1.0)").contains("beta1: must be in 0.0..1.0"));
    assert!(message("sgd(lr=0.1, nesterov=true)").contains("nesterov momentum requires"));
    assert!(message("rmsprop(alpha=-0.1)").contains("alpha"));
    assert!(message("adagrad(lr_dacay=0.1)").contains("did you mean \"lr_decay\""));
    assert!(message(r#"{"lr": 0.1}"#).contains("name"));
    assert!(message("adam(betas=[0.9])").contains("betas"));
    assert!(message("adam(lr=1e-3").contains("column"));
}

#[test]
fn a_scheduler_sets_the_learning_rate_the_next_step_uses() -> Result<(), OptimError> {
    let model = OneParam {
        p: Param::new(&Tensor::ones(&[2])),
    };
    let mut opt = Sgd::new(
        &model,
        SgdConfig {
            lr: 0.1,
            ..SgdConfig::default()
        },
    )?;
    opt.set_learning_rates(&[0.5]);
    set_grad(&model.p, &Tensor::ones(&[2]));
    opt.step();
    // p ← 1 + (-0.5)·1
    assert_eq!(model.p.to_vec(), [0.5, 0.5]);
    Ok(())
}
