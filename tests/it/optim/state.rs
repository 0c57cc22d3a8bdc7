//! Optimizer state: save, load, resume bitwise, refuse what does not fit.

use super::{adamw, net, temp_file, train_step};
use minitrainer::optim::{Adam, AdamConfig, LearningRates, OptimError, Optimizer, Sgd, SgdConfig};
use minitrainer::prelude::*;

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
