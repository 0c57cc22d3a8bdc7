//! The reference workloads of the project's benchmark brief (W1–W5 and G), the same models,
//! batches, losses, update rules and synthetic data as PyTorch's `torch_reference.py`, float32.
//!
//! Two modes:
//! - `cargo bench --bench workloads` runs them under criterion (add a filter after `--`,
//!   e.g. `-- W1`). G-gemm 4096² runs only in the TSV mode (seconds per product).
//! - `MINITRAINER_TSV=all cargo bench --bench workloads` prints one line per repetition,
//!   `minitrainer  WORKLOAD  THREADS  UNIT  VALUE`, as the PyTorch script does, so both
//!   can be put in one table. `MINITRAINER_TSV` takes `all` (W1–W5, as the PyTorch script's
//!   `all`) or a comma list of `w1,w2,w3,w4,w5,gemm`; `MINITRAINER_REPS` sets the repetitions
//!   (default 5); THREADS is `MATMUL_NUM_THREADS` (default 1: ndarray's GEMM is
//!   single-threaded unless its `matrixmultiply-threading` feature is on).
//!
//! W3 uses Adam as PyTorch does; the project has no optimizer module yet, so [`Adam`] below
//! is a minimal bench-only implementation of `torch.optim.Adam`'s defaults.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use minitrainer::prelude::*;
use ndarray::ArrayD;
use rand::RngExt;

/// The seed of every model and data set here (the PyTorch script uses 42 too; the values
/// differ, as the generators do, but shapes and distributions are the same).
const SEED: u64 = 42;

// ---- models and data ------------------------------------------------------------------------

/// `Linear, ReLU, Linear, ...` through `dims`, as the PyTorch script's `mlp`.
fn mlp(dims: &[usize], rng: &mut rand::rngs::StdRng) -> Sequential {
    let mut net = Sequential::new();
    for (i, pair) in dims.windows(2).enumerate() {
        net = net.push(Linear::new(pair[0], pair[1], true, rng));
        if i + 2 < dims.len() {
            net = net.push(ReLU::new());
        }
    }
    net
}

/// An update rule over a fixed list of parameters.
trait Optimizer {
    fn step(&mut self, params: &[Param]);
}

/// Plain SGD, `p -= lr * grad`.
struct Sgd {
    lr: f32,
}

impl Optimizer for Sgd {
    fn step(&mut self, params: &[Param]) {
        for p in params {
            if let Some(grad) = p.grad() {
                p.update_data(|value| value.scaled_add(-self.lr, &grad));
            }
        }
    }
}

/// Bench-only Adam with `torch.optim.Adam`'s defaults (betas 0.9/0.999, eps 1e-8, no weight
/// decay): one fused pass per parameter over value, both moments and the gradient.
struct Adam {
    lr: f32,
    steps: i32,
    moments: Vec<(ArrayD<f32>, ArrayD<f32>)>,
}

impl Adam {
    const BETA1: f32 = 0.9;
    const BETA2: f32 = 0.999;
    const EPS: f32 = 1e-8;

    fn new(params: &[Param], lr: f32) -> Self {
        let zeros = |p: &Param| ArrayD::zeros(p.shape());
        let moments = params.iter().map(|p| (zeros(p), zeros(p))).collect();
        Adam {
            lr,
            steps: 0,
            moments,
        }
    }
}

impl Optimizer for Adam {
    fn step(&mut self, params: &[Param]) {
        self.steps += 1;
        let (b1, b2) = (Self::BETA1, Self::BETA2);
        let step_size = self.lr / (1.0 - b1.powi(self.steps));
        let bias2_sqrt = (1.0 - b2.powi(self.steps)).sqrt();
        for (p, (m, v)) in params.iter().zip(&mut self.moments) {
            let Some(grad) = p.grad() else { continue };
            // Flat slices: a 4-way `Zip` over `IxDyn` costs more than the arithmetic on these
            // tiny tensors. A gradient that arrives transposed is copied to row-major first.
            let grad = grad.as_standard_layout();
            let (m, v) = (row_major(m), row_major(v));
            p.update_data(|value| {
                let lanes = row_major(value).iter_mut().zip(m).zip(v);
                for (((w, m), v), &g) in lanes.zip(row_major_ref(&grad)) {
                    *m = b1 * *m + (1.0 - b1) * g;
                    *v = b2 * *v + (1.0 - b2) * g * g;
                    *w -= step_size * *m / (v.sqrt() / bias2_sqrt + Self::EPS);
                }
            });
        }
    }
}

