use minitrainer::prelude::*;

#[derive(Config)]
struct MlpConfig {
    #[config(mni = 1)]
    in_dim: usize,
}

fn main() {}
