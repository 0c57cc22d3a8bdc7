//! `mlp`: a registered multi-layer perceptron, so run files can describe the usual
//! classifier or regressor without the user writing a model crate.
//!
//! It lives in the CLI crate (not in core's built-ins, which are single layers named after
//! PyTorch's classes): `minitrainer::load("mlp(in_dim=64, hidden=[128], out_dim=10)")` finds
//! it in any program that links `minitrainer_cli`.

use minitrainer::nn::{Dropout, DropoutConfig, Linear, LinearConfig};
use minitrainer::prelude::*;

/// The non-linearity between the hidden layers of an [`Mlp`].
#[derive(Config, Clone, Copy, Debug, PartialEq)]
pub enum MlpActivation {
    /// max(0, x).
    Relu,
    /// tanh(x).
    Tanh,
    /// GELU (exact, erf form).
    Gelu,
    /// 1 / (1 + e^-x).
    Sigmoid,
}

/// Config of [`Mlp`].
#[derive(Config, Clone, Debug, PartialEq)]
pub struct MlpConfig {
    /// Input features per sample (an input of any shape is flattened to this width).
    #[config(min = 1)]
    pub in_dim: usize,
    /// Widths of the hidden layers, in order (empty: a linear model).
    #[config(default = vec![128])]
    pub hidden: Vec<usize>,
    /// Outputs: classes for a classifier, target values for a regressor.
    #[config(min = 1)]
    pub out_dim: usize,
    /// The activation after each hidden layer.
    #[config(default = MlpActivation::Relu)]
    pub activation: MlpActivation,
    /// Dropout probability after each hidden activation (0: none).
    #[config(default = 0.0, range = 0.0..1.0)]
    pub dropout: f32,
}

/// Linear layers with an activation (and optional dropout) between them:
/// `in_dim → hidden[0] → … → out_dim`. Inputs `[batch, ...]` are flattened to
/// `[batch, in_dim]`; outputs are `[batch, out_dim]` (logits or values).
#[derive(Module)]
#[model(name = "mlp", config = MlpConfig)]
pub struct Mlp {
    layers: Vec<Linear>,
    dropout: Option<Dropout>,
    #[module(skip)]
    activation: MlpActivation,
}

impl Build for Mlp {
    type Config = MlpConfig;

    fn build(config: &MlpConfig, init: &mut Init) -> Self {
        let widths: Vec<usize> = std::iter::once(config.in_dim)
            .chain(config.hidden.iter().copied())
            .chain(std::iter::once(config.out_dim))
            .collect();
        let layers = widths
            .windows(2)
            .map(|w| Linear::build(&LinearConfig::new(w[0], w[1]), init))
            .collect();
        let dropout = (config.dropout > 0.0)
            .then(|| Dropout::build(&DropoutConfig { p: config.dropout }, init));
        Mlp {
            layers,
            dropout,
            activation: config.activation,
        }
    }
}

impl Forward for Mlp {
    type Output = Tensor;

    fn forward(&self, x: Tensor) -> Tensor {
        let rows = x.shape().first().copied().unwrap_or(0);
        // Flatten images (`[batch, 28, 28]`) to rows; a width that does not fit is reported by
        // the first layer, naming it.
        let mut x = match (x.shape().len(), rows) {
            (2, _) | (_, 0) => x,
            _ => x.reshape(&[rows, x.numel() / rows]),
        };
        let last = self.layers.len().saturating_sub(1);
        for (i, layer) in self.layers.iter().enumerate() {
            x = layer.call(x);
            if i < last {
                x = match self.activation {
                    MlpActivation::Relu => x.relu(),
                    MlpActivation::Tanh => x.tanh(),
                    MlpActivation::Gelu => x.gelu(),
                    MlpActivation::Sigmoid => x.sigmoid(),
                };
                if let Some(dropout) = &self.dropout {
                    x = dropout.call(x);
                }
            }
        }
        x
    }
}
