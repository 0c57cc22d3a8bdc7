use minitrainer::prelude::*;

#[derive(Config)]
enum Activation {
    #[config(rename = gelu_tanh)]
    GeluTanh,
}

fn main() {}
