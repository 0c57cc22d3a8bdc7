use minitrainer::prelude::*;

#[derive(Config)]
struct MlpConfig {
    #[config(min = 10, max = 1)]
    in_dim: usize,
}

fn main() {}
