//! `#[derive(Module)]` as a user sees it: names and shapes at any depth, containers, generics,
//! enums, renames and skips, train/eval, lookup and the tree print.

mod behaviour;
mod names;

use std::collections::BTreeMap;

use minitrainer::prelude::*;

/// `(name, shape)` of every parameter, in order — after checking that every walk agrees:
/// `visit_parameters` (borrowed names), `named_parameters`, `parameters` and `num_parameters`
/// see the same parameters (the same tensors) under the same names in the same order.
pub fn names_and_shapes(module: &impl Module) -> Vec<(String, Vec<usize>)> {
    let named = module.named_parameters();
    let mut visited = Vec::new();
    module.visit_parameters(&mut |name, p| visited.push((name.to_owned(), p.id())));
    let ids = |params: &[(String, Param)]| -> Vec<(String, _)> {
        params.iter().map(|(n, p)| (n.clone(), p.id())).collect()
    };
    assert_eq!(visited, ids(&named));
    let unnamed: Vec<_> = module.parameters().iter().map(|p| p.id()).collect();
    assert_eq!(
        unnamed,
        visited.iter().map(|(_, id)| *id).collect::<Vec<_>>()
    );
    let total: usize = named.iter().map(|(_, p)| p.numel()).sum();
    assert_eq!(module.num_parameters(), total);
    named
        .into_iter()
        .map(|(name, p)| (name, p.shape().to_vec()))
        .collect()
}

pub(super) fn expected(items: &[(&str, &[usize])]) -> Vec<(String, Vec<usize>)> {
    items
        .iter()
        .map(|(n, s)| (n.to_string(), s.to_vec()))
        .collect()
}

#[derive(Module)]
pub(super) struct Block {
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
pub(super) struct Encoder {
    layers: Vec<Block>,
    #[module(rename = "final_norm")]
    norm: Option<LayerNorm>,
}

#[derive(Module)]
pub(super) struct Model {
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

pub(super) fn model() -> Model {
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
