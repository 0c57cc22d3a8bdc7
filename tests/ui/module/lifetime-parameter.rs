use minitrainer::prelude::*;

#[derive(Module)]
struct Net<'a> {
    head: &'a Linear,
}

fn main() {}
