use minitrainer::prelude::*;

#[derive(Config, Clone, Debug, PartialEq)]
pub struct ScaleConfig {}

#[derive(Module)]
#[model(name = "scale", config = ScaleConfig)]
pub struct Scale {
    factor: f32,
}

fn main() {}
