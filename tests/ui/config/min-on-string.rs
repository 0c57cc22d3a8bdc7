use minitrainer::prelude::*;

#[derive(Config)]
struct TokenizerConfig {
    #[config(min = 1)]
    name: String,
}

fn main() {}
