//! `#[derive(Module)]` as a user sees it: names and shapes at any depth, containers, generics,
//! enums, renames and skips, train/eval, lookup and the tree print.

use std::collections::BTreeMap;

use minitrainer::module::ModuleError;
use minitrainer::prelude::*;

/// `(name, shape)` of every parameter, in order.
pub fn names_and_shapes(module: &impl Module) -> Vec<(String, Vec<usize>)> {
    module
        .named_parameters()
        .into_iter()
        .map(|(name, p)| (name, p.shape().to_vec()))
        .collect()
}

fn expected(items: &[(&str, &[usize])]) -> Vec<(String, Vec<usize>)> {
    items
        .iter()
        .map(|(n, s)| (n.to_string(), s.to_vec()))
        .collect()
}

#[derive(Module)]
struct Block {
    norm: LayerNorm,
    ff: Linear,
    act: GELU,
    drop: Dropout,
}

impl Block {
    fn new(d: usize, seed: u64) -> Self {
        let mut init = Init::seeded(seed);
        Block {
            norm: LayerNorm::build(&LayerNormConfig::new(d), &mut Init::default()),
            ff: Linear::build(&LinearConfig::new(d, d), &mut init),
            act: GELU::new(),
            drop: Dropout::build(&DropoutConfig { p: 0.1 }, &mut Init::seeded(seed)),
        }
    }
}

impl Forward for Block {
    type Output = Tensor;
    fn forward(&self, x: Tensor) -> Tensor {
        let h = self
            .drop
            .call(self.act.call(self.ff.call(self.norm.call(x.clone()))));
        x.add(&h)
    }
}

#[derive(Module)]
struct Encoder {
    layers: Vec<Block>,
    #[module(rename = "final_norm")]
    norm: Option<LayerNorm>,
}

#[derive(Module)]
struct Model {
    embed: Embedding,
    encoder: Encoder,
    heads: BTreeMap<String, Linear>,
    pair: [Linear; 2],
    boxed: Box<Linear>,
    dynamic: Box<dyn Layer>,
    missing: Option<Linear>,
    width: usize,
    name: String,
    #[module(skip)]
    cache: std::collections::HashMap<String, f32>,
}

fn model() -> Model {
    let mut init = Init::seeded(0);
    let mut heads = BTreeMap::new();
    heads.insert(
        "sentiment".to_owned(),
        Linear::build(&LinearConfig::new(4, 2), &mut init),
    );
    heads.insert(
        "topic".to_owned(),
        Linear::build(
            &LinearConfig {
                bias: false,
                ..LinearConfig::new(4, 3)
            },
            &mut init,
        ),
    );
    Model {
        embed: Embedding::build(&EmbeddingConfig::new(10, 4), &mut init),
        encoder: Encoder {
            layers: vec![Block::new(4, 1), Block::new(4, 2)],
            norm: Some(LayerNorm::build(
                &LayerNormConfig::new(4),
                &mut Init::default(),
            )),
        },
        heads,
        pair: [
            Linear::build(
                &LinearConfig {
                    bias: false,
                    ..LinearConfig::new(4, 4)
                },
                &mut init,
            ),
            Linear::build(
                &LinearConfig {
                    bias: false,
                    ..LinearConfig::new(4, 1)
                },
                &mut init,
            ),
        ],
        boxed: Box::new(Linear::build(&LinearConfig::new(1, 1), &mut init)),
        dynamic: Box::new(Linear::build(
            &LinearConfig {
                bias: false,
                ..LinearConfig::new(1, 2)
            },
            &mut init,
        )),
        missing: None,
        width: 4,
        name: "m".into(),
        cache: Default::default(),
    }
}

#[test]
fn nested_containers_get_dotted_pytorch_names_in_field_order() {
    let m = model();
    let block = |i: usize| {
        [
            (format!("encoder.layers.{i}.norm.weight"), vec![4]),
            (format!("encoder.layers.{i}.norm.bias"), vec![4]),
            (format!("encoder.layers.{i}.ff.weight"), vec![4, 4]),
            (format!("encoder.layers.{i}.ff.bias"), vec![4]),
        ]
    };
    let mut want = expected(&[("embed.weight", &[10, 4])]);
    want.extend(block(0));
    want.extend(block(1));
    want.extend(expected(&[
        ("encoder.final_norm.weight", &[4]),
        ("encoder.final_norm.bias", &[4]),
        ("heads.sentiment.weight", &[2, 4]),
        ("heads.sentiment.bias", &[2]),
        ("heads.topic.weight", &[3, 4]),
        ("pair.0.weight", &[4, 4]),
        ("pair.1.weight", &[1, 4]),
        ("boxed.weight", &[1, 1]),
        ("boxed.bias", &[1]),
        ("dynamic.weight", &[2, 1]),
    ]));
    assert_eq!(names_and_shapes(&m), want);
    let total: usize = want.iter().map(|(_, s)| s.iter().product::<usize>()).sum();
    assert_eq!(m.num_parameters(), total);
    assert_eq!(m.parameters().len(), want.len());
    assert_eq!((m.width, m.name.as_str(), m.cache.len()), (4, "m", 0));
}

