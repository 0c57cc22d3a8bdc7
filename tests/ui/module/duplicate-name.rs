use minitrainer::prelude::*;

#[derive(Module)]
struct Net {
    head: Linear,
    #[module(rename = "head")]
    classifier: Linear,
}

fn main() {}
