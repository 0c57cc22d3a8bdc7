use minitrainer::prelude::*;

#[derive(Module)]
#[module(crat = ::minitrainer)]
struct Net {
    #[module(skp)]
    a: Linear,
    #[module(rename = "")]
    b: Linear,
    #[module(skip, alias = "old")]
    c: Vec<f32>,
}

fn main() {}
