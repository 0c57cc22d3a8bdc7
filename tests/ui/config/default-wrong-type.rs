use minitrainer::prelude::*;

#[derive(Config)]
struct MlpConfig {
    #[config(default = "wide")]
    hidden: usize,
}

fn main() {}
