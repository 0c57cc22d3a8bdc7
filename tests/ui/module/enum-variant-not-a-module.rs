use minitrainer::prelude::*;

#[derive(Module)]
enum Act {
    Relu(ReLU),
    Scale(f32),
}

fn main() {}
