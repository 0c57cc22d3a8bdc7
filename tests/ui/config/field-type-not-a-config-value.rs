use minitrainer::prelude::*;

struct Tokenizer;

#[derive(Config)]
struct DataConfig {
    tokenizer: Tokenizer,
}

fn main() {}
