//! A user's own model, defined in this test binary, is seen by the library entry point
//! (`minitrainer_cli::main_with_args`), as it is in a user's own `minitrainer` binary.

use minitrainer::nn::{Linear, LinearConfig};
use minitrainer::prelude::*;

use super::{repo, scratch};

/// Config of [`TinyClassifier`].
#[derive(Config, Clone, Debug, PartialEq)]
pub struct TinyConfig {
    /// Inputs.
    pub inputs: usize,
    /// Classes.
    pub classes: usize,
}

/// One linear layer.
#[derive(Module)]
#[model(name = "tiny_classifier", config = TinyConfig)]
pub struct TinyClassifier {
    out: Linear,
}

impl Build for TinyClassifier {
    type Config = TinyConfig;
    fn build(config: &TinyConfig, init: &mut Init) -> Self {
        TinyClassifier {
            out: Linear::build(&LinearConfig::new(config.inputs, config.classes), init),
        }
    }
}

impl Forward for TinyClassifier {
    type Output = Tensor;
    fn forward(&self, x: Tensor) -> Tensor {
        self.out.call(x)
    }
}

#[test]
fn a_model_linked_into_the_program_is_listed_and_trained() {
    let lines = minitrainer_cli::commands::list::list_lines().unwrap();
    assert!(
        lines.iter().any(|l| l.starts_with("tiny_classifier")),
        "{lines:?}"
    );
    let out = scratch("own-model").join("run");
    let run = repo("examples/runs/wine.json");
    let args = [
        "minitrainer".to_string(),
        "train".into(),
        run.display().to_string(),
        "--set".into(),
        "model=tiny_classifier(inputs=13, classes=3)".into(),
        "--set".into(),
        "epochs=1".into(),
        "--out".into(),
        out.display().to_string(),
        "--quiet".into(),
    ];
    minitrainer_cli::main_with_args(args).unwrap();
    let config = std::fs::read_to_string(out.join("config.json")).unwrap();
    assert!(config.contains("tiny_classifier"), "{config}");
}
