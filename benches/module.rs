//! `call` without hooks vs `forward`, and the named traversal of a deep stack (W5: 200 ×
//! `Linear(64, 64)`, 400 parameters) through a derived struct and through `Sequential`.
//!
//! Run: `cargo bench --bench module`. With `MINITRAINER_PROFILE=N` it skips criterion and runs
//! each traversal `N` times through the `#[inline(never)]` function `profiled`, for
//! `valgrind --tool=callgrind --toggle-collect='module::profiled'` (instructions per traversal
//! = the total / N; see `benches/results/2026-12-06/names.md`); `MINITRAINER_PROFILE_ONLY`
//! keeps the `model/traversal` names that contain it.

use std::hint::black_box;

use criterion::{Criterion, criterion_group};
use minitrainer::prelude::*;

#[derive(Module)]
struct Stack {
    layers: Vec<Linear>,
}

fn stack() -> Stack {
    let mut init = Init::seeded(0);
    Stack {
        layers: (0..200)
            .map(|_| Linear::build(&LinearConfig::new(64, 64), &mut init))
            .collect(),
    }
}

/// The workloads' W5 model: children `0` … `199` of a `Sequential`, as `nn.Sequential`.
fn sequential() -> Sequential {
    let mut init = Init::seeded(0);
    (0..200).fold(Sequential::new(), |net, _| {
        net.push(Linear::build(&LinearConfig::new(64, 64), &mut init))
    })
}

/// PyTorch's `sum(p.numel() for _, p in model.named_parameters())`: owned names.
fn sum_numel_named(model: &dyn Module) -> usize {
    let mut total = 0;
    for (name, p) in model.named_parameters() {
        black_box(&name);
        total += p.numel();
    }
    total
}

/// The same through `named_parameter_refs()` by value: each name taken out as a `ParamName`.
fn sum_numel_named_refs(model: &dyn Module) -> usize {
    let mut total = 0;
    for (name, p) in model.named_parameter_refs() {
        black_box(&name);
        total += p.numel();
    }
    total
}

/// The same through `&NamedParameters`: names borrowed as `&str`.
fn sum_numel_named_ref(model: &dyn Module) -> usize {
    let named = model.named_parameter_refs();
    let mut total = 0;
    for (name, p) in &named {
        black_box(name);
        total += p.numel();
    }
    total
}

/// `sum(p.numel() for p in model.parameters())`.
fn sum_numel(model: &dyn Module) -> usize {
    model.parameters().iter().map(|p| p.numel()).sum()
}

/// The same sum through the borrowed-name walk: every name built, none allocated.
fn sum_numel_visit(model: &dyn Module) -> usize {
    let mut total = 0;
    model.visit_parameters(&mut |name, p| {
        black_box(name);
        total += p.numel();
    });
    total
}

type Traversal = fn(&dyn Module) -> usize;

const TRAVERSALS: [(&str, Traversal); 5] = [
    ("named_parameters_sum_numel", sum_numel_named),
    ("named_parameter_refs_sum_numel", sum_numel_named_refs),
    (
        "named_parameter_refs_borrowed_sum_numel",
        sum_numel_named_ref,
    ),
    ("visit_parameters_sum_numel", sum_numel_visit),
    ("parameters_sum_numel", sum_numel),
];

/// W5 as a derived struct over a `Vec` and as the workloads' `Sequential`.
fn models() -> [(&'static str, Box<dyn Module>); 2] {
    [
        ("derived_vec_200_linear", Box::new(stack())),
        ("sequential_200_linear", Box::new(sequential())),
    ]
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

fn traversal_w5(c: &mut Criterion) {
    for (model_name, model) in &models() {
        let mut group = c.benchmark_group(*model_name);
        for (name, traverse) in TRAVERSALS {
            assert_eq!(traverse(&**model), 200 * (64 * 64 + 64));
            group.bench_function(name, |b| b.iter(|| traverse(black_box(&**model))));
        }
        group.finish();
    }
}

#[inline(never)]
fn profiled(traverse: Traversal, model: &dyn Module, iters: usize) -> usize {
    (0..iters).map(|_| traverse(black_box(model))).sum()
}

/// `MINITRAINER_PROFILE=N`: each selected traversal `N` times in one `profiled` call.
fn profile(iters: usize) {
    let only = std::env::var("MINITRAINER_PROFILE_ONLY").unwrap_or_default();
    for (model_name, model) in models() {
        for (name, traverse) in TRAVERSALS {
            let label = format!("{model_name}/{name}");
            if label.contains(&only) {
                println!("{label}: {}", profiled(traverse, &*model, iters));
            }
        }
    }
}

criterion_group!(benches, call_vs_forward, traversal_w5);

fn main() {
    if let Some(iters) = std::env::var("MINITRAINER_PROFILE")
        .ok()
        .and_then(|n| n.parse().ok())
    {
        profile(iters);
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
