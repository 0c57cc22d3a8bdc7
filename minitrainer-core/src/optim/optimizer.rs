//! The `Optimizer` trait: what a training loop (and the trainer) needs of any optimizer.

use std::path::Path;

use serde_json::Value;

use super::{LearningRates, OptimError, OptimizerState};

/// An optimizer: updates the parameters it was built over from their gradients.
///
/// Object-safe and `Send`, so a trainer holds a `Box<dyn Optimizer>` built by name
/// ([`optimizer_from_str`](super::optimizer_from_str)). Its learning rates, one per parameter
/// group, are the [`LearningRates`] a scheduler sets.
///
/// # Examples
/// A hand-written training loop:
/// ```
/// # use minitrainer_core as minitrainer;
/// use minitrainer::build::{Build, Init};
/// use minitrainer::module::Forward;
/// use minitrainer::nn::{Linear, LinearConfig};
/// use minitrainer::optim::{Adam, AdamConfig, Optimizer};
/// use minitrainer::Tensor;
///
/// let model = Linear::build(&LinearConfig::new(3, 1), &mut Init::seeded(0));
/// let mut opt = Adam::new(&model, AdamConfig { lr: 1e-2, ..AdamConfig::default() })?;
/// let (x, y) = (Tensor::ones(&[4, 3]), Tensor::zeros(&[4, 1]));
/// let loss_of = |m: &Linear| {
///     let error = m.forward(x.clone()).sub(&y);
///     error.mul(&error).mean()
/// };
/// let first = loss_of(&model).item();
/// for _ in 0..20 {
///     let loss = loss_of(&model);
///     loss.backward();
///     opt.step();
///     opt.zero_grad();
/// }
/// assert!(loss_of(&model).item() < first);
/// # Ok::<(), minitrainer::Error>(())
/// ```
pub trait Optimizer: LearningRates + Send {
    /// The optimizer's name, as [`optimizer_from_str`](super::optimizer_from_str) spells it
    /// (`"adamw"`).
    fn name(&self) -> &'static str;

    /// One update of every parameter that has a gradient (PyTorch's `optimizer.step()`);
    /// parameters without one (not reached by `backward` since the last `zero_grad`) are left
    /// alone, their state too.
    fn step(&mut self);

    /// Clears the gradients of the parameters this optimizer updates.
    fn zero_grad(&self);

    /// The parameter groups: pattern, hyperparameters and parameter paths, default group
    /// first.
    fn param_groups(&self) -> Vec<GroupInfo>;

    /// A copy of the state: hyperparameters, step counts and buffers, keyed by parameter path.
    fn state_dict(&self) -> OptimizerState;

    /// Replaces the state (hyperparameters included, as PyTorch's `load_state_dict`) with
    /// `state`, saved by an optimizer of the same kind over the same parameters.
    ///
    /// # Errors
    /// [`OptimError::WrongOptimizer`] for another optimizer's state,
    /// [`OptimError::StateMismatch`] listing every missing, unexpected or mis-shaped entry
    /// and every group that differs. On error nothing is changed.
    fn load_state_dict(&mut self, state: &OptimizerState) -> Result<(), OptimError>;

    /// Saves [`Optimizer::state_dict`] to a safetensors file (see [`OptimizerState`]).
    ///
    /// # Errors
    /// [`OptimError::Io`] naming the file.
    fn save_state(&self, path: &Path) -> Result<(), OptimError> {
        self.state_dict().write(path)
    }

    /// Loads a state saved by [`Optimizer::save_state`].
    ///
    /// # Errors
    /// As [`OptimizerState::read`] and [`Optimizer::load_state_dict`]; on error nothing is
    /// changed.
    fn load_state(&mut self, path: &Path) -> Result<(), OptimError> {
        let state = OptimizerState::read(path)?;
        self.load_state_dict(&state)
    }
}

/// A parameter group as an optimizer reports it.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupInfo {
    /// The pattern that chose the group's parameters; `None` for the default group.
    pub pattern: Option<String>,
    /// The learning rate.
    pub lr: f64,
    /// The weight decay.
    pub weight_decay: f64,
    /// Every hyperparameter, as the optimizer's config writes them.
    pub config: Value,
    /// The paths of the group's parameters, in field order.
    pub params: Vec<String>,
}

impl std::fmt::Debug for dyn Optimizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Optimizer")
            .field("name", &self.name())
            .field("groups", &self.param_groups())
            .finish()
    }
}

/// A boxed optimizer (what [`optimizer_from_str`](super::optimizer_from_str) returns) is an
/// optimizer, so it goes wherever one is taken (the trainer's builder).
impl<O: Optimizer + ?Sized> Optimizer for Box<O> {
    fn name(&self) -> &'static str {
        (**self).name()
    }
    fn step(&mut self) {
        (**self).step();
    }
    fn zero_grad(&self) {
        (**self).zero_grad();
    }
    fn param_groups(&self) -> Vec<GroupInfo> {
        (**self).param_groups()
    }
    fn state_dict(&self) -> OptimizerState {
        (**self).state_dict()
    }
    fn load_state_dict(&mut self, state: &OptimizerState) -> Result<(), OptimError> {
        (**self).load_state_dict(state)
    }
}
