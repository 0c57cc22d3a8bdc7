//! Models for minitrainer's tests, in a library crate of their own (`publish = false`).
//!
//! The root crate's integration tests load these by name only (`minitrainer::load("test_mlp(...)")`),
//! never naming a type from here, to prove that `#[model]` registrations in another crate are
//! found once that crate is linked (`use minitrainer_test_models as _;`). This crate's own
//! tests check the other side: unlinked, the models are absent and the error says why; and a
//! second type registered under a taken name is reported naming both.

use minitrainer::prelude::*;

/// The nonlinearity between hidden layers.
#[derive(Config, Clone, Copy, Debug, PartialEq)]
pub enum Activation {
    /// `max(0, x)`.
    Relu,
    /// `tanh(x)`.
    Tanh,
}

/// Config of [`TestMlp`].
#[derive(Config, Clone, Debug, PartialEq)]
pub struct TestMlpConfig {
    /// Number of input features.
    #[config(min = 1)]
    pub in_dim: usize,
    /// Hidden layer widths.
    #[config(default = vec![16], non_empty)]
    pub hidden: Vec<usize>,
    /// Number of outputs.
    #[config(min = 1)]
    pub out_dim: usize,
    /// Nonlinearity after each hidden layer.
    #[config(default = Activation::Relu)]
    pub activation: Activation,
}

/// A multi-layer perceptron: `layers.i` then `head`.
///
/// # Shapes
/// input `[batch, in_dim]`, output `[batch, out_dim]`
#[derive(Module)]
#[model(name = "test_mlp", config = TestMlpConfig)]
pub struct TestMlp {
    layers: Vec<Linear>,
    head: Linear,
    activation: Activation,
}

impl Build for TestMlp {
    type Config = TestMlpConfig;

    fn build(config: &TestMlpConfig, init: &mut Init) -> Self {
        let mut layers = Vec::with_capacity(config.hidden.len());
        let mut width = config.in_dim;
        for &hidden in &config.hidden {
            layers.push(Linear::build(&LinearConfig::new(width, hidden), init));
            width = hidden;
        }
        TestMlp {
            layers,
            head: Linear::build(&LinearConfig::new(width, config.out_dim), init),
            activation: config.activation,
        }
    }
}

impl Forward for TestMlp {
    type Output = Tensor;

    fn forward(&self, input: Tensor) -> Tensor {
        let mut x = input;
        for layer in &self.layers {
            let y = layer.call(x);
            x = match self.activation {
                Activation::Relu => y.relu(),
                Activation::Tanh => y.tanh(),
            };
        }
        self.head.call(x)
    }
}
