//! Every differentiable op against central finite differences: one table of cases, one loop.
//!
//! For a case `f` and fixed random weights `w`, the scalar `L = Σ w ⊙ f(inputs)` is
//! differentiated by `backward()` and, per input element, by `(L(x+ε) - L(x-ε)) / 2ε`
//! evaluated under `no_grad` with the weighted sum in f64. Random weights make every output
//! element matter with a different weight, so a gradient sent to the wrong place shows up.

use minitrainer_core::Tensor;
use minitrainer_core::nn::loss::{
    BceWithLogitsLossConfig, CrossEntropyLossConfig, HuberLossConfig, L1LossConfig, MseLossConfig,
    NllLossConfig, Reduction, SmoothL1LossConfig, bce_with_logits, cross_entropy, huber_loss,
    l1_loss, mse_loss, nll_loss, smooth_l1_loss,
};
use minitrainer_core::tensor::IntoIndices;
use minitrainer_core::tensor::{no_grad, seeded_rng};
use ndarray::{ArrayD, IxDyn, arr1, arr2};
use rand::RngExt;
use rand::rngs::StdRng;

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
struct Input {
    shape: &'static [usize],
    domain: Domain,
    transposed: bool,
}

/// A tensor op under test.
pub(crate) type TensorFn = fn(&[Tensor]) -> Tensor;

