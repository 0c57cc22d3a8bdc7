//! Losses with PyTorch's semantics: a function per loss (`cross_entropy(&logits, &labels,
//! &config)?`) and a module per loss built from the same config
//! (`CrossEntropyLoss::build(&config, &mut init).forward(&logits, &labels)?`).
//!
//! Each loss is one fused tensor op with its own derivative (`tensor/ops/loss.rs`,
//! `tensor/backward/loss.rs`): one graph node, a backward computed from the saved inputs,
//! and numerically stable forms (log-sum-exp with the maximum subtracted; `log σ(x)` without
//! overflow). Values and gradients match `torch.nn.functional` in float32
//! (`tools/reference/gen_losses.py` writes the fixture the tests compare against).
//!
//! Error policy: everything that comes from data is checked before computing and returned as a
//! [`LossError`] — a label out of range (naming the label, its position and the class count),
//! a label tensor holding a non-integer, shapes that do not fit, a weight of the wrong length,
//! and an invalid config (the functions validate their config on every call, so a config
//! built by struct literal cannot make them panic).
//!
//! One deliberate difference from PyTorch: a mean over nothing — every label equal to
//! `ignore_index`, or targets whose weights sum to 0 — is `0.0` with a zero gradient, where
//! PyTorch returns NaN (a NaN loss poisons every parameter at the next optimizer step; a
//! batch of padding only should contribute nothing).
//!
//! The modules keep no state: PyTorch registers a class `weight` as a buffer, here it stays in
//! the config, so a loss held in a model adds nothing to its state dict.

mod bce_with_logits;
mod cross_entropy;
mod error;
mod huber;
mod l1;
mod labels;
mod mse;
mod nll;
mod pointwise;
mod smooth_l1;

pub use bce_with_logits::{BceWithLogitsLoss, BceWithLogitsLossConfig, bce_with_logits};
pub use cross_entropy::{CrossEntropyLoss, CrossEntropyLossConfig, cross_entropy};
pub use error::LossError;
pub use huber::{HuberLoss, HuberLossConfig, huber_loss};
pub use l1::{L1Loss, L1LossConfig, l1_loss};
pub use mse::{MseLoss, MseLossConfig, mse_loss};
pub use nll::{NllLoss, NllLossConfig, nll_loss};
pub use smooth_l1::{SmoothL1Loss, SmoothL1LossConfig, smooth_l1_loss};

use crate::tensor::LossReduction;
use minitrainer_macros::Config;

/// How a loss reduces its per-element losses (PyTorch's `reduction` argument).
#[derive(Config, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reduction {
    /// The mean (`"mean"`): over the elements, or over the weights of the counted targets for
    /// the class losses with weights or ignored labels.
    Mean,
    /// The sum (`"sum"`).
    Sum,
    /// No reduction (`"none"`): one loss per element (per sample for the class losses).
    None,
}

impl Reduction {
    /// The op's reduction, where a mean divides by `count` (the element count, or the total
    /// weight of the counted targets).
    fn with_count(self, count: f64) -> LossReduction {
        match self {
            Reduction::Mean => LossReduction::Sum { divisor: count },
            Reduction::Sum => LossReduction::Sum { divisor: 1.0 },
            Reduction::None => LossReduction::None,
        }
    }
}

/// A loss module: the config it was built from and a train/eval flag (which it does not
/// read), `Build` from the config, and no parameters or buffers.
macro_rules! loss_module {
    ($(#[$doc:meta])* $ty:ident($config:ident)) => {
        $(#[$doc])*
        #[derive(Clone, Debug)]
        pub struct $ty {
            config: $config,
            training: bool,
        }

        impl $ty {
            /// The config this loss was built from.
            pub fn config(&self) -> &$config {
                &self.config
            }

            fn describe(&self) -> String {
                String::new()
            }
        }

        impl Default for $ty {
            /// The loss with PyTorch's default options.
            fn default() -> Self {
                <$ty as $crate::build::Build>::build(
                    &$config::default(),
                    &mut $crate::build::Init::default(),
                )
            }
        }

        $crate::nn::leaf_module!($ty { params: [], buffers: [] });

        // Not a useful suggestion in "types implementing `Build`" help lists.
        #[diagnostic::do_not_recommend]
        impl $crate::build::Build for $ty {
            type Config = $config;

            /// Keeps the config; it is validated again by every `forward`.
            fn build(config: &$config, _init: &mut $crate::build::Init) -> Self {
                $ty {
                    config: config.clone(),
                    training: true,
                }
            }
        }
    };
}

use loss_module;
