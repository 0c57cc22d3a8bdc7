//! `named_parameter_refs()` as users call it: iteration by value (`ParamName`) and by reference
//! (`&str`), the collection's accessors, empty models, long names, large indices, and a
//! hand-written `Module` (walked through its `visit`) named as the derive would name it.

use std::collections::{HashMap, HashSet};

use minitrainer::module::{
    FieldName, Module, ModuleField, NamedParameters, ParamName, Visitor, VisitorMut, visit_child,
    visit_child_mut,
};
use minitrainer::prelude::*;

fn net() -> Sequential {
    let mut init = Init::seeded(0);
    Sequential::new()
        .push(Linear::build(&LinearConfig::new(4, 3), &mut init))
        .push(ReLU::new())
        .push(Linear::build(&LinearConfig::new(3, 2), &mut init))
}

/// The names `visit_parameters` reports (the visitor walk), to compare the fast walk with.
fn visited(module: &dyn Module) -> Vec<String> {
    let mut names = Vec::new();
    module.visit_parameters(&mut |name, _| names.push(name.to_owned()));
    names
}

const NAMES: [&str; 4] = ["0.weight", "0.bias", "2.weight", "2.bias"];

#[test]
fn by_value_yields_owned_names_usable_as_strings() {
    let net = net();
    let mut by_name: HashMap<String, Param> = HashMap::new();
    let mut seen = Vec::new();
    for (name, p) in net.named_parameter_refs() {
        assert!(name.starts_with("0.") || name.starts_with("2."));
        assert_eq!(format!("{name}"), name.to_string());
        if name == "2.weight" {
            assert_eq!(p.shape(), &[2, 3]);
        }
        by_name.insert(name.to_string(), p.clone());
        seen.push(String::from(name));
    }
    assert_eq!(seen, NAMES);
    assert_eq!(by_name["0.bias"].shape(), &[3]);
    // Names kept past the collection, in a set looked up by `&str`.
    let kept: HashSet<ParamName> = net
        .named_parameter_refs()
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert!(kept.contains("2.bias") && !kept.contains("1.weight"));
}

#[test]
fn by_reference_yields_borrowed_names_and_the_same_tensors() {
    let net = net();
    let named = net.named_parameter_refs();
    let names: Vec<&str> = (&named).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, NAMES);
    assert_eq!(named.names().collect::<Vec<_>>(), NAMES);
    let ids: Vec<_> = named.params().map(|p| p.id()).collect();
    let owned: Vec<_> = net.parameters().iter().map(|p| p.id()).collect();
    assert_eq!(ids, owned);
    assert_eq!(visited(&net), NAMES);
    // Both ends, and the exact length.
    let mut iter = named.iter();
    assert_eq!(iter.len(), 4);
    assert_eq!(iter.next_back().map(|(n, _)| n), Some("2.bias"));
    assert_eq!(iter.next().map(|(n, _)| n), Some("0.weight"));
    assert_eq!(
        iter.map(|(n, _)| n).collect::<Vec<_>>(),
        ["0.bias", "2.weight"]
    );
    let reversed: Vec<ParamName> = net
        .named_parameter_refs()
        .into_iter()
        .rev()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(reversed, ["2.bias", "2.weight", "0.bias", "0.weight"]);
}

#[test]
fn accessors_find_by_index_and_name_and_convert_to_owned_pairs() {
    let net = net();
    let named = net.named_parameter_refs();
    assert_eq!((named.len(), named.is_empty()), (4, false));
    assert_eq!(
        named.get(2).map(|(n, p)| (n, p.shape())),
        Some(("2.weight", &[2, 3][..]))
    );
    assert!(named.get(4).is_none());
    assert_eq!(named.find("0.bias").map(|p| p.shape()), Some(&[3][..]));
    assert!(named.find("0.bia").is_none());
    let debug = format!("{named:?}");
    assert!(
        debug.starts_with("{\"0.weight\": Param { shape: [3, 4]"),
        "{debug}"
    );
    let owned: Vec<(String, Param)> = named.clone().into_vec();
    assert_eq!(
        owned.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(),
        NAMES
    );
    assert_eq!(Some(owned[3].1.id()), named.get(3).map(|(_, p)| p.id()));
    // `named_parameters()` is these owned pairs: the same names, order and tensors.
    let ids = |pairs: &[(String, Param)]| -> Vec<(String, _)> {
        pairs.iter().map(|(n, p)| (n.clone(), p.id())).collect()
    };
    assert_eq!(ids(&net.named_parameters()), ids(&owned));
}

