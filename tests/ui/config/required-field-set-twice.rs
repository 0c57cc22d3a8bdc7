use minitrainer::prelude::*;

#[derive(Config)]
struct MlpConfig {
    in_dim: usize,
}

fn main() {
    let _ = MlpConfig::builder().in_dim(64).in_dim(32).build();
}
