use minitrainer::prelude::*;

#[derive(Module)]
#[module(skip)]
struct Net {
    head: Linear,
}

fn main() {}
