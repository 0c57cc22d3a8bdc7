//! Every differentiable op against central finite differences: one table of cases, one loop.
//!
//! For a case `f` and fixed random weights `w`, the scalar `L = Σ w ⊙ f(inputs)` is
//! differentiated by `backward()` and, per input element, by `(L(x+ε) - L(x-ε)) / 2ε`
//! evaluated under `no_grad` with the weighted sum in f64. Random weights make every output
//! element matter with a different weight, so a gradient sent to the wrong place shows up.

use minitrainer_core::Tensor;
use minitrainer_core::tensor::{no_grad, seeded_rng};
use ndarray::{ArrayD, IxDyn, arr1, arr2};
use rand::RngExt;
use rand::rngs::StdRng;

mod loss_cases;

/// Finite-difference step, applied to f32 inputs of magnitude ~1.
const EPS: f32 = 5e-3;
/// Relative tolerance: f32 round-off divided by `2ε`, plus the `ε²` truncation error.
const RTOL: f64 = 1e-3;
/// Absolute tolerance for gradients near zero.
const ATOL: f64 = 2e-4;

/// Where a case's input values are drawn from.
#[derive(Clone, Copy)]
pub(crate) enum Domain {
    /// Uniform in `[-1, 1]`.
    Any,
    /// Uniform in `[0.5, 2]` (log, sqrt, powf, divisors).
    Positive,
    /// Uniform in `[-1, 1]` but at least `0.1` from each kink (relu, abs, clamp).
    AwayFrom(&'static [f32]),
    /// Distinct values at least `0.05` apart (max: no ties within `ε`).
    Distinct,
}

/// One input of a case: its shape, its values, and whether the leaf itself is stored
/// transposed (non-contiguous, reversed strides).
#[derive(Clone, Copy)]
pub(super) struct Input {
    shape: &'static [usize],
    domain: Domain,
    transposed: bool,
}

/// A tensor op under test.
pub(crate) type TensorFn = fn(&[Tensor]) -> Tensor;

pub(super) const fn plain(shape: &'static [usize]) -> Input {
    Input {
        shape,
        domain: Domain::Any,
        transposed: false,
    }
}
pub(super) const fn pos(shape: &'static [usize]) -> Input {
    Input {
        shape,
        domain: Domain::Positive,
        transposed: false,
    }
}
pub(super) const fn away(shape: &'static [usize], kinks: &'static [f32]) -> Input {
    Input {
        shape,
        domain: Domain::AwayFrom(kinks),
        transposed: false,
    }
}
const fn distinct(shape: &'static [usize]) -> Input {
    Input {
        shape,
        domain: Domain::Distinct,
        transposed: false,
    }
}
const fn transposed(shape: &'static [usize]) -> Input {
    Input {
        shape,
        domain: Domain::Any,
        transposed: true,
    }
}

pub(super) struct Case {
    name: &'static str,
    inputs: Vec<Input>,
    f: TensorFn,
}

pub(super) fn case(name: &'static str, inputs: &[Input], f: TensorFn) -> Case {
    Case {
        name,
        inputs: inputs.to_vec(),
        f,
    }
}

fn labels(rows: &[usize]) -> ArrayD<usize> {
    ndarray::Array::from(rows.to_vec())
        .insert_axis(ndarray::Axis(1))
        .into_dyn()
}

fn cases() -> Vec<Case> {
    let mut cases = vec![
        // ---- arithmetic, broadcast ----
        case("add same shape", &[plain(&[3, 4]), plain(&[3, 4])], |t| {
            t[0].add(&t[1])
        }),
        case("add [3,1]+[1,4]", &[plain(&[3, 1]), plain(&[1, 4])], |t| {
            t[0].add(&t[1])
        }),
        case("add [2,3,4]+[4]", &[plain(&[2, 3, 4]), plain(&[4])], |t| {
            t[0].add(&t[1])
        }),
        case("add []+[2,3]", &[plain(&[]), plain(&[2, 3])], |t| {
            t[0].add(&t[1])
        }),
        case(
            "add transposed leaves",
            &[transposed(&[3, 4]), transposed(&[3, 4])],
            |t| t[0].add(&t[1]),
        ),
        case("sub [3,1]-[1,4]", &[plain(&[3, 1]), plain(&[1, 4])], |t| {
            t[0].sub(&t[1])
        }),
        case("sub [4]-[2,3,4]", &[plain(&[4]), plain(&[2, 3, 4])], |t| {
            t[0].sub(&t[1])
        }),
        case("mul [2,3,4]*[4]", &[plain(&[2, 3, 4]), plain(&[4])], |t| {
            t[0].mul(&t[1])
        }),
        case("mul [3,1]*[1,4]", &[plain(&[3, 1]), plain(&[1, 4])], |t| {
            t[0].mul(&t[1])
        }),
        case("mul x*x (one input used twice)", &[plain(&[2, 3])], |t| {
            t[0].mul(&t[0])
        }),
        case(
            "mul transposed*[4,1]",
            &[transposed(&[4, 3]), plain(&[4, 1])],
            |t| t[0].mul(&t[1]),
        ),
        case("div [3,1]/[1,4]", &[plain(&[3, 1]), pos(&[1, 4])], |t| {
            t[0].div(&t[1])
        }),
        case("div [2,3]/[]", &[plain(&[2, 3]), pos(&[])], |t| {
            t[0].div(&t[1])
        }),
        case("neg", &[plain(&[2, 3])], |t| t[0].neg()),
        case("add_scalar", &[plain(&[2, 3])], |t| t[0].add_scalar(1.5)),
        case("sub_scalar", &[plain(&[2, 3])], |t| t[0].sub_scalar(1.5)),
        case("mul_scalar", &[plain(&[2, 3])], |t| t[0].mul_scalar(-2.5)),
        case("div_scalar", &[plain(&[2, 3])], |t| t[0].div_scalar(4.0)),
        case("powf 2.5", &[pos(&[2, 3])], |t| t[0].powf(2.5)),
        case("powf -1", &[pos(&[2, 3])], |t| t[0].powf(-1.0)),
        case("exp", &[plain(&[2, 3])], |t| t[0].exp()),
        case("log", &[pos(&[2, 3])], |t| t[0].log()),
        case("sqrt", &[pos(&[2, 3])], |t| t[0].sqrt()),
        case("abs", &[away(&[2, 3], &[0.0])], |t| t[0].abs()),
        case("clamp", &[away(&[3, 4], &[-0.5, 0.5])], |t| {
            t[0].clamp(-0.5, 0.5)
        }),
        // ---- operators ----
        case(
            "operators a*b + c",
            &[plain(&[2, 3]), plain(&[3]), plain(&[2, 1])],
            |t| &t[0] * &t[1] + &t[2],
        ),
        case("operators 2 - x", &[plain(&[2, 3])], |t| 2.0 - &t[0]),
        case("operators 1 / x", &[pos(&[2, 3])], |t| 1.0 / &t[0]),
        case("operators -x * 3", &[plain(&[2, 3])], |t| -&t[0] * 3.0),
        // ---- matmul ----
        case(
            "matmul [3,4]@[4,5]",
            &[plain(&[3, 4]), plain(&[4, 5])],
            |t| t[0].matmul(&t[1]),
        ),
        case(
            "matmul transposed leaves",
            &[transposed(&[3, 4]), transposed(&[4, 2])],
            |t| t[0].matmul(&t[1]),
        ),
        case(
            "matmul [4,3]ᵀ@[4,2]",
            &[plain(&[4, 3]), plain(&[4, 2])],
            |t| t[0].transpose(0, 1).matmul(&t[1]),
        ),
        case(
            "matmul [2,3,4]@[4,5]",
            &[plain(&[2, 3, 4]), plain(&[4, 5])],
            |t| t[0].matmul(&t[1]),
        ),
        case(
            "matmul permuted [3,2,4]→[2,3,4]@[4,5]",
            &[plain(&[3, 2, 4]), plain(&[4, 5])],
            |t| t[0].transpose(0, 1).matmul(&t[1]),
        ),
        case(
            "matmul [2,1,3,4]@[3,4,2]",
            &[plain(&[2, 1, 3, 4]), plain(&[3, 4, 2])],
            |t| t[0].matmul(&t[1]),
        ),
        case(
            "matmul [3,4]@[2,4,2]",
            &[plain(&[3, 4]), plain(&[2, 4, 2])],
            |t| t[0].matmul(&t[1]),
        ),
        // d(a·wᵀ)/da = grad·w ; d(a·wᵀ)/dw = gradᵀ·a
        case(
            "matmul_t [3,4]@[5,4]ᵀ",
            &[plain(&[3, 4]), plain(&[5, 4])],
            |t| t[0].matmul_t(&t[1]),
        ),
        case(
            "matmul_t transposed leaves",
            &[transposed(&[3, 4]), transposed(&[2, 4])],
            |t| t[0].matmul_t(&t[1]),
        ),
        case(
            "matmul_t [2,3,4]@[5,4]ᵀ",
            &[plain(&[2, 3, 4]), plain(&[5, 4])],
            |t| t[0].matmul_t(&t[1]),
        ),
        case(
            "matmul_t one row [1,4]@[3,4]ᵀ",
            &[plain(&[1, 4]), plain(&[3, 4])],
            |t| t[0].matmul_t(&t[1]),
        ),
        // d(a·wᵀ + b)/da = grad·w ; d/dw = gradᵀ·a ; d/db = Σ_rows grad
        case(
            "linear [3,4]·[5,4]ᵀ + [5]",
            &[plain(&[3, 4]), plain(&[5, 4]), plain(&[5])],
            |t| t[0].linear(&t[1], Some(&t[2])),
        ),
        case(
            "linear transposed leaves",
            &[transposed(&[3, 4]), transposed(&[2, 4]), plain(&[2])],
            |t| t[0].linear(&t[1], Some(&t[2])),
        ),
        case(
            "linear [2,3,4]·[5,4]ᵀ + [5]",
            &[plain(&[2, 3, 4]), plain(&[5, 4]), plain(&[5])],
            |t| t[0].linear(&t[1], Some(&t[2])),
        ),
        case(
            "linear one sample [4]·[3,4]ᵀ + [3]",
            &[plain(&[4]), plain(&[3, 4]), plain(&[3])],
            |t| t[0].linear(&t[1], Some(&t[2])),
        ),
        case(
            "linear without bias [3,4]·[5,4]ᵀ",
            &[plain(&[3, 4]), plain(&[5, 4])],
            |t| t[0].linear(&t[1], None),
        ),
        // ---- shape ----
        case("transpose", &[plain(&[2, 3, 4])], |t| t[0].transpose(0, 2)),
        case("permute", &[plain(&[2, 3, 4])], |t| {
            t[0].permute(&[2, 0, 1])
        }),
        case("reshape", &[plain(&[2, 3, 4])], |t| t[0].reshape(&[6, 4])),
        case("reshape of a transpose", &[plain(&[2, 3, 4])], |t| {
            t[0].transpose(1, 2).reshape(&[2, 12])
        }),
        case("reshape of transposed leaf", &[transposed(&[3, 4])], |t| {
            t[0].reshape(&[12])
        }),
        case("cat axis 1", &[plain(&[2, 3]), plain(&[2, 5])], |t| {
            Tensor::cat(&[&t[0], &t[1]], 1)
        }),
        case(
            "cat axis 0, three",
            &[plain(&[1, 3]), transposed(&[2, 3]), plain(&[3, 3])],
            |t| Tensor::cat(&[&t[0], &t[1], &t[2]], 0),
        ),
        case("narrow", &[plain(&[4, 5])], |t| t[0].narrow(1, 1, 3)),
        // ---- indexing ----
        case("index_select with repeats", &[plain(&[5, 3])], |t| {
            t[0].index_select(0, &[4, 0, 4, 2])
        }),
        case("index_select axis 1", &[plain(&[2, 4])], |t| {
            t[0].index_select(1, &[3, 1])
        }),
        case("gather axis 1", &[plain(&[3, 4])], |t| {
            t[0].gather(1, labels(&[1, 3, 0]))
        }),
        case("gather axis 0", &[plain(&[3, 2])], |t| {
            t[0].gather(0, arr2(&[[2, 0], [2, 2]]).into_dyn())
        }),
        // gather and index_select with each form of index `IntoIndices` takes
        case("gather axis 1, labels as a slice", &[plain(&[3, 4])], |t| {
            t[0].gather(1, &[1, 3, 1])
        }),
        case("gather axis 1, labels as a Vec", &[plain(&[3, 4])], |t| {
            t[0].gather(1, vec![2, 0, 0])
        }),
        case(
            "gather axis 1, labels as a tensor",
            &[plain(&[3, 4])],
            |t| t[0].gather(1, Tensor::from_array(arr1(&[3.0, 3.0, 0.0]))),
        ),
        case(
            "gather axis 2, one label per lane",
            &[plain(&[2, 3, 4])],
            |t| t[0].gather(2, arr2(&[[0, 3, 1], [2, 2, 0]]).into_dyn()),
        ),
        case("index_select, ids as a tensor", &[plain(&[5, 3])], |t| {
            t[0].index_select(0, Tensor::from_array(arr1(&[4.0, 0.0, 4.0])))
        }),
        // ---- reductions ----
        case("sum", &[plain(&[2, 3])], |t| t[0].sum()),
        case("mean", &[plain(&[2, 3])], |t| t[0].mean()),
        case("max", &[distinct(&[3, 4])], |t| t[0].max()),
        case("sum_axis", &[plain(&[2, 3, 4])], |t| {
            t[0].sum_axis(1, false)
        }),
        case("sum_axis keepdim", &[plain(&[2, 3, 4])], |t| {
            t[0].sum_axis(2, true)
        }),
        case("mean_axis", &[plain(&[2, 3, 4])], |t| {
            t[0].mean_axis(0, false)
        }),
        case("mean_axis keepdim", &[transposed(&[3, 4])], |t| {
            t[0].mean_axis(1, true)
        }),
        case("max_axis", &[distinct(&[3, 4])], |t| {
            t[0].max_axis(1, false)
        }),
        case("max_axis keepdim", &[distinct(&[2, 3, 2])], |t| {
            t[0].max_axis(1, true)
        }),
        case("var_axis", &[plain(&[3, 4])], |t| t[0].var_axis(1, false)),
        // ---- activations ----
        case("relu", &[away(&[3, 4], &[0.0])], |t| t[0].relu()),
        case("gelu", &[plain(&[3, 4])], |t| t[0].gelu()),
        case("gelu_tanh", &[plain(&[3, 4])], |t| t[0].gelu_tanh()),
        case("sigmoid", &[plain(&[3, 4])], |t| t[0].sigmoid()),
        case("tanh", &[plain(&[3, 4])], |t| t[0].tanh()),
        case("silu", &[plain(&[3, 4])], |t| t[0].silu()),
        case("softmax axis 1", &[plain(&[3, 4])], |t| t[0].softmax(1)),
        case("softmax axis 0, transposed", &[transposed(&[3, 4])], |t| {
            t[0].softmax(0)
        }),
        case("log_softmax axis 1", &[plain(&[3, 4])], |t| {
            t[0].log_softmax(1)
        }),
        case("log_softmax axis 1 of [2,3,4]", &[plain(&[2, 3, 4])], |t| {
            t[0].log_softmax(1)
        }),
        // ---- composites ----
        case(
            "cross-entropy: log_softmax→gather→mean",
            &[plain(&[3, 4])],
            |t| {
                t[0].log_softmax(1)
                    .gather(1, labels(&[2, 0, 3]))
                    .mean()
                    .neg()
            },
        ),
        case(
            "cross-entropy, 1-D labels: log_softmax→gather→mean",
            &[plain(&[3, 4])],
            |t| t[0].log_softmax(1).gather(1, &[2, 0, 3]).mean().neg(),
        ),
    ];
    cases.extend(loss_cases::loss_cases());
    cases
}

/// Values for an input of `shape`; with `transposed`, stored as the transpose of a
/// `shape`-reversed array (non-contiguous).
pub(crate) fn sample(
    rng: &mut StdRng,
    shape: &[usize],
    domain: Domain,
    transposed: bool,
) -> ArrayD<f32> {
    let shape: Vec<usize> = if transposed {
        shape.iter().rev().copied().collect()
    } else {
        shape.to_vec()
    };
    let n: usize = shape.iter().product();
    let values: Vec<f32> = match domain {
        Domain::Any => (0..n).map(|_| rng.random_range(-1.0..1.0)).collect(),
        Domain::Positive => (0..n).map(|_| rng.random_range(0.5..2.0)).collect(),
        Domain::AwayFrom(kinks) => (0..n)
            .map(|_| {
                loop {
                    let x: f32 = rng.random_range(-1.0..1.0);
                    if kinks.iter().all(|k| (x - k).abs() > 0.1) {
                        break x;
                    }
                }
            })
            .collect(),
        Domain::Distinct => {
            let mut v: Vec<f32> = (0..n).map(|i| i as f32 * 0.05 - 0.5).collect();
            for i in (1..n).rev() {
                v.swap(i, rng.random_range(0..=i));
            }
            v
        }
    };
    let array = ArrayD::from_shape_vec(IxDyn(&shape), values).expect("shape and value count agree");
    if transposed {
        array.reversed_axes()
    } else {
        array
    }
}

/// `Σ w ⊙ f(inputs)` in f64.
fn weighted_loss(f: fn(&[Tensor]) -> Tensor, inputs: &[Tensor], weights: &ArrayD<f32>) -> f64 {
    let out = f(inputs);
    let out = out.data();
    out.iter()
        .zip(weights.iter())
        .map(|(&o, &w)| f64::from(o) * f64::from(w))
        .sum()
}

/// Checks `f`'s analytic gradients at `values` against central differences; returns a
/// description of the first mismatch.
pub(crate) fn check_gradients(
    f: fn(&[Tensor]) -> Tensor,
    values: Vec<ArrayD<f32>>,
    rng: &mut StdRng,
) -> Result<(), String> {
    let inputs: Vec<Tensor> = values.into_iter().map(Tensor::from_array).collect();
    for input in &inputs {
        input.set_requires_grad(true);
    }
    let out = f(&inputs);
    let weights = ArrayD::from_shape_simple_fn(out.shape(), || rng.random_range(-1.0..1.0_f32));
    out.mul(&Tensor::from_array(weights.clone()))
        .sum()
        .backward();

    let _guard = no_grad();
    for (k, input) in inputs.iter().enumerate() {
        let analytic = input.grad().ok_or(format!("input {k} got no gradient"))?;
        if analytic.shape() != input.shape() {
            return Err(format!(
                "input {k}: grad shape {:?} != input shape {:?}",
                analytic.shape(),
                input.shape()
            ));
        }
        for (i, &grad) in analytic.iter().enumerate() {
            let original = input.data().iter().nth(i).copied().expect("index in range");
            let at = |x: f32| {
                input.update_data(|d| *d.iter_mut().nth(i).expect("index in range") = x);
                weighted_loss(f, &inputs, &weights)
            };
            let (plus, minus) = (at(original + EPS), at(original - EPS));
            at(original);
            let numeric = (plus - minus) / (2.0 * f64::from(EPS));
            let grad = f64::from(grad);
            if (grad - numeric).abs() > ATOL + RTOL * grad.abs().max(numeric.abs()) {
                return Err(format!(
                    "input {k} element {i}: analytic {grad}, numeric {numeric}"
                ));
            }
        }
    }
    Ok(())
}

#[test]
fn every_op_matches_finite_differences() {
    let mut rng = seeded_rng(2024);
    let mut failures = Vec::new();
    for case in cases() {
        let values = case
            .inputs
            .iter()
            .map(|input| sample(&mut rng, input.shape, input.domain, input.transposed))
            .collect();
        if let Err(e) = check_gradients(case.f, values, &mut rng) {
            failures.push(format!("{}: {e}", case.name));
        }
    }
    assert!(
        failures.is_empty(),
        "gradient mismatches:\n{}",
        failures.join("\n")
    );
}
