use minitrainer::prelude::*;

#[derive(Config)]
struct TokenizerConfig {
    #[config(range = 1..10)]
    vocab_file: String,
}

fn main() {}