#[test]
fn a_model_without_parameters_is_empty_both_ways() {
    let relu = ReLU::new();
    let named = relu.named_parameter_refs();
    assert!(named.is_empty() && named.iter().next().is_none() && named.get(0).is_none());
    assert_eq!(format!("{named:?}"), "{}");
    assert!(relu.named_parameter_refs().into_iter().next().is_none());
    assert!(NamedParameters::default().into_iter().next().is_none());
}

#[derive(Module)]
struct ALongEnoughName {
    an_unusually_long_field_name_for_a_block: Vec<Linear>,
}

#[derive(Module)]
struct Deep {
    outer_container_with_a_long_name: ALongEnoughName,
    many: Vec<Param>,
}

#[test]
fn long_names_and_indices_past_the_table_read_back_whole() {
    let mut init = Init::seeded(0);
    let deep = Deep {
        outer_container_with_a_long_name: ALongEnoughName {
            an_unusually_long_field_name_for_a_block: vec![Linear::build(
                &LinearConfig::new(1, 1),
                &mut init,
            )],
        },
        many: (0..1002)
            .map(|_| Param::new(&Tensor::zeros(&[1])))
            .collect(),
    };
    let long = "outer_container_with_a_long_name.an_unusually_long_field_name_for_a_block.0.weight";
    let named = deep.named_parameter_refs();
    assert_eq!(named.names().next(), Some(long));
    let by_value: Vec<String> = deep
        .named_parameter_refs()
        .into_iter()
        .map(|(n, _)| n.into())
        .collect();
    assert_eq!(by_value[0], long);
    assert_eq!(&by_value[1001..], ["many.999", "many.1000", "many.1001"]);
    assert_eq!(by_value, visited(&deep));
    assert_eq!(named.names().collect::<Vec<_>>(), by_value);
}

/// A module written by hand, without the derive: `named_parameters` walks its `visit`.
struct Manual {
    scale: Param,
    inner: Linear,
}

impl Module for Manual {
    fn visit<'a>(&'a self, visitor: &mut dyn Visitor<'a>) {
        self.scale.visit_field(FieldName::new("scale"), visitor);
        self.inner.visit_field(FieldName::new("inner"), visitor);
    }
    fn visit_mut(&mut self, visitor: &mut dyn VisitorMut) {
        self.scale.visit_field_mut(FieldName::new("scale"), visitor);
        self.inner.visit_field_mut(FieldName::new("inner"), visitor);
    }
    fn type_name(&self) -> &'static str {
        "Manual"
    }
}

impl ModuleField for Manual {
    fn holds_state() -> bool {
        true
    }
    fn visit_field<'a>(&'a self, name: FieldName<'_>, visitor: &mut dyn Visitor<'a>) {
        visit_child(self, name, visitor);
    }
    fn visit_field_mut(&mut self, name: FieldName<'_>, visitor: &mut dyn VisitorMut) {
        visit_child_mut(self, name, visitor);
    }
}

impl Forward for Manual {
    type Output = Tensor;
    fn forward(&self, input: Tensor) -> Tensor {
        input
    }
}

#[test]
fn hand_written_modules_are_named_through_their_visit() {
    let mut init = Init::seeded(0);
    let manual = || Manual {
        scale: Param::new(&Tensor::ones(&[1])),
        inner: Linear::build(&LinearConfig::new(2, 1), &mut Init::seeded(1)),
    };
    let alone = manual();
    assert_eq!(
        alone.named_parameter_refs().names().collect::<Vec<_>>(),
        ["scale", "inner.weight", "inner.bias"]
    );
    let net = Sequential::new()
        .push(Linear::build(&LinearConfig::new(1, 2), &mut init))
        .push(manual());
    let names: Vec<String> = net
        .named_parameter_refs()
        .into_iter()
        .map(|(n, _)| n.into())
        .collect();
    assert_eq!(
        names,
        [
            "0.weight",
            "0.bias",
            "1.scale",
            "1.inner.weight",
            "1.inner.bias"
        ]
    );
    assert_eq!(names, visited(&net));
}