const fn plain(shape: &'static [usize]) -> Input {
    Input {
        shape,
        domain: Domain::Any,
        transposed: false,
    }
}
const fn pos(shape: &'static [usize]) -> Input {
    Input {
        shape,
        domain: Domain::Positive,
        transposed: false,
    }
}
const fn away(shape: &'static [usize], kinks: &'static [f32]) -> Input {
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

struct Case {
    name: &'static str,
    inputs: Vec<Input>,
    f: TensorFn,
}

fn case(name: &'static str, inputs: &[Input], f: TensorFn) -> Case {
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

/// Cross-entropy with fixed labels (valid by construction).
fn ce(logits: &Tensor, labels: impl IntoIndices, config: CrossEntropyLossConfig) -> Tensor {
    cross_entropy(logits, labels, &config).expect("valid cross_entropy")
}

/// Binary cross-entropy on logits with valid shapes and weights.
fn bce(logits: &Tensor, targets: &Tensor, config: BceWithLogitsLossConfig) -> Tensor {
    bce_with_logits(logits, targets, &config).expect("valid bce_with_logits")
}

fn cases() -> Vec<Case> {
    vec![
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
        // ---- fused losses (nn::loss): d/dx = softmax - onehot_smoothed, σ(x) - y, ℓ'(x - y) ----
        case("cross_entropy fused, mean", &[plain(&[3, 4])], |t| {
            ce(&t[0], &[2, 0, 3], CrossEntropyLossConfig::default())
        }),
        case(
            "cross_entropy, weight + ignore, mean",
            &[plain(&[4, 3])],
            |t| {
                let labels = Tensor::from_vec(vec![2.0, -100.0, 0.0, 1.0], &[4]).expect("labels");
                let weight = Some(vec![0.5, 2.0, 1.5]);
                ce(
                    &t[0],
                    &labels,
                    CrossEntropyLossConfig {
                        weight,
                        ..Default::default()
                    },
                )
            },
        ),
        case(
            "cross_entropy, ignore_index 1, none",
            &[plain(&[4, 3])],
            |t| {
                let (ignore_index, reduction) = (1, Reduction::None);
                let config = CrossEntropyLossConfig {
                    ignore_index,
                    reduction,
                    ..Default::default()
                };
                ce(&t[0], &[2, 1, 0, 1], config)
            },
        ),
        case(
            "cross_entropy, label smoothing, sum",
            &[plain(&[3, 4])],
            |t| {
                let (label_smoothing, reduction) = (0.2, Reduction::Sum);
                let config = CrossEntropyLossConfig {
                    label_smoothing,
                    reduction,
                    ..Default::default()
                };
                ce(&t[0], &[1, 3, 3], config)
            },
        ),
        case(
            "cross_entropy, smoothing + weight + ignore",
            &[plain(&[3, 4])],
            |t| {
                let labels = Tensor::from_vec(vec![1.0, -100.0, 3.0], &[3]).expect("labels");
                let weight = Some(vec![0.5, 2.0, 1.5, 1.0]);
                let config = CrossEntropyLossConfig {
                    label_smoothing: 0.3,
                    weight,
                    ..Default::default()
                };
                ce(&t[0], &labels, config)
            },
        ),
        case(
            "cross_entropy [2,3,2] spatial, none",
            &[plain(&[2, 3, 2])],
            |t| {
                let labels = arr2(&[[0, 2], [1, 1]]).into_dyn();
                let config = CrossEntropyLossConfig {
                    reduction: Reduction::None,
                    ..Default::default()
                };
                ce(&t[0], labels, config)
            },
        ),
        case("nll_loss, weight, mean", &[plain(&[3, 4])], |t| {
            let config = NllLossConfig {
                weight: Some(vec![1.0, 0.5, 2.0, 3.0]),
                ..Default::default()
            };
            nll_loss(&t[0], &[3, 1, 0], &config).expect("valid nll_loss")
        }),
        case(
            "bce_with_logits, [x, y]",
            &[plain(&[3, 4]), pos(&[3, 4])],
            |t| {
                let y = t[1].mul_scalar(0.4);
                bce(&t[0], &y, BceWithLogitsLossConfig::default())
            },
        ),
        case(
            "bce_with_logits, weight + pos_weight, sum",
            &[plain(&[3, 4]), pos(&[3, 4])],
            |t| {
                let y = t[1].mul_scalar(0.4);
                let config = BceWithLogitsLossConfig {
                    weight: Some(vec![0.5, 2.0, 1.0, 1.5]),
                    pos_weight: Some(vec![3.0]),
                    reduction: Reduction::Sum,
                };
                bce(&t[0], &y, config)
            },
        ),
        case("mse_loss, [x, y]", &[plain(&[2, 3]), plain(&[2, 3])], |t| {
            mse_loss(&t[0], &t[1], &MseLossConfig::default()).expect("same shapes")
        }),
        case("l1_loss, none", &[away(&[2, 3], &[0.0])], |t| {
            let config = L1LossConfig {
                reduction: Reduction::None,
            };
            l1_loss(&t[0], &Tensor::zeros(&[2, 3]), &config).expect("same shapes")
        }),
        case(
            "smooth_l1_loss β=0.5, none",
            &[away(&[3, 4], &[-0.5, 0.5])],
            |t| {
                let config = SmoothL1LossConfig {
                    beta: 0.5,
                    reduction: Reduction::None,
                };
                smooth_l1_loss(&t[0], &Tensor::zeros(&[3, 4]), &config).expect("same shapes")
            },
        ),
        case(
            "smooth_l1_loss [x, y], mean",
            &[plain(&[3, 4]), plain(&[3, 4])],
            |t| {
                smooth_l1_loss(&t[0], &t[1].mul_scalar(0.1), &SmoothL1LossConfig::default())
                    .expect("same shapes")
            },
        ),
        case(
            "huber_loss δ=0.5, none",
            &[away(&[3, 4], &[-0.5, 0.5])],
            |t| {
                let config = HuberLossConfig {
                    delta: 0.5,
                    reduction: Reduction::None,
                };
                huber_loss(&t[0], &Tensor::zeros(&[3, 4]), &config).expect("same shapes")
            },
        ),
        case(
            "huber_loss [x, y], sum",
            &[plain(&[3, 4]), plain(&[3, 4])],
            |t| {
                let config = HuberLossConfig {
                    delta: 0.3,
                    reduction: Reduction::Sum,
                };
                huber_loss(&t[0], &t[1].mul_scalar(0.05), &config).expect("same shapes")
            },
        ),
        case(
            "mlp: relu(x@w1+b1)@w2+b2",
            &[
                plain(&[4, 3]),
                plain(&[3, 5]),
                plain(&[5]),
                plain(&[5, 2]),
                plain(&[2]),
            ],
            |t| {
                t[0].matmul(&t[1])
                    .add(&t[2])
                    .tanh()
                    .matmul(&t[3])
                    .add(&t[4])
            },
        ),
        case("layer norm", &[plain(&[2, 5])], |t| {
            let centred = t[0].sub(&t[0].mean_axis(1, true));
            centred.div(&t[0].var_axis(1, true).add_scalar(1e-5).sqrt())
        }),
    ]
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
