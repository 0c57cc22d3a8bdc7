use minitrainer::prelude::*;

#[derive(Module)]
struct Net {
    weight: Param,
    #[module(alias = "weight")]
    bias: Param,
}

fn main() {}
