//! The workloads' models, data and training steps, shaped as in PyTorch's `torch_reference.py`.

use minitrainer::prelude::*;
use ndarray::ArrayD;
use rand::RngExt;

use crate::optim::{Adam, Optimizer, Sgd};

/// The seed of every model and data set here (the PyTorch script uses 42 too; the values
/// differ, as the generators do, but shapes and distributions are the same).
const SEED: u64 = 42;

/// `Linear, ReLU, Linear, ...` through `dims`, as the PyTorch script's `mlp`.
pub(crate) fn mlp(dims: &[usize], init: &mut Init) -> Sequential {
    let mut net = Sequential::new();
    for (i, pair) in dims.windows(2).enumerate() {
        net = net.push(Linear::build(&LinearConfig::new(pair[0], pair[1]), init));
        if i + 2 < dims.len() {
            net = net.push(ReLU::new());
        }
    }
    net
}

/// The loss and its target.
pub(crate) enum Loss {
    /// Softmax cross-entropy against `[batch, 1]` class indices.
    CrossEntropy(ArrayD<usize>),
    /// Mean squared error against a target of the prediction's shape.
    Mse(Tensor),
}

/// One training setup: model, its parameters (collected once, as an optimizer holds them),
/// a fixed batch, the loss and the update rule.
pub(crate) struct Train<O> {
    model: Sequential,
    params: Vec<Param>,
    x: Tensor,
    loss: Loss,
    optimizer: O,
}

impl<O: Optimizer> Train<O> {
    /// Forward + backward + update; returns the loss (read it to synchronise, as `.item()`).
    pub(crate) fn step(&mut self) -> Tensor {
        for p in &self.params {
            p.zero_grad();
        }
        let out = self.model.call(self.x.clone());
        let loss = match &self.loss {
            Loss::CrossEntropy(labels) => out.log_softmax(1).gather(1, labels).mean().neg(),
            Loss::Mse(target) => out.sub(target).powf(2.0).mean(),
        };
        loss.backward();
        self.optimizer.step(&self.params);
        loss
    }

    /// Rows in the batch.
    pub(crate) fn batch_size(&self) -> usize {
        self.x.shape()[0]
    }

    pub(crate) fn num_parameters(&self) -> usize {
        self.params.iter().map(|p| p.numel()).sum()
    }
}

/// W1/W2: an MLP through `dims`, batch `batch`, cross-entropy, SGD lr 0.01.
pub(crate) fn classifier(dims: &[usize], batch: usize) -> Train<Sgd> {
    let mut init = Init::seeded(SEED);
    let model = mlp(dims, &mut init);
    let x = Tensor::randn(&[batch, dims[0]], 0.0, 1.0, init.rng());
    let classes = dims[dims.len() - 1];
    let labels =
        ArrayD::from_shape_simple_fn(vec![batch, 1], || init.rng().random_range(0..classes));
    Train {
        params: model.parameters(),
        model,
        x,
        loss: Loss::CrossEntropy(labels),
        optimizer: Sgd { lr: 0.01 },
    }
}

pub(crate) fn w1() -> Train<Sgd> {
    classifier(&[784, 256, 10], 64)
}

pub(crate) fn w2() -> Train<Sgd> {
    classifier(&[784, 1024, 1024, 10], 256)
}

/// W3: MLP 8-16-16-1, batch 1, MSE, Adam lr 1e-3.
pub(crate) fn w3() -> Train<Adam> {
    let mut init = Init::seeded(SEED);
    let model = mlp(&[8, 16, 16, 1], &mut init);
    let x = Tensor::randn(&[1, 8], 0.0, 1.0, init.rng());
    let y = Tensor::randn(&[1, 1], 0.0, 1.0, init.rng());
    let params = model.parameters();
    Train {
        optimizer: Adam::new(&params, 1e-3),
        params,
        model,
        x,
        loss: Loss::Mse(y),
    }
}

/// W4: the 784-256-10 MLP in eval mode and one `[1, 784]` sample.
pub(crate) fn w4() -> (Sequential, Tensor) {
    let mut init = Init::seeded(SEED);
    let mut model = mlp(&[784, 256, 10], &mut init);
    model.eval();
    (model, Tensor::randn(&[1, 784], 0.0, 1.0, init.rng()))
}

/// W5: 200 stacked `Linear(64, 64)` (children `0` … `199`, as `nn.Sequential`).
pub(crate) fn w5() -> Sequential {
    let mut init = Init::seeded(SEED);
    (0..200).fold(Sequential::new(), |net, _| {
        net.push(Linear::build(&LinearConfig::new(64, 64), &mut init))
    })
}

pub(crate) fn sum_numel_named(model: &Sequential) -> usize {
    model
        .named_parameters()
        .iter()
        .map(|(_, p)| p.numel())
        .sum()
}

pub(crate) fn sum_numel(model: &Sequential) -> usize {
    model.parameters().iter().map(|p| p.numel()).sum()
}

/// G: two `[n, n]` standard-normal matrices.
pub(crate) fn gemm_operands(n: usize) -> (Tensor, Tensor) {
    let mut init = Init::seeded(SEED);
    let a = Tensor::randn(&[n, n], 0.0, 1.0, init.rng());
    (a, Tensor::randn(&[n, n], 0.0, 1.0, init.rng()))
}
