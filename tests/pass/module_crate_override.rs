// `crate = ::minitrainer_core` for users who depend on the runtime without the facade.
use minitrainer_core::module::Module as _;
use minitrainer_core::build::{Build as _, Init};
use minitrainer_core::nn::{Linear, LinearConfig};

#[derive(minitrainer::Module)]
#[module(crate = ::minitrainer_core)]
struct Net {
    head: Linear,
}

fn main() {
    let net = Net {
        head: Linear::build(&LinearConfig::new(3, 2), &mut Init::seeded(0)),
    };
    assert_eq!(net.num_parameters(), 8);
}
