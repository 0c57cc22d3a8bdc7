use minitrainer::prelude::*;

#[derive(Config)]
enum Activation {
    #[config(rename = "gelu")]
    GeluTanh,
    Gelu,
}

fn main() {}
