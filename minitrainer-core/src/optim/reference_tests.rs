//! The update kernels in f64 against PyTorch's float64 runs: the shared fixture
//! (`shared/fixtures/optim_reference.json`) and this crate's
//! (`tests/fixtures/optim_extra.json`, made by `tools/reference/gen_optim_extra.py`).
//! f64 pins the operation order far more tightly than f32 can; the f32 runs go through the
//! real `Param` path in `tests/it/optim.rs`.

use serde_json::{Map, Value};

use super::adagrad::AdagradRule;
use super::adam::AdamRule;
use super::adamw::AdamWRule;
use super::rmsprop::RmsPropRule;
use super::rule::Rule;
use super::sgd::SgdRule;
use crate::config::Config;

/// Absolute tolerance against PyTorch's float64 trajectories.
const F64_TOLERANCE: f64 = 1e-12;

const SHARED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/fixtures/optim_reference.json"
);
const EXTRA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/optim_extra.json"
);

fn fixture(path: &str) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).expect("fixture is JSON")
}

fn flat(value: &Value) -> Vec<f64> {
    let mut out = Vec::new();
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::Array(items) => stack.extend(items.iter().rev()),
            other => out.push(other.as_f64().expect("a number")),
        }
    }
    out
}

/// PyTorch's keyword arguments as our config's JSON (`betas` → `beta1`, `beta2`).
pub(crate) fn config_json(hyperparams: &Value) -> Value {
    let mut fields: Map<String, Value> = hyperparams.as_object().expect("an object").clone();
    if let Some(Value::Array(betas)) = fields.remove("betas") {
        fields.insert("beta1".into(), betas[0].clone());
        fields.insert("beta2".into(), betas[1].clone());
    }
    Value::Object(fields)
}

/// Runs rule `R` in f64 on the fixture's inputs; the parameter after every step.
fn run<R: Rule>(hyperparams: &Value, p0: &[f64], grads: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let config = R::Config::from_value(config_json(hyperparams)).expect("valid hyperparameters");
    let mut p = p0.to_vec();
    let mut state: Vec<Vec<f64>> = R::slots(&config)
        .iter()
        .map(|slot| vec![R::initial_value(&config, slot); p.len()])
        .collect();
    let mut out = Vec::new();
    for (t, g) in (1..).zip(grads) {
        R::update(&config, t, &mut p, g, &mut state);
        out.push(p.clone());
    }
    out
}

fn check_fixture(path: &str) -> usize {
    let data = fixture(path);
    let p0 = flat(&data["p0"]);
    let grads: Vec<Vec<f64>> = data["grads"].as_array().unwrap().iter().map(flat).collect();
    let cases = data["optimizers"].as_object().unwrap();
    for (name, case) in cases {
        let hp = &case["hyperparams"];
        let got = match case["torch_class"].as_str().unwrap() {
            "torch.optim.SGD" => run::<SgdRule>(hp, &p0, &grads),
            "torch.optim.Adam" => run::<AdamRule>(hp, &p0, &grads),
            "torch.optim.AdamW" => run::<AdamWRule>(hp, &p0, &grads),
            "torch.optim.RMSprop" => run::<RmsPropRule>(hp, &p0, &grads),
            "torch.optim.Adagrad" => run::<AdagradRule>(hp, &p0, &grads),
            other => panic!("{name}: no rule for {other}"),
        };
        let expected: Vec<Vec<f64>> = case["float64"]
            .as_array()
            .unwrap()
            .iter()
            .map(flat)
            .collect();
        for (step, (got, want)) in got.iter().zip(&expected).enumerate() {
            for (i, (g, w)) in got.iter().zip(want).enumerate() {
                assert!(
                    (g - w).abs() <= F64_TOLERANCE,
                    "{name}, step {}, element {i}: got {g:e}, PyTorch {w:e}",
                    step + 1
                );
            }
        }
        assert_eq!(got.len(), 5, "{name}");
    }
    cases.len()
}

#[test]
fn kernels_match_pytorch_float64_on_the_shared_fixture() {
    assert_eq!(check_fixture(SHARED), 4);
}

#[test]
fn kernels_match_pytorch_float64_on_the_extra_options() {
    assert_eq!(check_fixture(EXTRA), 11);
}
