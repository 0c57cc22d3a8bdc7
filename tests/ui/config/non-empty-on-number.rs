use minitrainer::prelude::*;

#[derive(Config)]
struct MlpConfig {
    #[config(non_empty)]
    in_dim: usize,
}

fn main() {}
