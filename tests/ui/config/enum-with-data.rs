use minitrainer::prelude::*;

#[derive(Config)]
enum Activation {
    Relu,
    LeakyRelu(f32),
}

fn main() {}
