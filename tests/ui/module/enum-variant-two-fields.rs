use minitrainer::prelude::*;

#[derive(Module)]
enum Act {
    Relu(ReLU),
    Both(ReLU, Tanh),
}

fn main() {}
