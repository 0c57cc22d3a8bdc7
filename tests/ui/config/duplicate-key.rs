use minitrainer::prelude::*;

#[derive(Config)]
struct MlpConfig {
    #[config(min = 1, min = 2)]
    in_dim: usize,
}

fn main() {}
