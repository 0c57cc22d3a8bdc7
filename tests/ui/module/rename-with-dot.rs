use minitrainer::prelude::*;

#[derive(Module)]
struct Net {
    #[module(rename = "enc.head")]
    head: Linear,
}

fn main() {}