#[test]
fn named_modules_lists_containers_and_layers_preorder() {
    let m = model();
    let names: Vec<String> = m.named_modules().into_iter().map(|(n, _)| n).collect();
    let head = [
        "",
        "embed",
        "encoder",
        "encoder.layers",
        "encoder.layers.0",
        "encoder.layers.0.norm",
        "encoder.layers.0.ff",
        "encoder.layers.0.act",
        "encoder.layers.0.drop",
    ];
    assert_eq!(names[..head.len()], head);
    let children: Vec<String> = m.children().into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        children,
        ["embed", "encoder", "heads", "pair", "boxed", "dynamic"]
    );
}

#[derive(Module)]
struct Pair(Linear, #[module(skip)] u8, Linear);

#[test]
fn tuple_struct_fields_are_named_by_index() {
    let mut init = Init::seeded(3);
    let pair = Pair(
        Linear::build(&LinearConfig::new(2, 3), &mut init),
        7,
        Linear::build(
            &LinearConfig {
                bias: false,
                ..LinearConfig::new(3, 1)
            },
            &mut init,
        ),
    );
    assert_eq!(
        names_and_shapes(&pair),
        expected(&[
            ("0.weight", &[3, 2]),
            ("0.bias", &[3]),
            ("2.weight", &[1, 3])
        ])
    );
    assert_eq!(pair.1, 7);
}

#[derive(Module)]
struct Residual<M: Module> {
    inner: M,
    norm: LayerNorm,
}

impl<M: Forward<Output = Tensor>> Forward for Residual<M> {
    type Output = Tensor;
    fn forward(&self, x: Tensor) -> Tensor {
        self.norm.call(x.add(&self.inner.call(x.clone())))
    }
}

#[test]
fn generic_structs_walk_their_type_parameter() {
    let res = Residual {
        inner: Residual {
            inner: Linear::build(
                &LinearConfig {
                    bias: false,
                    ..LinearConfig::new(3, 3)
                },
                &mut Init::seeded(0),
            ),
            norm: LayerNorm::build(&LayerNormConfig::new(3), &mut Init::default()),
        },
        norm: LayerNorm::build(&LayerNormConfig::new(3), &mut Init::default()),
    };
    assert_eq!(
        names_and_shapes(&res),
        expected(&[
            ("inner.inner.weight", &[3, 3]),
            ("inner.norm.weight", &[3]),
            ("inner.norm.bias", &[3]),
            ("norm.weight", &[3]),
            ("norm.bias", &[3]),
        ])
    );
    assert_eq!(res.call(Tensor::ones(&[2, 3])).shape(), &[2, 3]);
}

#[derive(Module)]
enum Act {
    Relu(ReLU),
    Gelu(GELU),
    Gated { proj: Linear },
    Identity,
}

impl Forward for Act {
    type Output = Tensor;
    fn forward(&self, x: Tensor) -> Tensor {
        match self {
            Act::Relu(m) => m.call(x),
            Act::Gelu(m) => m.call(x),
            Act::Gated { proj } => x.mul(&proj.call(x.clone()).sigmoid()),
            Act::Identity => x,
        }
    }
}

#[derive(Module)]
struct WithAct {
    act: Act,
}

#[test]
fn enum_variants_are_transparent() {
    let gated = WithAct {
        act: Act::Gated {
            proj: Linear::build(&LinearConfig::new(2, 2), &mut Init::seeded(0)),
        },
    };
    assert_eq!(
        names_and_shapes(&gated),
        expected(&[("act.weight", &[2, 2]), ("act.bias", &[2])])
    );
    assert_eq!(
        gated.repr(),
        "WithAct(\n  (act): Linear(in_features=2, out_features=2, bias=true)\n)"
    );
    let gelu = WithAct {
        act: Act::Gelu(GELU::new()),
    };
    assert_eq!(
        gelu.repr(),
        "WithAct(\n  (act): GELU(approximate='none')\n)"
    );
    assert!(
        names_and_shapes(&WithAct {
            act: Act::Relu(ReLU::new())
        })
        .is_empty()
    );
    let identity = WithAct { act: Act::Identity };
    assert_eq!(identity.repr(), "WithAct(\n  (act): Identity()\n)");
    assert_eq!(
        identity.act.call(Tensor::ones(&[2])).to_vec(),
        vec![1.0, 1.0]
    );
}

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
