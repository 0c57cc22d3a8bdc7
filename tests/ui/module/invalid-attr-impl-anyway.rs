use minitrainer::prelude::*;

#[derive(Module)]
struct Net {
    #[module(renam = "x")]
    head: Linear,
}

// The typo above is the only error: `Net` still implements `Module` (a fallback impl).
fn count(net: &Net) -> usize {
    net.num_parameters()
}

fn main() {}