/// The elements of an array created row-major (parameters, moments), as a slice.
fn row_major(array: &mut ArrayD<f32>) -> &mut [f32] {
    array
        .as_slice_mut()
        .expect("parameters and moments are row-major")
}

fn row_major_ref<'a>(array: &'a ndarray::CowArray<'_, f32, ndarray::IxDyn>) -> &'a [f32] {
    array.as_slice().expect("as_standard_layout is row-major")
}

/// The loss and its target.
enum Loss {
    /// Softmax cross-entropy against `[batch, 1]` class indices.
    CrossEntropy(ArrayD<usize>),
    /// Mean squared error against a target of the prediction's shape.
    Mse(Tensor),
}

/// One training setup: model, its parameters (collected once, as an optimizer holds them),
/// a fixed batch, the loss and the update rule.
struct Train<O> {
    model: Sequential,
    params: Vec<Param>,
    x: Tensor,
    loss: Loss,
    optimizer: O,
}

impl<O: Optimizer> Train<O> {
    /// Forward + backward + update; returns the loss (read it to synchronise, as `.item()`).
    fn step(&mut self) -> Tensor {
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

    fn num_parameters(&self) -> usize {
        self.params.iter().map(|p| p.numel()).sum()
    }
}

/// W1/W2: an MLP through `dims`, batch `batch`, cross-entropy, SGD lr 0.01.
fn classifier(dims: &[usize], batch: usize) -> Train<Sgd> {
    let mut rng = seeded_rng(SEED);
    let model = mlp(dims, &mut rng);
    let x = Tensor::randn(&[batch, dims[0]], 0.0, 1.0, &mut rng);
    let classes = dims[dims.len() - 1];
    let labels = ArrayD::from_shape_simple_fn(vec![batch, 1], || rng.random_range(0..classes));
    Train {
        params: model.parameters(),
        model,
        x,
        loss: Loss::CrossEntropy(labels),
        optimizer: Sgd { lr: 0.01 },
    }
}

fn w1() -> Train<Sgd> {
    classifier(&[784, 256, 10], 64)
}

fn w2() -> Train<Sgd> {
    classifier(&[784, 1024, 1024, 10], 256)
}

/// W3: MLP 8-16-16-1, batch 1, MSE, Adam lr 1e-3.
fn w3() -> Train<Adam> {
    let mut rng = seeded_rng(SEED);
    let model = mlp(&[8, 16, 16, 1], &mut rng);
    let x = Tensor::randn(&[1, 8], 0.0, 1.0, &mut rng);
    let y = Tensor::randn(&[1, 1], 0.0, 1.0, &mut rng);
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
fn w4() -> (Sequential, Tensor) {
    let mut rng = seeded_rng(SEED);
    let mut model = mlp(&[784, 256, 10], &mut rng);
    model.eval();
    (model, Tensor::randn(&[1, 784], 0.0, 1.0, &mut rng))
}

/// W5: 200 stacked `Linear(64, 64)` (children `0` … `199`, as `nn.Sequential`).
fn w5() -> Sequential {
    let mut rng = seeded_rng(SEED);
    (0..200).fold(Sequential::new(), |net, _| {
        net.push(Linear::new(64, 64, true, &mut rng))
    })
}

fn sum_numel_named(model: &Sequential) -> usize {
    model
        .named_parameters()
        .iter()
        .map(|(_, p)| p.numel())
        .sum()
}

fn sum_numel(model: &Sequential) -> usize {
    model.parameters().iter().map(|p| p.numel()).sum()
}

/// G: two `[n, n]` standard-normal matrices.
fn gemm_operands(n: usize) -> (Tensor, Tensor) {
    let mut rng = seeded_rng(SEED);
    let a = Tensor::randn(&[n, n], 0.0, 1.0, &mut rng);
    (a, Tensor::randn(&[n, n], 0.0, 1.0, &mut rng))
}

// ---- TSV mode (side by side with torch_reference.py) -------------------------------------------

struct Tsv {
    threads: String,
    reps: usize,
}

impl Tsv {
    fn emit(&self, workload: &str, unit: &str, value: f64) {
        println!(
            "minitrainer\t{workload}\t{}\t{unit}\t{value:.6}",
            self.threads
        );
    }

    /// `warm` steps, then per repetition the rate of `steps` steps (the last loss read, as
    /// PyTorch's `loss.item()`); W2 adds its GFLOP/s line.
    fn train<O: Optimizer>(&self, name: &str, mut train: Train<O>, steps: usize, warm: usize) {
        let flops_per_step = 6.0 * train.num_parameters() as f64 * train.x.shape()[0] as f64;
        let first_loss = train.step().item();
        for _ in 1..warm {
            train.step();
        }
        let mut last_loss = first_loss;
        for _ in 0..self.reps {
            let start = Instant::now();
            let mut loss = train.step();
            for _ in 1..steps {
                loss = train.step();
            }
            last_loss = loss.item();
            let steps_per_s = steps as f64 / start.elapsed().as_secs_f64();
            self.emit(name, "steps/s", steps_per_s);
            if name.starts_with("W2") {
                let gflops = flops_per_step * steps_per_s / 1e9;
                self.emit(&format!("{name}-gflops"), "GFLOP/s", gflops);
            }
        }
        // On stderr, so the TSV stays clean: evidence that the steps really train.
        eprintln!("# {name}: loss {first_loss:.4} at the first step, {last_loss:.4} at the last");
    }

    fn infer_latency(&self, calls: usize) {
        let (model, x) = w4();
        let _no_grad = no_grad();
        for _ in 0..200 {
            black_box(model.call(x.clone()));
        }
        for _ in 0..self.reps {
            let mut micros: Vec<f64> = (0..calls)
                .map(|_| {
                    let start = Instant::now();
                    black_box(model.call(black_box(x.clone())));
                    start.elapsed().as_secs_f64() * 1e6
                })
                .collect();
            micros.sort_by(f64::total_cmp);
            self.emit("W4-infer-latency", "us/call", micros[calls / 2]);
        }
    }

    fn traversal(&self, iters: usize) {
        let model = w5();
        assert_eq!(sum_numel_named(&model), 200 * (64 * 64 + 64));
        type Traverse = fn(&Sequential) -> usize;
        let variants: [(&str, Traverse); 2] = [
            ("W5-param-traversal(named)", sum_numel_named),
            ("W5-param-traversal(parameters)", sum_numel),
        ];
        for (name, traverse) in variants {
            for _ in 0..20 {
                black_box(traverse(&model));
            }
            for _ in 0..self.reps {
                let start = Instant::now();
                for _ in 0..iters {
                    black_box(traverse(black_box(&model)));
                }
                let micros = start.elapsed().as_secs_f64() * 1e6 / iters as f64;
                self.emit(name, "us/traversal", micros);
            }
        }
    }

    fn gemm(&self) {
        let _no_grad = no_grad();
        for (n, iters) in [(1024, 20), (4096, 2)] {
            let (a, b) = gemm_operands(n);
            black_box(a.matmul(&b));
            // 4096² takes seconds per product: a few repetitions only.
            let reps = if n > 1024 {
                self.reps.min(3)
            } else {
                self.reps
            };
            for _ in 0..reps {
                let start = Instant::now();
                for _ in 0..iters {
                    black_box(a.matmul(&b));
                }
                let seconds = start.elapsed().as_secs_f64() / iters as f64;
                let gflops = 2.0 * (n as f64).powi(3) / seconds / 1e9;
                self.emit(
                    &format!("G-gemm-f32-{n}(Tensor::matmul)"),
                    "GFLOP/s",
                    gflops,
                );
            }
        }
    }

    fn run(&self, which: &str) {
        let wanted = |w: &str| {
            which
                .split(',')
                .any(|x| x == w || (x == "all" && w != "gemm"))
        };
        if wanted("w1") {
            self.train("W1-mlp-small-train", w1(), 200, 20);
        }
        if wanted("w2") {
            self.train("W2-mlp-large-train", w2(), 10, 3);
        }
        if wanted("w3") {
            self.train("W3-tiny-overhead-train", w3(), 2000, 200);
        }
        if wanted("w4") {
            self.infer_latency(2000);
        }
        if wanted("w5") {
            self.traversal(200);
        }
        if wanted("gemm") {
            self.gemm();
        }
    }
}

// ---- criterion mode ---------------------------------------------------------------------------

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
        let threads = std::env::var("MATMUL_NUM_THREADS").unwrap_or_else(|_| "1".to_owned());
        Tsv { threads, reps }.run(&which.to_lowercase());
        return;
    }
    let mut criterion = Criterion::default().configure_from_args();
    bench_training(&mut criterion);
    bench_inference_and_traversal(&mut criterion);
    bench_gemm(&mut criterion);
    criterion.final_summary();
}
