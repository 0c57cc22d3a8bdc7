//! State dicts: round trips, strict errors that leave the model untouched, aliases.

use minitrainer::module::{LoadReport, ModuleError, ShapeMismatch};
use minitrainer::prelude::*;

#[derive(Module)]
struct Net {
    hidden: Linear,
    norm: LayerNorm,
    bn: BatchNorm1d,
    out: Linear,
}

impl Net {
    fn new(seed: u64) -> Self {
        let mut init = Init::seeded(seed);
        Net {
            hidden: Linear::build(&LinearConfig::new(4, 6), &mut init),
            norm: LayerNorm::build(&LayerNormConfig::new(6), &mut Init::default()),
            bn: BatchNorm1d::build(&BatchNorm1dConfig::new(6), &mut Init::default()),
            out: Linear::build(&LinearConfig::new(6, 2), &mut init),
        }
    }
}

impl Forward for Net {
    type Output = Tensor;
    fn forward(&self, x: Tensor) -> Tensor {
        let h = self.hidden.call(x).relu();
        self.out.call(self.bn.call(self.norm.call(h)))
    }
}

fn values(model: &impl Module) -> Vec<Vec<f32>> {
    model.state_dict().iter().map(|(_, t)| t.to_vec()).collect()
}

#[test]
fn round_trip_into_a_fresh_model_gives_identical_outputs() -> minitrainer::Result<()> {
    let mut trained = Net::new(1);
    // Move the running statistics away from their initial values.
    trained
        .bn
        .forward(Tensor::randn(&[8, 6], 1.0, 2.0, &mut seeded_rng(9)));
    trained.eval();
    let mut fresh = Net::new(2);
    fresh.eval();
    let x = Tensor::randn(&[3, 4], 0.0, 1.0, &mut seeded_rng(5));
    assert_ne!(
        trained.call(x.clone()).to_vec(),
        fresh.call(x.clone()).to_vec()
    );

    let report = fresh.load_state_dict(&trained.state_dict(), true)?;
    assert!(report.is_clean());
    assert_eq!(
        trained.call(x.clone()).to_vec(),
        fresh.call(x.clone()).to_vec()
    );
    assert_eq!(values(&trained), values(&fresh));
    // Values were copied, not shared: changing one model leaves the other alone.
    fresh.out.weight.update_data(|w| w.fill(0.0));
    assert_ne!(values(&trained), values(&fresh));
    Ok(())
}

#[test]
fn strict_load_with_any_problem_fails_and_changes_nothing() -> minitrainer::Result<()> {
    let mut model = Net::new(1);
    let before = values(&model);
    let mut dict = Net::new(2).state_dict();
    dict.remove("bn.running_var");
    dict.insert("extra.weight", Tensor::zeros(&[1]));
    dict.insert("out.bias", Tensor::zeros(&[3]));

    let err = model.load_state_dict(&dict, true).err();
    let Some(ModuleError::StateDict { report }) = err else {
        panic!("expected a StateDict error, got {err:?}");
    };
    assert_eq!(
        report,
        LoadReport {
            missing: vec!["bn.running_var".into()],
            unexpected: vec!["extra.weight".into()],
            mismatched: vec![ShapeMismatch {
                key: "out.bias".into(),
                expected: vec![2],
                actual: vec![3],
            }],
        }
    );
    assert_eq!(
        values(&model),
        before,
        "a failed strict load must not write anything"
    );
    let message = ModuleError::StateDict { report }.to_string();
    assert!(
        message.contains("missing keys: `bn.running_var`"),
        "{message}"
    );
    assert!(
        message.contains("out.bias: model [2] vs state dict [3]"),
        "{message}"
    );
    Ok(())
}

#[test]
fn lenient_load_loads_what_fits_and_reports_the_rest() -> minitrainer::Result<()> {
    let mut model = Net::new(1);
    let source = Net::new(2);
    let mut dict = source.state_dict();
    dict.insert("out.bias", Tensor::zeros(&[3]));
    dict.remove("hidden.weight");
    let report = model.load_state_dict(&dict, false)?;
    assert_eq!(report.missing, ["hidden.weight"]);
    assert_eq!(report.mismatched.len(), 1);
    assert_eq!(model.out.weight.to_vec(), source.out.weight.to_vec());
    assert_ne!(
        model.out.bias.as_ref().map(|b| b.to_vec()),
        Some(vec![0.0; 3])
    );
    assert_ne!(model.hidden.weight.to_vec(), source.hidden.weight.to_vec());
    Ok(())
}

#[derive(Module)]
struct Norm {
    #[module(alias = "gamma")]
    weight: Param,
    #[module(alias = "beta", alias = "shift")]
    bias: Param,
}

#[derive(Module)]
struct Renamed {
    #[module(rename = "ln", alias = "layer_norm")]
    norm: Norm,
}

#[test]
fn aliases_load_old_checkpoints_at_any_level() -> minitrainer::Result<()> {
    let mut model = Renamed {
        norm: Norm {
            weight: Param::new(&Tensor::zeros(&[2])),
            bias: Param::new(&Tensor::zeros(&[2])),
        },
    };
    let keys: Vec<String> = model.state_dict().keys().map(str::to_owned).collect();
    assert_eq!(keys, ["ln.weight", "ln.bias"]);

    let old: StateDict = [
        (
            "layer_norm.gamma".to_owned(),
            Tensor::from_vec(vec![1.0, 2.0], &[2])?,
        ),
        (
            "ln.shift".to_owned(),
            Tensor::from_vec(vec![3.0, 4.0], &[2])?,
        ),
    ]
    .into_iter()
    .collect();
    let report = model.load_state_dict(&old, true)?;
    assert!(report.is_clean(), "{report}");
    assert_eq!(model.norm.weight.to_vec(), vec![1.0, 2.0]);
    assert_eq!(model.norm.bias.to_vec(), vec![3.0, 4.0]);
    Ok(())
}

#[test]
fn loading_a_models_own_state_dict_is_a_no_op() -> minitrainer::Result<()> {
    let mut model = Net::new(3);
    let before = values(&model);
    let own = model.state_dict();
    model.load_state_dict(&own, true)?;
    assert_eq!(values(&model), before);
    Ok(())
}

#[test]
fn loading_the_models_own_tensors_under_swapped_names_swaps_them() -> minitrainer::Result<()> {
    #[derive(Module)]
    struct Pair {
        a: Linear,
        b: Linear,
    }
    let mut init = Init::seeded(3);
    let mut pair = Pair {
        a: Linear::build(&LinearConfig::new(3, 3), &mut init),
        b: Linear::build(&LinearConfig::new(3, 3), &mut init),
    };
    let (a_before, b_before) = (pair.a.weight.to_vec(), pair.b.weight.to_vec());
    // The state dict shares the model's tensors; swapping names means every target is also
    // a source another target reads.
    let mut swapped = StateDict::new();
    for (name, tensor) in pair.state_dict().iter() {
        let other = match name.split_once('.') {
            Some(("a", rest)) => format!("b.{rest}"),
            Some(("b", rest)) => format!("a.{rest}"),
            _ => unreachable!("only a.* and b.*"),
        };
        swapped.insert(other, tensor.clone());
    }
    pair.load_state_dict(&swapped, true)?;
    assert_eq!(pair.a.weight.to_vec(), b_before);
    assert_eq!(pair.b.weight.to_vec(), a_before);
    Ok(())
}
