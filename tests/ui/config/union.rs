use minitrainer::prelude::*;

#[derive(Config)]
union Bits {
    int: u32,
    float: f32,
}

fn main() {}
