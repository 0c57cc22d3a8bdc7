//! Optimizers: PyTorch's float32 trajectories through real parameters, parameter groups,
//! frozen parameters, state save/load, and building by name.

use std::path::PathBuf;

use minitrainer::optim::{
    Adam, AdamConfig, AdamW, AdamWConfig, LearningRates, OptimError, Optimizer, ParamGroup, Sgd,
    SgdConfig, optimizer_from_str,
};
use minitrainer::prelude::*;
use serde_json::{Map, Value};

/// Absolute tolerance against PyTorch's float32 trajectories (about 2 ulps at 1).
const F32_TOLERANCE: f64 = 2.5e-7;

const SHARED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/fixtures/optim_reference.json"
);
const EXTRA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/minitrainer-core/tests/fixtures/optim_extra.json"
);

// ---- PyTorch float32 trajectories ----------------------------------------------------------

#[derive(Module)]
struct OneParam {
    p: Param,
}

fn flat(value: &Value) -> Vec<f32> {
    match value {
        Value::Array(items) => items.iter().flat_map(flat).collect(),
        // The fixture's float32 values are exact f32s written as f64 decimals.
        other => vec![other.as_f64().expect("a number") as f32],
    }
}

/// `{"name": …, hyperparameters…}` for the factory, from the fixture's torch class and kwargs.
fn spec(case: &Value) -> String {
    let class = case["torch_class"].as_str().unwrap();
    let name = class
        .trim_start_matches("torch.optim.")
        .to_ascii_lowercase();
    let mut fields: Map<String, Value> = case["hyperparams"].as_object().unwrap().clone();
    fields.insert("name".into(), Value::String(name));
    Value::Object(fields).to_string()
}

/// Sets `param`'s gradient to exactly `grad`: d Σ(p·g)/dp = g.
fn set_grad(param: &Param, grad: &Tensor) {
    param.zero_grad();
    param.mul(grad).sum().backward();
}

/// Runs every case of a fixture through `optimizer_from_str` and a real `Param`; returns the
/// number of cases and the largest difference from PyTorch.
fn check_float32(path: &str) -> Result<(usize, f64), minitrainer::Error> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let data: Value = serde_json::from_str(&text).unwrap();
    let cases = data["optimizers"].as_object().unwrap();
    let mut worst = 0.0f64;
    for (name, case) in cases {
        let model = OneParam {
            p: Param::new(&Tensor::from_vec(flat(&data["p0"]), &[3, 4])?),
        };
        let mut opt = optimizer_from_str(&spec(case), &model)?;
        let steps = case["float32"].as_array().unwrap();
        for (t, (grad, want)) in data["grads"]
            .as_array()
            .unwrap()
            .iter()
            .zip(steps)
            .enumerate()
        {
            set_grad(&model.p, &Tensor::from_vec(flat(grad), &[3, 4])?);
            opt.step();
            for (i, (got, want)) in model.p.to_vec().into_iter().zip(flat(want)).enumerate() {
                let diff = (f64::from(got) - f64::from(want)).abs();
                worst = worst.max(diff);
                assert!(
                    diff <= F32_TOLERANCE,
                    "{name}, step {}, element {i}: got {got:e}, PyTorch {want:e}",
                    t + 1
                );
            }
        }
    }
    Ok((cases.len(), worst))
}

#[test]
fn every_optimizer_matches_pytorch_float32_on_the_shared_fixture() -> Result<(), minitrainer::Error>
{
    let (cases, worst) = check_float32(SHARED)?;
    assert_eq!(cases, 4);
    assert!(worst <= F32_TOLERANCE, "largest difference {worst:e}");
    Ok(())
}

#[test]
fn amsgrad_nesterov_dampening_centered_and_lr_decay_match_pytorch_float32()
-> Result<(), minitrainer::Error> {
    let (cases, worst) = check_float32(EXTRA)?;
    assert_eq!(cases, 11);
    assert!(worst <= F32_TOLERANCE, "largest difference {worst:e}");
    Ok(())
}

// ---- parameter groups ----------------------------------------------------------------------

#[derive(Module)]
struct Net {
    encoder: Linear,
    norm: LayerNorm,
    head: Linear,
}

impl Forward for Net {
    type Output = Tensor;
    fn forward(&self, x: Tensor) -> Tensor {
        self.head.call(self.norm.call(self.encoder.call(x).tanh()))
    }
}

fn net(out: usize) -> Net {
    let mut init = Init::seeded(7);
    Net {
        encoder: Linear::build(&LinearConfig::new(4, 4), &mut init),
        norm: LayerNorm::build(&LayerNormConfig::new(4), &mut init),
        head: Linear::build(&LinearConfig::new(4, out), &mut init),
    }
}

/// No weight decay on biases and norm weights, a lower lr for the encoder.
fn recipe() -> [ParamGroup; 3] {
    [
        ParamGroup::new("*.bias").weight_decay(0.0),
        ParamGroup::new("norm.*").weight_decay(0.0),
        ParamGroup::new("encoder.*").lr(0.01),
    ]
}

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

// ---- state ---------------------------------------------------------------------------------

fn temp_file(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!(
        "minitrainer-optim-{}-{name}.safetensors",
        std::process::id()
    ))
}

fn train_step(model: &Net, opt: &mut dyn Optimizer, x: &Tensor) {
    let y = model.forward(x.clone());
    y.mul(&y).mean().backward();
    opt.step();
    opt.zero_grad();
}

fn adamw(model: &Net) -> Result<AdamW, OptimError> {
    let config = AdamWConfig {
        lr: 1e-2,
        amsgrad: true,
        ..AdamWConfig::default()
    };
    AdamW::with_groups(model, config, recipe())
}

