use minitrainer::prelude::*;

#[derive(Module)]
struct Net {
    #[module(skip, rename = "c")]
    cache: Vec<f32>,
}

fn main() {}
