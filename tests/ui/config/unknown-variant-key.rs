use minitrainer::prelude::*;

#[derive(Config)]
enum Activation {
    #[config(renmae = "gelu-tanh")]
    GeluTanh,
}

fn main() {}
