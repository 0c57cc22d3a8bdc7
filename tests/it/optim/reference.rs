//! Every optimizer against PyTorch's float32 runs (the shared fixture and
//! `optim_extra.json`), through `optimizer_from_str` and a real `Param`.

use serde_json::{Map, Value};

use super::{OneParam, flat, set_grad};
use minitrainer::optim::optimizer_from_str;
use minitrainer::prelude::*;

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
