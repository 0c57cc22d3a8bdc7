use minitrainer::prelude::*;

#[derive(Config)]
struct MlpConfig {
    #[config(min = 1)]
    in_dim: usize,
    #[config(min = 1)]
    out_dim: usize,
    #[config(default = vec![128])]
    hidden: Vec<usize>,
}

fn main() {
    let _ = MlpConfig::builder().in_dim(64).build();
}
