//! Names at any depth: nested containers, tuple structs, generics, enum variants.

use minitrainer::prelude::*;

use super::*;

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
