//! Trains a small MLP (64 → 32 → 10) on scikit-learn's 8×8 handwritten digits, compiled into
//! the library (`minitrainer::data::Digits`), and prints its test accuracy.
//!
//! Split as the PyTorch reference fixtures: train = rows [0, 1437), test = rows [1437, 1797),
//! x = pixels / 16. The loop is written by hand over the library's pieces (data set,
//! `DataLoader`, `Sgd`, fused cross-entropy, streaming accuracy) until the `Trainer` lands.
//!
//! ```sh
//! cargo run --release --example digits
//! ```
//!
//! The trained model is saved to `runs/digits/` (config.json + model.safetensors), loaded back
//! by name with `minitrainer::from_pretrained`, and checked to give the same accuracy.

use std::error::Error;
use std::path::Path;

use minitrainer::data::{Batch, DataLoader, Dataset, Digits, Targets};
use minitrainer::metrics::{Accuracy, ClassesConfig, Metric, Target};
use minitrainer::nn::loss::{CrossEntropyLossConfig, cross_entropy};
use minitrainer::optim::{Optimizer, Sgd, SgdConfig};
use minitrainer::prelude::*;

const EPOCHS: u64 = 30;
const BATCH: usize = 32;
const LR: f64 = 0.1;

/// A batch's class labels (the digits set has them).
fn classes(targets: Targets) -> Result<Vec<usize>, Box<dyn Error>> {
    match targets {
        Targets::Classes(labels) => Ok(labels),
        _ => Err("the digits set has class labels".into()),
    }
}

/// Config of [`DigitsMlp`].
#[derive(Config, Clone, Debug, PartialEq)]
pub struct DigitsMlpConfig {
    /// Pixels per image.
    #[config(default = 64, min = 1)]
    pub in_dim: usize,
    /// Width of the hidden layer.
    #[config(default = 32, min = 1)]
    pub hidden: usize,
    /// Number of classes.
    #[config(default = 10, min = 2)]
    pub classes: usize,
}

/// Two linear layers with a ReLU between them (the PyTorch fixture's `TinyNet`).
#[derive(Module)]
#[model(name = "digits_mlp", config = DigitsMlpConfig)]
pub struct DigitsMlp {
    hidden: Linear,
    out: Linear,
}

impl Build for DigitsMlp {
    type Config = DigitsMlpConfig;

    fn build(config: &DigitsMlpConfig, init: &mut Init) -> Self {
        DigitsMlp {
            hidden: Linear::build(&LinearConfig::new(config.in_dim, config.hidden), init),
            out: Linear::build(&LinearConfig::new(config.hidden, config.classes), init),
        }
    }
}

impl Forward for DigitsMlp {
    type Output = Tensor;

    /// `[batch, 64]` → `[batch, 10]` logits.
    fn forward(&self, x: Tensor) -> Tensor {
        self.out.call(self.hidden.call(x).relu())
    }
}

/// Accuracy over a whole set, streamed batch by batch.
fn accuracy<M, D>(model: &M, data: D) -> Result<f64, Box<dyn Error>>
where
    M: Forward<Output = Tensor>,
    D: Dataset<Item = minitrainer::data::Example> + 'static,
{
    let _no_grad = no_grad();
    let mut accuracy = Accuracy::new(&ClassesConfig::default());
    for batch in &DataLoader::builder(data).batch_size(256).build()? {
        let Batch { inputs, targets } = batch?;
        accuracy.update(&model.call(inputs), &Target::Labels(classes(targets)?))?;
    }
    let value = accuracy.compute().and_then(|v| v.as_scalar());
    value.ok_or_else(|| "no test digits".into())
}

fn main() -> Result<(), Box<dyn Error>> {
    let model = DigitsMlp::from_config_str("digits_mlp(in_dim=64, hidden=32, classes=10)")?;
    println!("{}", model.repr());
    // train = rows [0, 1437), test = rows [1437, 1797), pixels / 16: the PyTorch fixture's split.
    let (train, test) = Digits::train_test();
    let (train_rows, test_rows) = (train.len(), test.len());
    let loader = DataLoader::builder(train.clone())
        .batch_size(BATCH)
        .shuffle(true)
        .seed(1)
        .build()?;

    // PyTorch's `SGD(model.parameters(), lr=0.1)` and `F.cross_entropy`.
    let config = SgdConfig {
        lr: LR,
        ..SgdConfig::default()
    };
    let mut optimizer = Sgd::new(&model, config)?;
    let loss_config = CrossEntropyLossConfig::default();
    for epoch in 1..=EPOCHS {
        let mut total = 0.0;
        for batch in &loader {
            let Batch { inputs, targets } = batch?;
            let rows = inputs.shape()[0];
            let loss = cross_entropy(&model.call(inputs), classes(targets)?, &loss_config)?;
            loss.backward();
            optimizer.step();
            optimizer.zero_grad();
            total += loss.item() * rows as f32;
        }
        if epoch % 5 == 0 {
            println!(
                "epoch {epoch:2}  train loss {:.4}",
                total / train_rows as f32
            );
        }
    }
    let test_accuracy = accuracy(&model, test.clone())?;
    println!(
        "train accuracy {:.4}  test accuracy {test_accuracy:.4} ({test_rows} test digits)",
        accuracy(&model, train)?,
    );

    // Save (config.json + model.safetensors), load back by name, check nothing was lost.
    let dir = Path::new("runs/digits");
    model.save_pretrained(dir)?;
    let loaded = minitrainer::from_pretrained(dir)?;
    let reloaded_accuracy = accuracy(&loaded, test)?;
    println!(
        "saved to {}; reloaded test accuracy {reloaded_accuracy:.4}",
        dir.display()
    );
    if reloaded_accuracy != test_accuracy {
        return Err("the reloaded model does not reproduce the trained one".into());
    }
    Ok(())
}
