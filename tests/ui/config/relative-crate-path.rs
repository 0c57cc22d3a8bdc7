use minitrainer::prelude::*;

#[derive(Config)]
#[config(crate = minitrainer)]
struct MlpConfig {
    in_dim: usize,
}

fn main() {}
