// Generated code must not depend on the prelude: shadow the names it could use by accident.
#![allow(dead_code, non_camel_case_types)]

use minitrainer::prelude::{Build as _, Forward, Init, Linear, LinearConfig, Param, Tensor};

struct Result;
struct Option;
struct Vec;
struct Box;
struct String;
struct Module;
struct ModuleField;

#[derive(minitrainer::Module)]
struct Net<M: minitrainer::module::Module> {
    r#type: Linear,
    inner: M,
    weight: Param,
    layers: std::vec::Vec<Linear>,
    width: usize,
}

#[derive(minitrainer::Module)]
enum Choice {
    A(Linear),
    B,
}

fn main() {
    use minitrainer::module::Module as _;
    let mut init = Init::seeded(0);
    let net = Net {
        r#type: Linear::build(&LinearConfig { bias: false, ..LinearConfig::new(2, 2) }, &mut init),
        inner: Linear::build(&LinearConfig { bias: false, ..LinearConfig::new(2, 1) }, &mut init),
        weight: Param::new(&Tensor::zeros(&[1])),
        layers: std::vec::Vec::new(),
        width: 2,
    };
    let names: std::vec::Vec<std::string::String> =
        net.named_parameters().into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["type.weight", "inner.weight", "weight"]);
    let _ = net.inner.forward(Tensor::zeros(&[1, 2]));
    assert_eq!(Choice::B.type_name(), "B");
}
