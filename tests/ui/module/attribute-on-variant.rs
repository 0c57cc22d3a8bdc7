use minitrainer::prelude::*;

#[derive(Module)]
enum Act {
    #[module(rename = "r")]
    Relu(ReLU),
}

fn main() {}
