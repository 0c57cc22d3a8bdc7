//! A user's own `minitrainer` binary: a model defined (or linked) here is seen by `list`,
//! `describe`, `train` and `predict`, because the registry holds every `#[model]` linked into
//! the program.
//!
//! ```sh
//! cargo run -p minitrainer-cli --example custom_cli -- list        # shows `affine`
//! cargo run -p minitrainer-cli --example custom_cli -- train examples/runs/wine.json \
//!     --set 'model=affine(inputs=13, outputs=3)' --out runs/wine-affine
//! ```
//!
//! With models in their own crate, name it once so it is linked: `use my_models as _;`.

use minitrainer::nn::{Linear, LinearConfig};
use minitrainer::prelude::*;

/// Config of [`Affine`].
#[derive(Config, Clone, Debug, PartialEq)]
pub struct AffineConfig {
    /// Input features.
    #[config(min = 1)]
    pub inputs: usize,
    /// Outputs.
    #[config(min = 1)]
    pub outputs: usize,
}

/// One linear layer: a multinomial logistic regression under cross-entropy.
#[derive(Module)]
#[model(name = "affine", config = AffineConfig)]
pub struct Affine {
    linear: Linear,
}

impl Build for Affine {
    type Config = AffineConfig;

    fn build(config: &AffineConfig, init: &mut Init) -> Self {
        Affine {
            linear: Linear::build(&LinearConfig::new(config.inputs, config.outputs), init),
        }
    }
}

impl Forward for Affine {
    type Output = Tensor;

    fn forward(&self, x: Tensor) -> Tensor {
        self.linear.call(x)
    }
}

fn main() -> std::process::ExitCode {
    minitrainer_cli::run()
}