#[test]
fn three_steps_saved_loaded_and_two_more_equal_five_uninterrupted_bitwise()
-> Result<(), minitrainer::Error> {
    let x = Tensor::randn(&[5, 4], 0.0, 1.0, &mut seeded_rng(3));
    let straight = net(2);
    let mut opt = adamw(&straight)?;
    for _ in 0..5 {
        train_step(&straight, &mut opt, &x);
    }

    let resumed = net(2);
    let mut first = adamw(&resumed)?;
    for _ in 0..3 {
        train_step(&resumed, &mut first, &x);
    }
    let path = temp_file("resume");
    first.save_state(&path)?;
    drop(first);
    let mut second = adamw(&resumed)?;
    second.set_learning_rates(&[0.5; 4]); // overwritten by the saved hyperparameters
    second.load_state(&path)?;
    std::fs::remove_file(&path).ok();
    assert_eq!(second.learning_rates(), [1e-2, 1e-2, 1e-2, 1e-2]);
    for _ in 0..2 {
        train_step(&resumed, &mut second, &x);
    }
    for ((name, a), (_, b)) in straight
        .named_parameters()
        .into_iter()
        .zip(resumed.named_parameters())
    {
        assert_eq!(a.to_vec(), b.to_vec(), "{name}");
    }
    let (a, b) = (opt.state_dict(), second.state_dict());
    assert_eq!(a.steps, b.steps);
    assert_eq!(a.steps["head.weight"], 5);
    let key = |s: &minitrainer::optim::OptimizerState, k: &str| {
        s.tensors
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, t)| t.to_vec())
    };
    assert_eq!(
        key(&a, "encoder.weight.max_exp_avg_sq"),
        key(&b, "encoder.weight.max_exp_avg_sq")
    );
    assert!(key(&a, "encoder.weight.max_exp_avg_sq").is_some());
    Ok(())
}

/// Learning rates, buffers and step counts: what a refused load must leave unchanged.
type Snapshot = (Vec<f64>, Vec<(String, Vec<f32>)>, Vec<u64>);

fn snapshot(opt: &dyn Optimizer) -> Snapshot {
    let state = opt.state_dict();
    let tensors = state
        .tensors
        .iter()
        .map(|(n, t)| (n.clone(), t.to_vec()))
        .collect();
    (
        opt.learning_rates(),
        tensors,
        state.steps.values().copied().collect(),
    )
}

#[test]
fn state_that_does_not_fit_is_refused_listing_entries_and_changes_nothing()
-> Result<(), minitrainer::Error> {
    let x = Tensor::ones(&[2, 4]);
    let small = net(2);
    let mut saved = Adam::new(&small, AdamConfig::default())?;
    train_step(&small, &mut saved, &x);
    let state = saved.state_dict();

    // Same paths, another head shape.
    let wide = net(3);
    let mut opt = Adam::new(
        &wide,
        AdamConfig {
            lr: 0.5,
            ..AdamConfig::default()
        },
    )?;
    train_step(&wide, &mut opt, &x);
    let before = snapshot(&opt);
    let err = opt.load_state_dict(&state).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("nothing was loaded"), "{text}");
    assert!(
        text.contains("`head.weight.exp_avg` has shape [2, 4], the parameter [3, 4]"),
        "{text}"
    );
    assert!(
        text.contains("`head.bias.exp_avg_sq` has shape [2]"),
        "{text}"
    );
    assert_eq!(snapshot(&opt), before);

    // Missing and unexpected buffers.
    let mut broken = state.clone();
    broken.tensors.retain(|(n, _)| n != "norm.bias.exp_avg");
    broken
        .tensors
        .push(("norm.bias.momentum_buffer".into(), Tensor::zeros(&[4])));
    let mut same = Adam::new(&net(2), AdamConfig::default())?;
    let err = same.load_state_dict(&broken).unwrap_err();
    let OptimError::StateMismatch { problems } = &err else {
        panic!("{err}")
    };
    assert_eq!(
        problems,
        &[
            "missing `norm.bias.exp_avg`",
            "unexpected `norm.bias.momentum_buffer`"
        ]
    );

    // Another optimizer's state.
    let mut sgd = Sgd::new(&net(2), SgdConfig::default())?;
    let before = snapshot(&sgd);
    let err = sgd.load_state_dict(&state).unwrap_err();
    assert_eq!(
        err.to_string(),
        "optimizer state was saved by `adam`, not `sgd` (nothing was loaded)"
    );
    assert_eq!(snapshot(&sgd), before);
    Ok(())
}

#[test]
fn state_file_keys_are_parameter_paths_and_buffer_names() -> Result<(), minitrainer::Error> {
    let model = net(2);
    let mut opt = Sgd::new(
        &model,
        SgdConfig {
            momentum: 0.9,
            ..SgdConfig::default()
        },
    )?;
    train_step(&model, &mut opt, &Tensor::ones(&[2, 4]));
    let bytes = opt.state_dict().to_bytes()?;
    let tensors = minitrainer::weights::parse_safetensors(&bytes, "state".as_ref())?;
    let names: Vec<&str> = tensors.iter().map(|(n, _)| n.as_str()).collect();
    assert!(
        names.contains(&"encoder.weight.momentum_buffer"),
        "{names:?}"
    );
    assert_eq!(names.len(), 6);

    // A weights file is not an optimizer state.
    let path = temp_file("weights");
    minitrainer::save_weights(&model, &path)?;
    let err = opt.load_state(&path).unwrap_err();
    std::fs::remove_file(&path).ok();
    assert!(
        err.to_string()
            .contains("no `optimizer` in the safetensors metadata"),
        "{err}"
    );
    Ok(())
}

// ---- by name -------------------------------------------------------------------------------

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
