use minitrainer::prelude::*;

#[derive(Config)]
struct MlpConfig<T> {
    in_dim: T,
}

fn main() {}
