// Configs and config enums are plain data: they may sit in a `#[derive(Module)]` struct.
use minitrainer::module::PlainData;
use minitrainer::prelude::*;

#[derive(Config)]
enum Activation {
    Relu,
}

#[derive(Config)]
struct LayerConfig {
    width: usize,
    activation: Activation,
}

fn plain<T: PlainData>() {}

fn main() {
    plain::<LayerConfig>();
    plain::<Activation>();
    plain::<Vec<LayerConfig>>();
}
