//! The TSV mode: one `minitrainer  WORKLOAD  THREADS  UNIT  VALUE` line per repetition, with
//! the warm-ups, step counts and repetitions of PyTorch's `torch_reference.py`.

use std::hint::black_box;
use std::time::Instant;

use minitrainer::prelude::*;

use crate::mnist::W6;
use crate::setups::{
    Train, gemm_operands, sum_numel, sum_numel_named, sum_numel_named_refs, sum_numel_visit, w1,
    w2, w3, w4, w5,
};
use minitrainer::optim::Optimizer;

pub(crate) struct Tsv {
    /// The THREADS column.
    pub(crate) threads: String,
    /// Timed repetitions per workload.
    pub(crate) reps: usize,
}

impl Tsv {
    pub(crate) fn emit(&self, workload: &str, unit: &str, value: f64) {
        println!(
            "minitrainer\t{workload}\t{}\t{unit}\t{value:.6}",
            self.threads
        );
    }

    /// `warm` steps, then per repetition the rate of `steps` steps (the last loss read, as
    /// PyTorch's `loss.item()`); W2 adds its GFLOP/s line.
    pub(crate) fn train<O: Optimizer>(
        &self,
        name: &str,
        mut train: Train<O>,
        steps: usize,
        warm: usize,
    ) {
        let flops_per_step = 6.0 * train.num_parameters() as f64 * train.batch_size() as f64;
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

    /// W6: one untimed epoch, then per repetition the steps/s of a full MNIST epoch (all
    /// 60,000 images); prints a message instead when the files are absent.
    pub(crate) fn mnist(&self) {
        let mut w6 = match W6::new(None) {
            Ok(w6) => w6,
            Err(why) => return eprintln!("# {why}"),
        };
        let steps = w6.steps_per_epoch();
        let first_loss = w6.epoch();
        let mut last_loss = first_loss;
        for _ in 0..self.reps {
            let start = Instant::now();
            last_loss = w6.epoch();
            self.emit(
                "W6-mnist-trainer",
                "steps/s",
                steps as f64 / start.elapsed().as_secs_f64(),
            );
        }
        eprintln!(
            "# W6: train loss {first_loss:.4} in the first epoch, {last_loss:.4} in the last"
        );
    }

    pub(crate) fn infer_latency(&self, calls: usize) {
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

    pub(crate) fn traversal(&self, iters: usize) {
        let model = w5();
        assert_eq!(sum_numel_named(&model), 200 * (64 * 64 + 64));
        type Traverse = fn(&Sequential) -> usize;
        // `(named-refs)` and `(named-visit)` have no PyTorch line of their own: compare them
        // with `(named)`.
        let variants: [(&str, Traverse); 4] = [
            ("W5-param-traversal(named)", sum_numel_named),
            ("W5-param-traversal(named-refs)", sum_numel_named_refs),
            ("W5-param-traversal(named-visit)", sum_numel_visit),
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

    pub(crate) fn gemm(&self) {
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

    pub(crate) fn run(&self, which: &str) {
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
        if which.split(',').any(|x| x == "w6") {
            self.mnist();
        }
        if wanted("gemm") {
            self.gemm();
        }
    }
}
