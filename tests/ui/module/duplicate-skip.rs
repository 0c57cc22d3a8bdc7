use minitrainer::prelude::*;

#[derive(Module)]
struct Net {
    #[module(skip, skip)]
    cache: Vec<f32>,
}

fn main() {}
