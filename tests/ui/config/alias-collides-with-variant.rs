use minitrainer::prelude::*;

#[derive(Config)]
enum Activation {
    Relu,
    #[config(alias = "relu")]
    Gelu,
}

fn main() {}
