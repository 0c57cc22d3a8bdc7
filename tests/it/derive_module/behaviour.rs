//! Train/eval, submodule lookup, `apply`, the tree print and buffers.

use minitrainer::module::ModuleError;
use minitrainer::prelude::*;

use super::*;

#[test]
fn train_and_eval_reach_every_layer() {
    let mut m = model();
    assert!(m.is_training());
    m.eval();
    assert!(!m.is_training());
    let flags: Vec<Option<bool>> = m
        .named_modules()
        .into_iter()
        .map(|(_, module)| module.local_training())
        .filter(Option::is_some)
        .collect();
    assert!(flags.len() > 10 && flags.iter().all(|f| *f == Some(false)));
    // Dropout is off: a block is deterministic in eval mode.
    let x = Tensor::ones(&[2, 4]);
    let block = &m.encoder.layers[0];
    assert_eq!(
        block.call(x.clone()).to_vec(),
        block.call(x.clone()).to_vec()
    );
    m.train();
    assert!(m.encoder.layers[1].drop.is_training());
}

#[test]
fn get_submodule_walks_paths_and_names_the_missing_segment() -> Result<(), ModuleError> {
    let m = model();
    let ff = m.get_submodule("encoder.layers.1.ff")?;
    assert_eq!(ff.type_name(), "Linear");
    let linear = ff
        .as_any()
        .downcast_ref::<Linear>()
        .map(Linear::out_features);
    assert_eq!(linear, Some(4));
    assert_eq!(
        m.get_submodule("heads.topic")?.extra_repr(),
        "in_features=4, out_features=3, bias=false"
    );
    assert_eq!(m.get_submodule("")?.type_name(), "Model");

    let err = m.get_submodule("encoder.layers.7.ff").err();
    let Some(ModuleError::NoSubmodule {
        missing,
        parent,
        available,
        ..
    }) = &err
    else {
        panic!("expected NoSubmodule, got {err:?}");
    };
    assert_eq!((missing.as_str(), parent.as_str()), ("7", "encoder.layers"));
    assert_eq!(available, &["0", "1"]);
    let message = m
        .get_submodule("encoder.layrs")
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        message.as_deref(),
        Some(
            "no submodule `layrs` in `encoder` (looking up `encoder.layrs`); did you mean `layers`?; children are: `layers`, `final_norm`"
        )
    );
    Ok(())
}

#[test]
fn apply_visits_every_module_children_first() {
    let mut m = model();
    let mut seen = Vec::new();
    m.apply(&mut |path, module| {
        if let Some(linear) = module.as_any_mut().downcast_mut::<Linear>() {
            linear.weight.update_data(|w| w.fill(0.5));
        }
        seen.push(path.to_owned());
    });
    assert_eq!(seen.first().map(String::as_str), Some("embed"));
    assert_eq!(seen.last().map(String::as_str), Some(""));
    let pos = |p: &str| seen.iter().position(|s| s == p);
    assert!(pos("encoder.layers.0.ff") < pos("encoder.layers.0"));
    assert!(m.pair[1].weight.to_vec().iter().all(|&w| w == 0.5));
    assert!(
        m.encoder.layers[1]
            .ff
            .weight
            .to_vec()
            .iter()
            .all(|&w| w == 0.5)
    );
}

#[derive(Module)]
struct Mlp {
    layers: Vec<Linear>,
    act: ReLU,
    head: Linear,
}

#[test]
fn tree_print_matches_pytorch_repr() {
    let mut init = Init::seeded(0);
    let mlp = Mlp {
        layers: vec![
            Linear::build(&LinearConfig::new(64, 32), &mut init),
            Linear::build(&LinearConfig::new(32, 32), &mut init),
        ],
        act: ReLU::new(),
        head: Linear::build(
            &LinearConfig {
                bias: false,
                ..LinearConfig::new(32, 10)
            },
            &mut init,
        ),
    };
    let want = "\
Mlp(
  (layers): ModuleList(
    (0): Linear(in_features=64, out_features=32, bias=true)
    (1): Linear(in_features=32, out_features=32, bias=true)
  )
  (act): ReLU()
  (head): Linear(in_features=32, out_features=10, bias=false)
)";
    assert_eq!(mlp.repr(), want);
    let as_dyn: &dyn Module = &mlp;
    assert_eq!(format!("{as_dyn:?}"), want);
}

#[derive(Module)]
struct WithBuffers {
    bn: BatchNorm1d,
    scale: Buffer,
    cache: Buffer,
}

#[test]
fn buffers_are_named_but_only_persistent_ones_are_saved() {
    let m = WithBuffers {
        bn: BatchNorm1d::build(&BatchNorm1dConfig::new(3), &mut Init::default()),
        scale: Buffer::new(ndarray::arr1(&[2.0f32])),
        cache: Buffer::non_persistent(ndarray::arr1(&[0.0f32, 0.0])),
    };
    let buffers: Vec<String> = m.named_buffers().into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        buffers,
        [
            "bn.running_mean",
            "bn.running_var",
            "bn.num_batches_tracked",
            "scale",
            "cache"
        ]
    );
    let keys: Vec<String> = m.state_dict().keys().map(str::to_owned).collect();
    assert_eq!(
        keys,
        [
            "bn.weight",
            "bn.bias",
            "bn.running_mean",
            "bn.running_var",
            "bn.num_batches_tracked",
            "scale"
        ]
    );
}
