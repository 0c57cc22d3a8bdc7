//! Trains a small MLP (64 → 32 → 10) on scikit-learn's 8×8 handwritten digits, compiled into
//! the library (`minitrainer::data::Digits`), and prints its test accuracy.
//!
//! Split as the PyTorch reference fixtures: train = rows [0, 1437), test = rows [1437, 1797),
//! x = pixels / 16.
//!
//! ```sh
//! cargo run --release --example digits
//! ```
//!
//! The trained model is saved to `runs/digits/` (config.json + model.safetensors), loaded back
//! by name with `minitrainer::from_pretrained`, and checked to give the same accuracy.

use std::error::Error;
use std::path::Path;

use minitrainer::data::Labels;
use minitrainer::nn::loss::{CrossEntropyLossConfig, cross_entropy};
use minitrainer::optim::{Optimizer, Sgd, SgdConfig};
use minitrainer::prelude::*;
use ndarray::{Array2, Axis};
use rand::seq::SliceRandom;

const N_TRAIN: usize = 1437;
const EPOCHS: usize = 30;
const BATCH: usize = 32;
const LR: f64 = 0.1;

/// The digits set: `x` is `[n, 64]` in [0, 1], `y` the labels 0..9.
struct Digits {
    x: Array2<f32>,
    y: Vec<usize>,
}

impl Digits {
    /// The set compiled into the library (`minitrainer::data::Digits`, pixels / 16).
    fn load() -> Result<Self, Box<dyn Error>> {
        let set = minitrainer::data::Digits::load();
        let Labels::Classes(y) = set.labels() else {
            return Err("the digits set has class labels".into());
        };
        let x = set.features().clone().into_dimensionality()?;
        Ok(Digits { x, y: y.clone() })
    }

    /// Rows `rows` as a `[len, 64]` tensor and their labels.
    fn batch(&self, rows: &[usize]) -> (Tensor, Vec<usize>) {
        let x = Tensor::from_array(self.x.select(Axis(0), rows).into_dyn());
        (x, rows.iter().map(|&r| self.y[r]).collect())
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

fn accuracy<M: Forward<Output = Tensor>>(model: &M, data: &Digits, rows: &[usize]) -> f32 {
    let _no_grad = no_grad();
    let (x, _) = data.batch(rows);
    let logits = model.call(x).to_array();
    let correct = logits
        .outer_iter()
        .zip(rows)
        .filter(|(row, r)| {
            let best = row
                .iter()
                .enumerate()
                .max_by(|a, b| a.1.total_cmp(b.1))
                .map(|(i, _)| i);
            best == Some(data.y[**r])
        })
        .count();
    correct as f32 / rows.len() as f32
}

fn main() -> Result<(), Box<dyn Error>> {
    let data = Digits::load()?;
    let model = DigitsMlp::from_config_str("digits_mlp(in_dim=64, hidden=32, classes=10)")?;
    println!("{}", model.repr());
    let mut rng = seeded_rng(1);
    let mut train: Vec<usize> = (0..N_TRAIN).collect();
    let test: Vec<usize> = (N_TRAIN..data.y.len()).collect();

    // PyTorch's `SGD(model.parameters(), lr=0.1)` and `F.cross_entropy`.
    let mut optimizer = Sgd::new(
        &model,
        SgdConfig {
            lr: LR,
            ..SgdConfig::default()
        },
    )?;
    let loss_config = CrossEntropyLossConfig::default();
    for epoch in 1..=EPOCHS {
        train.shuffle(&mut rng);
        let mut total = 0.0;
        for rows in train.chunks(BATCH) {
            let (x, labels) = data.batch(rows);
            let loss = cross_entropy(&model.call(x), &labels, &loss_config)?;
            loss.backward();
            optimizer.step();
            optimizer.zero_grad();
            total += loss.item() * rows.len() as f32;
        }
        if epoch % 5 == 0 {
            println!("epoch {epoch:2}  train loss {:.4}", total / N_TRAIN as f32);
        }
    }
    let test_accuracy = accuracy(&model, &data, &test);
    println!(
        "train accuracy {:.4}  test accuracy {test_accuracy:.4} ({} test digits)",
        accuracy(&model, &data, &train),
        test.len()
    );

    // Save (config.json + model.safetensors), load back by name, check nothing was lost.
    let dir = Path::new("runs/digits");
    model.save_pretrained(dir)?;
    let loaded = minitrainer::from_pretrained(dir)?;
    let reloaded_accuracy = accuracy(&loaded, &data, &test);
    println!(
        "saved to {}; reloaded test accuracy {reloaded_accuracy:.4}",
        dir.display()
    );
    if reloaded_accuracy != test_accuracy {
        return Err("the reloaded model does not reproduce the trained one".into());
    }
    Ok(())
}
