//! Trains a small MLP (64 → 32 → 10) on scikit-learn's 8×8 handwritten digits, shipped in
//! `data/digits.csv`, and prints its test accuracy.
//!
//! Split as the PyTorch reference fixtures: train = rows [0, 1437), test = rows [1437, 1797),
//! x = pixels / 16.
//!
//! ```sh
//! cargo run --release --example digits
//! ```

use std::error::Error;
use std::path::Path;

use minitrainer::prelude::*;
use ndarray::{Array2, ArrayD, Axis};
use rand::seq::SliceRandom;

const N_TRAIN: usize = 1437;
const EPOCHS: usize = 30;
const BATCH: usize = 32;
const LR: f32 = 0.1;

/// The digits set: `x` is `[n, 64]` in [0, 1], `y` the labels 0..9.
struct Digits {
    x: Array2<f32>,
    y: Vec<usize>,
}

impl Digits {
    fn load(path: &Path) -> Result<Self, Box<dyn Error>> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let (mut pixels, mut y) = (Vec::new(), Vec::new());
        for (line_no, line) in text.lines().enumerate().skip(1) {
            let values = line
                .split(',')
                .map(str::parse::<u8>)
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| format!("{}:{}: {e}", path.display(), line_no + 1))?;
            let Some((&label, row)) = values.split_last().filter(|(_, row)| row.len() == 64) else {
                return Err(
                    format!("{}:{}: expected 65 columns", path.display(), line_no + 1).into(),
                );
            };
            pixels.extend(row.iter().map(|&p| f32::from(p) / 16.0));
            y.push(usize::from(label));
        }
        let x = Array2::from_shape_vec((y.len(), 64), pixels)?;
        Ok(Digits { x, y })
    }

    /// Rows `rows` as a `[len, 64]` tensor and a `[len, 1]` label index (for `gather`).
    fn batch(&self, rows: &[usize]) -> (Tensor, ArrayD<usize>) {
        let x = Tensor::from_array(self.x.select(Axis(0), rows));
        let labels = rows.iter().map(|&r| self.y[r]).collect::<Vec<_>>();
        let labels =
            ArrayD::from_shape_vec(vec![rows.len(), 1], labels).expect("one label per row");
        (x, labels)
    }
}

/// Two linear layers with a ReLU between them, initialised as PyTorch's `nn.Linear`.
struct Mlp {
    params: Vec<Tensor>,
}

impl Mlp {
    fn new(sizes: [usize; 3], rng: &mut impl rand::Rng) -> Self {
        let mut params = Vec::new();
        for pair in sizes.windows(2) {
            let (fan_in, fan_out) = (pair[0], pair[1]);
            let bound = 1.0 / (fan_in as f32).sqrt();
            params.push(Tensor::rand_uniform(&[fan_out, fan_in], -bound, bound, rng));
            params.push(Tensor::rand_uniform(&[fan_out], -bound, bound, rng));
        }
        for p in &params {
            p.set_requires_grad(true);
        }
        Mlp { params }
    }

    /// `[batch, 64]` → `[batch, 10]` logits.
    fn forward(&self, x: &Tensor) -> Tensor {
        let [w1, b1, w2, b2] = &self.params[..] else {
            unreachable!("two layers")
        };
        let hidden = x.matmul(&w1.transpose(0, 1)).add(b1).relu();
        hidden.matmul(&w2.transpose(0, 1)).add(b2)
    }
}

fn accuracy(model: &Mlp, data: &Digits, rows: &[usize]) -> f32 {
    let _no_grad = no_grad();
    let (x, _) = data.batch(rows);
    let logits = model.forward(&x).to_array();
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
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/digits.csv");
    let data = Digits::load(&path)?;
    let mut rng = seeded_rng(0);
    let model = Mlp::new([64, 32, 10], &mut rng);
    let mut train: Vec<usize> = (0..N_TRAIN).collect();
    let test: Vec<usize> = (N_TRAIN..data.y.len()).collect();

    for epoch in 1..=EPOCHS {
        train.shuffle(&mut rng);
        let mut total = 0.0;
        for rows in train.chunks(BATCH) {
            let (x, labels) = data.batch(rows);
            // cross-entropy = mean over the batch of -log softmax(logits)[label]
            let loss = model
                .forward(&x)
                .log_softmax(1)
                .gather(1, &labels)
                .mean()
                .neg();
            loss.backward();
            for p in &model.params {
                if let Some(grad) = p.grad() {
                    p.update_data(|value| value.scaled_add(-LR, &grad));
                }
                p.zero_grad();
            }
            total += loss.item() * rows.len() as f32;
        }
        if epoch % 5 == 0 {
            println!("epoch {epoch:2}  train loss {:.4}", total / N_TRAIN as f32);
        }
    }
    println!(
        "train accuracy {:.4}  test accuracy {:.4} ({} test digits)",
        accuracy(&model, &data, &train),
        accuracy(&model, &data, &test),
        test.len()
    );
    Ok(())
}
