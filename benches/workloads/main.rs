//! The reference workloads of the project's benchmark brief (W1–W5 and G), the same models,
//! batches, losses, update rules and synthetic data as PyTorch's `torch_reference.py`, float32;
//! and W6, MNIST epochs through the `Trainer` (`mnist.rs`; PyTorch's side is
//! `tools/reference/mnist_torch.py`), skipped with a message when the MNIST files are absent.
//!
//! Two modes:
//! - `cargo bench --bench workloads` runs them under criterion (add a filter after `--`,
//!   e.g. `-- W1`). G-gemm 4096² runs only in the TSV mode (seconds per product).
//! - `MINITRAINER_TSV=all cargo bench --bench workloads` prints one line per repetition,
//!   `minitrainer  WORKLOAD  THREADS  UNIT  VALUE`, as the PyTorch script does, so both
//!   can be put in one table. `MINITRAINER_TSV` takes `all` (W1–W5, as the PyTorch script's
//!   `all`) or a comma list of `w1,w2,w3,w4,w5,w6,gemm`; `MINITRAINER_REPS` sets the repetitions
//!   (default 5); THREADS is `minitrainer::num_threads()`, set with `MINITRAINER_NUM_THREADS`
//!   (default: 2 on a machine with 2 cores or more; only large GEMMs use the second thread).
//!
//! The training workloads use the library's optimizers (`minitrainer::optim`: SGD for W1/W2,
//! Adam for W3 and W6) and its fused cross-entropy, as the PyTorch script uses `torch.optim` and
//! `F.cross_entropy`.
//!
//! W6's sizes: criterion times an epoch over the first [`W6_CRITERION_IMAGES`] training images
//! (157 steps; its `elem/s` reads as steps/s, so a full 938-step epoch takes 938 / rate
//! seconds); the TSV mode times full 60,000-image epochs, as the PyTorch script does.

mod mnist;
mod setups;
mod tsv;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput};
use minitrainer::prelude::*;

use mnist::W6;
use setups::{
    gemm_operands, sum_numel, sum_numel_named, sum_numel_named_refs, sum_numel_visit, w1, w2, w3,
    w4, w5,
};
use tsv::Tsv;

/// Training workloads; throughput `elem/s` reads as steps/s.
fn bench_training(c: &mut Criterion) {
    let mut group = c.benchmark_group("train");
    group.throughput(Throughput::Elements(1));
    let mut train = w1();
    group.bench_function("W1-mlp-small-train", |b| b.iter(|| train.step()));
    let mut train = w3();
    group.bench_function("W3-tiny-overhead-train", |b| b.iter(|| train.step()));
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    let mut train = w2();
    group.bench_function("W2-mlp-large-train", |b| b.iter(|| train.step()));
    group.finish();
}

/// Training images in W6's criterion epoch (a sixth of MNIST, to keep the bench short).
const W6_CRITERION_IMAGES: usize = 10_000;

/// W6: one epoch over the first [`W6_CRITERION_IMAGES`] MNIST images through the trainer;
/// throughput `elem/s` reads as steps/s.
fn bench_mnist(c: &mut Criterion) {
    let mut w6 = match W6::new(Some(W6_CRITERION_IMAGES)) {
        Ok(w6) => w6,
        Err(why) => return eprintln!("{why}"),
    };
    let mut group = c.benchmark_group("train");
    group.throughput(Throughput::Elements(w6.steps_per_epoch() as u64));
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    group.bench_function("W6-mnist-trainer-epoch(10k images)", |b| {
        b.iter(|| w6.epoch())
    });
    group.finish();
}

fn bench_inference_and_traversal(c: &mut Criterion) {
    let (model, x) = w4();
    {
        let _no_grad = no_grad();
        c.bench_function("W4-infer-latency", |b| {
            b.iter(|| model.call(black_box(x.clone())))
        });
    }
    let model = w5();
    c.bench_function("W5-param-traversal(named)", |b| {
        b.iter(|| sum_numel_named(black_box(&model)))
    });
    c.bench_function("W5-param-traversal(named-refs)", |b| {
        b.iter(|| sum_numel_named_refs(black_box(&model)))
    });
    c.bench_function("W5-param-traversal(named-visit)", |b| {
        b.iter(|| sum_numel_visit(black_box(&model)))
    });
    c.bench_function("W5-param-traversal(parameters)", |b| {
        b.iter(|| sum_numel(black_box(&model)))
    });
}

/// GEMM 1024²; throughput `elem/s` reads as FLOP/s.
fn bench_gemm(c: &mut Criterion) {
    let _no_grad = no_grad();
    let n = 1024;
    let (a, b) = gemm_operands(n);
    let mut group = c.benchmark_group("gemm");
    group.throughput(Throughput::Elements(2 * (n as u64).pow(3)));
    group.bench_function("G-gemm-f32-1024", |bench| bench.iter(|| a.matmul(&b)));
    group.finish();
}

fn main() {
    if let Ok(which) = std::env::var("MINITRAINER_TSV") {
        let reps = std::env::var("MINITRAINER_REPS")
            .ok()
            .and_then(|r| r.parse().ok())
            .unwrap_or(5);
        let threads = minitrainer::num_threads().to_string();
        Tsv { threads, reps }.run(&which.to_lowercase());
        return;
    }
    let mut criterion = Criterion::default().configure_from_args();
    bench_training(&mut criterion);
    bench_mnist(&mut criterion);
    bench_inference_and_traversal(&mut criterion);
    bench_gemm(&mut criterion);
    criterion.final_summary();
}
