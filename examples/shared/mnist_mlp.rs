//! The MNIST example's model, shared by `examples/mnist.rs` and the W6 bench
//! (`benches/workloads/mnist.rs`) through `#[path]`: one definition, so the bench times exactly
//! the example's network. Not an example itself (cargo only runs `examples/*.rs`).

use minitrainer::prelude::*;

/// Config of [`MnistMlp`].
#[derive(Config, Clone, Debug, PartialEq)]
pub struct MnistMlpConfig {
    /// Pixels per image.
    #[config(default = 784, min = 1)]
    pub in_dim: usize,
    /// Width of the hidden layer.
    #[config(default = 256, min = 1)]
    pub hidden: usize,
    /// Number of classes.
    #[config(default = 10, min = 2)]
    pub classes: usize,
}

/// Flatten, then two linear layers with a ReLU between them (PyTorch's
/// `nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))`).
#[derive(Module)]
#[model(name = "mnist_mlp", config = MnistMlpConfig)]
pub struct MnistMlp {
    hidden: Linear,
    out: Linear,
}

impl Build for MnistMlp {
    type Config = MnistMlpConfig;

    fn build(config: &MnistMlpConfig, init: &mut Init) -> Self {
        MnistMlp {
            hidden: Linear::build(&LinearConfig::new(config.in_dim, config.hidden), init),
            out: Linear::build(&LinearConfig::new(config.hidden, config.classes), init),
        }
    }
}

impl Forward for MnistMlp {
    type Output = Tensor;

    /// `[batch, 28, 28]` (or `[batch, 784]`) → `[batch, 10]` logits.
    fn forward(&self, x: Tensor) -> Tensor {
        let rows = x.shape()[0];
        let x = x.reshape(&[rows, x.numel() / rows]);
        self.out.call(self.hidden.call(x).relu())
    }
}
