use minitrainer::prelude::*;

#[derive(Config)]
struct MlpConfig {
    #[config(mni = 1)]
    in_dim: usize,
    #[config(non_empty, range = 0.0..1.0)]
    dropout: f32,
    #[config(default = vec![128], default = vec![64])]
    hidden: Vec<usize>,
    #[config(min = 8, max = 2)]
    out_dim: usize,
}

fn main() {}
