use minitrainer::prelude::*;

struct Tokenizer;

#[derive(Module)]
struct Net {
    head: Linear,
    tokenizer: Tokenizer,
}

fn main() {}
