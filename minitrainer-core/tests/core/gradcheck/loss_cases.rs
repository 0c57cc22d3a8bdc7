//! The gradcheck rows of the fused losses (`nn::loss`): `d/dx = softmax - onehot_smoothed`,
//! `σ(x) - y`, `ℓ'(x - y)`, each against central finite differences like every other op.

use minitrainer_core::Tensor;
use minitrainer_core::nn::loss::{
    BceWithLogitsLossConfig, CrossEntropyLossConfig, HuberLossConfig, L1LossConfig, MseLossConfig,
    NllLossConfig, Reduction, SmoothL1LossConfig, bce_with_logits, cross_entropy, huber_loss,
    l1_loss, mse_loss, nll_loss, smooth_l1_loss,
};
use minitrainer_core::tensor::IntoIndices;
use ndarray::arr2;

use super::{Case, away, case, plain, pos};

/// Cross-entropy with fixed labels (valid by construction).
fn ce(logits: &Tensor, labels: impl IntoIndices, config: CrossEntropyLossConfig) -> Tensor {
    cross_entropy(logits, labels, &config).expect("valid cross_entropy")
}

/// Binary cross-entropy on logits with valid shapes and weights.
fn bce(logits: &Tensor, targets: &Tensor, config: BceWithLogitsLossConfig) -> Tensor {
    bce_with_logits(logits, targets, &config).expect("valid bce_with_logits")
}

/// The rows, appended to the op table by `cases()`.
pub(super) fn loss_cases() -> Vec<Case> {
    vec![
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
