use minitrainer::prelude::*;

#[derive(Module)]
struct Net {
    #[module(skp)]
    head: Linear,
}

fn main() {}
