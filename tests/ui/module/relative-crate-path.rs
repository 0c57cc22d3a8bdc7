use minitrainer::prelude::*;

#[derive(Module)]
#[module(crate = minitrainer_core)]
struct Net {
    head: Linear,
}

fn main() {}
