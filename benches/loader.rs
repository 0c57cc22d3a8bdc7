//! One epoch of the data loader over an in-memory MNIST-sized set (60,000 × 784 f32, labels),
//! batches of 64, no model: the loader's own cost (get + collate + hand-off) with 0 and 2
//! workers. PyTorch's side: `tools/reference/bench_loader.py`.
//! Run: `cargo bench --bench loader -- --warm-up-time 1 --measurement-time 5`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use minitrainer::data::{DataLoader, Dataset, Example, Target};
use ndarray::{ArrayD, IxDyn};

const SAMPLES: usize = 60_000;
const FEATURES: usize = 784;

/// Features and labels in one flat buffer, like `TensorDataset(x, y)`.
struct InMemory {
    features: Vec<f32>,
    labels: Vec<usize>,
}

impl Dataset for InMemory {
    type Item = Example;
    type Error = std::convert::Infallible;

    fn len(&self) -> usize {
        self.labels.len()
    }

    fn get(&self, index: usize) -> Result<Example, Self::Error> {
        let row = self.features[index * FEATURES..(index + 1) * FEATURES].to_vec();
        Ok(Example {
            features: ArrayD::from_shape_vec(IxDyn(&[FEATURES]), row)
                .expect("bench: the row has FEATURES values"),
            target: Target::Class(self.labels[index]),
        })
    }
}

fn in_memory() -> InMemory {
    InMemory {
        features: (0..SAMPLES * FEATURES)
            .map(|i| (i % 255) as f32 / 255.0)
            .collect(),
        labels: (0..SAMPLES).map(|i| i % 10).collect(),
    }
}

fn epoch(c: &mut Criterion) {
    let mut group = c.benchmark_group("loader_epoch_60000x784_batch64");
    group.sample_size(10);
    for workers in [0, 2] {
        let loader = DataLoader::builder(in_memory())
            .batch_size(64)
            .num_workers(workers)
            .build()
            .expect("bench: valid options");
        group.bench_function(format!("workers_{workers}"), |b| {
            b.iter(|| {
                let mut rows = 0;
                for batch in &loader {
                    rows += black_box(batch.expect("bench: in-memory samples load"))
                        .inputs
                        .shape()[0];
                }
                assert_eq!(rows, SAMPLES);
            })
        });
    }
    group.finish();
}

criterion_group!(benches, epoch);
criterion_main!(benches);
