//! `Criterion`: the loss the trainer minimises, computed from a batch's predictions and
//! targets. Implemented for the loss modules of `nn::loss` and for closures;
//! [`criterion_from_str`] builds one from text (`cross_entropy(label_smoothing=0.1)`).

use serde_json::Value;

use crate::Tensor;
use crate::build::{Build, Init};
use crate::config::{Config, parse_call};
use crate::data::Targets;
use crate::nn::loss::{
    BceWithLogitsLoss, CrossEntropyLoss, HuberLoss, L1Loss, LossError, MseLoss, NllLoss,
    SmoothL1Loss,
};

/// A loss over a batch: predictions (the model's output) against the batch's targets.
pub trait Criterion: Send + Sync {
    /// The loss's name (`"cross_entropy"`).
    fn name(&self) -> &str;

    /// The loss, a scalar tensor in the graph of `predictions`.
    ///
    /// # Errors
    /// [`LossError`] when the targets do not fit (a label out of range, a shape mismatch,
    /// class labels for a regression loss).
    fn loss(&self, predictions: &Tensor, targets: &Targets) -> Result<Tensor, LossError>;
}

impl<C: Criterion + ?Sized> Criterion for Box<C> {
    fn name(&self) -> &str {
        (**self).name()
    }

    fn loss(&self, predictions: &Tensor, targets: &Targets) -> Result<Tensor, LossError> {
        (**self).loss(predictions, targets)
    }
}

/// A loss written as a closure, with a name for logs.
///
/// ```
/// use minitrainer_core::data::Targets;
/// use minitrainer_core::nn::loss::{MseLossConfig, mse_loss};
/// use minitrainer_core::train::{Criterion, LossError, loss_fn};
/// let half_mse = loss_fn("half_mse", |predictions, targets| match targets {
///     Targets::Values(values) => Ok(mse_loss(predictions, values, &MseLossConfig::default())?.mul_scalar(0.5)),
///     _ => Err(LossError::Targets { loss: "half_mse".into(), expected: "values", found: "labels" }),
/// });
/// assert_eq!(half_mse.name(), "half_mse");
/// ```
pub fn loss_fn<F>(name: &str, f: F) -> impl Criterion
where
    F: Fn(&Tensor, &Targets) -> Result<Tensor, LossError> + Send + Sync,
{
    LossFn {
        name: name.to_string(),
        f,
    }
}

struct LossFn<F> {
    name: String,
    f: F,
}

impl<F> Criterion for LossFn<F>
where
    F: Fn(&Tensor, &Targets) -> Result<Tensor, LossError> + Send + Sync,
{
    fn name(&self) -> &str {
        &self.name
    }

    fn loss(&self, predictions: &Tensor, targets: &Targets) -> Result<Tensor, LossError> {
        (self.f)(predictions, targets)
    }
}

fn labels<'a>(loss: &str, targets: &'a Targets) -> Result<&'a [usize], LossError> {
    match targets {
        Targets::Classes(labels) => Ok(labels),
        other => Err(wrong_targets(loss, "class labels", other)),
    }
}

fn values<'a>(loss: &str, targets: &'a Targets) -> Result<&'a Tensor, LossError> {
    match targets {
        Targets::Values(values) => Ok(values),
        other => Err(wrong_targets(loss, "values", other)),
    }
}

/// `loss` takes `expected` targets, but the batch holds `found`.
fn wrong_targets(loss: &str, expected: &'static str, found: &Targets) -> LossError {
    LossError::Targets {
        loss: loss.to_string(),
        expected,
        found: match found {
            Targets::Classes(_) => "class labels",
            Targets::Values(_) => "values",
            Targets::None => "no targets",
        },
    }
}

macro_rules! class_criterion {
    ($($ty:ident => $name:literal),* $(,)?) => {$(
        impl Criterion for $ty {
            fn name(&self) -> &str {
                $name
            }
            fn loss(&self, predictions: &Tensor, targets: &Targets) -> Result<Tensor, LossError> {
                self.forward(predictions, labels($name, targets)?)
            }
        }
    )*};
}

macro_rules! value_criterion {
    ($($ty:ident => $name:literal),* $(,)?) => {$(
        impl Criterion for $ty {
            fn name(&self) -> &str {
                $name
            }
            fn loss(&self, predictions: &Tensor, targets: &Targets) -> Result<Tensor, LossError> {
                self.forward(predictions, values($name, targets)?)
            }
        }
    )*};
}

class_criterion!(CrossEntropyLoss => "cross_entropy", NllLoss => "nll_loss");
value_criterion!(
    MseLoss => "mse_loss",
    L1Loss => "l1_loss",
    SmoothL1Loss => "smooth_l1_loss",
    HuberLoss => "huber_loss",
    BceWithLogitsLoss => "bce_with_logits",
);

/// The names [`criterion_from_str`] knows.
pub const CRITERIA: &[&str] = &[
    "cross_entropy",
    "nll_loss",
    "mse_loss",
    "l1_loss",
    "smooth_l1_loss",
    "huber_loss",
    "bce_with_logits",
];

fn built<L: Build + Criterion + 'static>(fields: Value) -> Result<Box<dyn Criterion>, LossError> {
    let config = L::Config::from_value(fields)?;
    config.validate()?;
    Ok(Box::new(L::build(&config, &mut Init::default())))
}

/// A loss by name, with its options in the compact form (`"cross_entropy"`,
/// `"cross_entropy(label_smoothing=0.1)"`, `"huber_loss(delta=0.5)"`) or as JSON
/// (`{"name": "mse_loss", "reduction": "sum"}`).
///
/// ```
/// use minitrainer_core::train::criterion_from_str;
/// let loss = criterion_from_str("cross_entropy(label_smoothing=0.1)")?;
/// assert_eq!(loss.name(), "cross_entropy");
/// let err = criterion_from_str("cross_entropi").err().unwrap();
/// assert!(err.to_string().contains(r#"did you mean "cross_entropy"?"#));
/// # Ok::<(), minitrainer_core::nn::loss::LossError>(())
/// ```
///
/// # Errors
/// [`LossError::UnknownLoss`] with a suggestion and the known names; [`LossError::Config`]
/// for malformed text or a bad option (named).
pub fn criterion_from_str(text: &str) -> Result<Box<dyn Criterion>, LossError> {
    let (name, fields) = if text.trim_start().starts_with('{') {
        crate::optim::named_object(text)?
    } else {
        parse_call(text, "loss", "cross_entropy(label_smoothing=0.1)")?
    };
    let fields = Value::Object(fields);
    let criterion = match name.as_str() {
        "cross_entropy" => built::<CrossEntropyLoss>(fields)?,
        "nll_loss" => built::<NllLoss>(fields)?,
        "mse_loss" => built::<MseLoss>(fields)?,
        "l1_loss" => built::<L1Loss>(fields)?,
        "smooth_l1_loss" => built::<SmoothL1Loss>(fields)?,
        "huber_loss" => built::<HuberLoss>(fields)?,
        "bce_with_logits" => built::<BceWithLogitsLoss>(fields)?,
        _ => {
            let suggestion = crate::suggest::did_you_mean(&name, CRITERIA.iter().copied());
            return Err(LossError::UnknownLoss {
                name,
                suggestion: suggestion.map(str::to_owned),
                known: CRITERIA.to_vec(),
            });
        }
    };
    Ok(criterion)
}
