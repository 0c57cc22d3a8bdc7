//! `Rule`: what one optimizer contributes — its config, its state buffers and its update
//! kernel. Everything else (groups, state by path, saving, the `Optimizer` trait) is the
//! shared [`Engine`](super::engine::Engine).

use std::fmt::Debug;

use super::float::Float;
use crate::config::Config;

/// One of PyTorch's update rules (`_single_tensor_*` in `torch/optim/*.py`).
pub(crate) trait Rule: 'static {
    /// The hyperparameters, one copy per parameter group.
    type Config: Config + Clone + Debug + PartialEq + Send + Sync + 'static;

    /// The optimizer's name in the factory and in saved state (`"adamw"`).
    const NAME: &'static str;

    /// The group's learning rate.
    fn lr(config: &Self::Config) -> f64;
    /// Sets the group's learning rate.
    fn set_lr(config: &mut Self::Config, lr: f64);
    /// The group's weight decay.
    fn weight_decay(config: &Self::Config) -> f64;
    /// Sets the group's weight decay.
    fn set_weight_decay(config: &mut Self::Config, weight_decay: f64);

    /// The per-parameter state buffers these hyperparameters need, in the order `update`
    /// receives them (PyTorch's state keys: `exp_avg`, `momentum_buffer`, …).
    fn slots(config: &Self::Config) -> &'static [&'static str];

    /// The value a state buffer starts at (Adagrad's `initial_accumulator_value`).
    fn initial_value(_config: &Self::Config, _slot: &str) -> f64 {
        0.0
    }

    /// One step for one parameter: `step` counts this one (1 on the first), `state` has one
    /// buffer per slot, each as long as `param`. Allocates nothing.
    fn update<T: Float>(
        config: &Self::Config,
        step: u64,
        param: &mut [T],
        grad: &[T],
        state: &mut [Vec<T>],
    );
}

/// The first `N` state buffers of a rule, without allocating. The engine allocates exactly
/// `Rule::slots`, so a missing one is a bug in this crate.
///
/// # Panics
/// When `state` has fewer than `N` buffers.
pub(crate) fn buffers<T, const N: usize>(state: &mut [Vec<T>]) -> [&mut [T]; N] {
    let found = state.len();
    let mut iter = state.iter_mut();
    std::array::from_fn(|_| match iter.next() {
        Some(buffer) => buffer.as_mut_slice(),
        None => panic!("optimizer state has {found} buffers, the rule needs {N}"),
    })
}
