//! `call` without hooks vs `forward`, and `named_parameters` over a deep stack (W5).
//! Run: `cargo bench --bench module`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use minitrainer::prelude::*;

#[derive(Module)]
struct Stack {
    layers: Vec<Linear>,
}

fn call_vs_forward(c: &mut Criterion) {
    let mut init = Init::seeded(0);
    let layer = Linear::build(&LinearConfig::new(64, 64), &mut init);
    let x = Tensor::randn(&[1, 64], 0.0, 1.0, init.rng());
    let _guard = no_grad();
    let mut group = c.benchmark_group("linear_64x64");
    group.bench_function("forward", |b| {
        b.iter(|| layer.forward(black_box(x.clone())))
    });
    group.bench_function("call_no_hooks", |b| {
        b.iter(|| layer.call(black_box(x.clone())))
    });
    group.finish();
}

fn named_parameters_w5(c: &mut Criterion) {
    let mut init = Init::seeded(0);
    let stack = Stack {
        layers: (0..200)
            .map(|_| Linear::build(&LinearConfig::new(64, 64), &mut init))
            .collect(),
    };
    c.bench_function("named_parameters_200_linear_sum_numel", |b| {
        b.iter(|| {
            black_box(&stack)
                .named_parameters()
                .iter()
                .map(|(_, p)| p.numel())
                .sum::<usize>()
        })
    });
}

criterion_group!(benches, call_vs_forward, named_parameters_w5);
criterion_main!(benches);
