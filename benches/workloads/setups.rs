//! The workloads' models, data and training steps, shaped as in PyTorch's `torch_reference.py`.

use minitrainer::nn::loss::{CrossEntropyLossConfig, MseLossConfig, cross_entropy, mse_loss};
use minitrainer::optim::{Adam, AdamConfig, Optimizer, Sgd, SgdConfig};
use minitrainer::prelude::*;
use rand::RngExt;

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
    /// Softmax cross-entropy (the fused op, as `F.cross_entropy`) against class indices.
    CrossEntropy(Vec<usize>),
    /// Mean squared error (the fused op, as `F.mse_loss`) against a target of the
    /// prediction's shape.
    Mse(Tensor),
}

/// One training setup: model, a fixed batch, the loss and the library's optimizer (which
/// holds the parameters, as `torch.optim` does).
pub(crate) struct Train<O> {
    model: Sequential,
    x: Tensor,
    loss: Loss,
    optimizer: O,
}

impl<O: Optimizer> Train<O> {
    /// Forward + backward + update; returns the loss (read it to synchronise, as `.item()`).
    pub(crate) fn step(&mut self) -> Tensor {
        self.optimizer.zero_grad();
        let out = self.model.call(self.x.clone());
        let loss = match &self.loss {
            Loss::CrossEntropy(labels) => {
                cross_entropy(&out, labels, &CrossEntropyLossConfig::default())
                    .expect("the bench's labels are in range")
            }
            Loss::Mse(target) => mse_loss(&out, target, &MseLossConfig::default())
                .expect("the bench's target has the prediction's shape"),
        };
        loss.backward();
        self.optimizer.step();
        loss
    }

    /// Rows in the batch.
    pub(crate) fn batch_size(&self) -> usize {
        self.x.shape()[0]
    }

    pub(crate) fn num_parameters(&self) -> usize {
        self.model.num_parameters()
    }
}

/// W1/W2: an MLP through `dims`, batch `batch`, cross-entropy, SGD lr 0.01.
pub(crate) fn classifier(dims: &[usize], batch: usize) -> Train<Sgd> {
    let mut init = Init::seeded(SEED);
    let model = mlp(dims, &mut init);
    let x = Tensor::randn(&[batch, dims[0]], 0.0, 1.0, init.rng());
    let classes = dims[dims.len() - 1];
    let labels = (0..batch)
        .map(|_| init.rng().random_range(0..classes))
        .collect();
    let config = SgdConfig {
        lr: 0.01,
        ..SgdConfig::default()
    };
    Train {
        optimizer: Sgd::new(&model, config).expect("the model has parameters"),
        model,
        x,
        loss: Loss::CrossEntropy(labels),
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
    Train {
        optimizer: Adam::new(&model, AdamConfig::default()).expect("the model has parameters"),
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

/// PyTorch's `sum(p.numel() for _, p in model.named_parameters())` through
/// `named_parameters()`: owned names (a `String` each) and parameter handles.
pub(crate) fn sum_numel_named(model: &Sequential) -> usize {
    let mut total = 0;
    for (name, p) in model.named_parameters() {
        std::hint::black_box(&name);
        total += p.numel();
    }
    total
}

/// The same through `named_parameter_refs()`, iterated by value as users write it: all the
/// names in one buffer, each taken out as an owned `ParamName`; parameters borrowed.
pub(crate) fn sum_numel_named_refs(model: &Sequential) -> usize {
    let mut total = 0;
    for (name, p) in model.named_parameter_refs() {
        std::hint::black_box(&name);
        total += p.numel();
    }
    total
}

/// The same sum through `visit_parameters`: every name built (borrowed), none allocated —
/// the lazy walk PyTorch's generator is.
pub(crate) fn sum_numel_visit(model: &Sequential) -> usize {
    let mut total = 0;
    model.visit_parameters(&mut |name, p| {
        std::hint::black_box(name);
        total += p.numel();
    });
    total
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
