//! `Engine<R>`: the part every optimizer shares — parameter groups, state buffers keyed by
//! parameter path, the step loop over parameters, the `Optimizer` trait — around one
//! [`Rule`] (the update kernel). Each public optimizer type wraps one (`optimizer_type!`).
//!
//! The step reads each gradient and writes each parameter in place through
//! [`Tensor::update_with_grad`](crate::Tensor::update_with_grad): state buffers are allocated
//! on a parameter's first step, and nothing after that.

use serde_json::Value;

use super::float::Float;
use super::groups::{ParamGroup, assign};
use super::rule::Rule;
use super::{GroupInfo, OptimError};
use crate::config::Config;
use crate::module::{Module, Param};

/// The optimizer of rule `R` over a model's trainable parameters.
pub(crate) struct Engine<R: Rule> {
    pub(super) groups: Vec<Group<R::Config>>,
}

/// One parameter group: its hyperparameters and its parameters.
pub(crate) struct Group<C> {
    /// `None` for the default group (the parameters no pattern matched).
    pub(super) pattern: Option<String>,
    pub(super) config: C,
    pub(super) params: Vec<Slot>,
}

/// One parameter and its optimizer state.
pub(crate) struct Slot {
    pub(super) path: String,
    pub(super) param: Param,
    /// Steps taken with a gradient (PyTorch's `state["step"]`).
    pub(super) step: u64,
    /// One buffer per `Rule::slots`, row-major; empty before the first step.
    pub(super) state: Vec<Vec<f32>>,
}

impl<R: Rule> Engine<R> {
    /// The default group with `config`, then one group per `groups` entry (see
    /// [`ParamGroup`] for which parameter joins which group).
    pub(crate) fn new(
        model: &dyn Module,
        config: R::Config,
        groups: &[ParamGroup],
    ) -> Result<Self, OptimError> {
        config.validate()?;
        let mut configs = Vec::with_capacity(groups.len() + 1);
        configs.push(config.clone());
        for group in groups {
            let mut group_config = config.clone();
            if let Some(lr) = group.lr_override() {
                R::set_lr(&mut group_config, lr);
            }
            if let Some(weight_decay) = group.weight_decay_override() {
                R::set_weight_decay(&mut group_config, weight_decay);
            }
            group_config.validate()?;
            configs.push(group_config);
        }
        // Generic code is compiled once per rule: the rule-independent part (patterns,
        // assignment, slots) is in `group_slots`, and this loop has no closure.
        let mut out = Vec::with_capacity(configs.len());
        for ((pattern, params), config) in group_slots(model, groups)?.into_iter().zip(configs) {
            out.push(Group {
                pattern,
                config,
                params,
            });
        }
        Ok(Engine { groups: out })
    }

    /// The default group's hyperparameters.
    pub(crate) fn config(&self) -> &R::Config {
        &self.groups[0].config
    }

    /// One optimizer step over every parameter that has a gradient.
    pub(crate) fn step(&mut self) {
        for group in &mut self.groups {
            for slot in &mut group.params {
                step_slot::<R>(&group.config, slot);
            }
        }
    }

    /// Clears every optimized parameter's gradient.
    pub(crate) fn zero_grad(&self) {
        for group in &self.groups {
            for slot in &group.params {
                slot.param.zero_grad();
            }
        }
    }

    pub(crate) fn learning_rates(&self) -> Vec<f64> {
        let mut out = Vec::with_capacity(self.groups.len());
        for group in &self.groups {
            out.push(R::lr(&group.config));
        }
        out
    }

    pub(crate) fn set_learning_rates(&mut self, lrs: &[f64]) {
        check_rate_count(lrs.len(), self.groups.len());
        for (group, &lr) in self.groups.iter_mut().zip(lrs) {
            R::set_lr(&mut group.config, lr);
        }
    }

    pub(crate) fn param_groups(&self) -> Vec<GroupInfo> {
        let mut out = Vec::with_capacity(self.groups.len());
        for g in &self.groups {
            let (lr, weight_decay) = (R::lr(&g.config), R::weight_decay(&g.config));
            let config = g.config.to_value();
            out.push(group_info(&g.pattern, &g.params, lr, weight_decay, config));
        }
        out
    }
}

/// Checks that `set_learning_rates` got one rate per group.
///
/// # Panics
/// When `rates` differs from `groups` (a bug in the caller: a scheduler holds one rate per
/// group).
fn check_rate_count(rates: usize, groups: usize) {
    assert_eq!(
        rates, groups,
        "set_learning_rates: {rates} rates for {groups} parameter groups",
    );
}

/// A group's pattern (`None` for the default group) and parameter slots.
type PatternSlots = (Option<String>, Vec<Slot>);

/// The default group's pattern and slots, then one per `groups` entry.
fn group_slots(model: &dyn Module, groups: &[ParamGroup]) -> Result<Vec<PatternSlots>, OptimError> {
    let patterns = std::iter::once(None).chain(groups.iter().map(|g| Some(g.pattern().into())));
    let assigned = assign(model, groups)?;
    Ok(patterns
        .zip(assigned)
        .map(|(pattern, params)| {
            let slots = params
                .into_iter()
                .map(|(path, param)| Slot {
                    path,
                    param,
                    step: 0,
                    state: Vec::new(),
                })
                .collect();
            (pattern, slots)
        })
        .collect())
}

/// A group's [`GroupInfo`], from what only the rule knows (`lr`, `weight_decay`, `config`).
fn group_info(
    pattern: &Option<String>,
    params: &[Slot],
    lr: f64,
    weight_decay: f64,
    config: Value,
) -> GroupInfo {
    GroupInfo {
        pattern: pattern.clone(),
        lr,
        weight_decay,
        config,
        params: params.iter().map(|s| s.path.clone()).collect(),
    }
}

/// One step for one parameter (skipped without a gradient, as PyTorch skips `grad is None`).
fn step_slot<R: Rule>(config: &R::Config, slot: &mut Slot) {
    let Slot {
        param, step, state, ..
    } = slot;
    param.update_with_grad(|value, grad| {
        let Some(grad) = grad else { return };
        *step += 1;
        if state.is_empty() {
            *state = R::slots(config)
                .iter()
                .map(|name| vec![f32::of(R::initial_value(config, name)); value.len()])
                .collect();
        }
        match (value.as_slice_mut(), grad.as_slice()) {
            (Some(p), Some(g)) => R::update(config, *step, p, g, state),
            _ => {
                // A value or gradient not in row-major layout (never made by this crate's
                // ops or layers): update a row-major copy. This path allocates.
                let mut p: Vec<f32> = value.iter().copied().collect();
                let g: Vec<f32> = grad.iter().copied().collect();
                R::update(config, *step, &mut p, &g, state);
                for (dst, src) in value.iter_mut().zip(p) {
                    *dst = src;
                }
            }
        }
    });
}

/// A group's config read back from saved state.
pub(super) fn decode_config<R: Rule>(value: &Value) -> Result<R::Config, OptimError> {
    Ok(R::Config::from_value(value.clone())?)
}

/// The public optimizer type `$name` around `Engine<$rule>`: constructors and the trait impls.
macro_rules! optimizer_type {
    ($(#[$meta:meta])* $name:ident, $rule:ty, $config:ty) => {
        $(#[$meta])*
        pub struct $name {
            engine: $crate::optim::engine::Engine<$rule>,
        }

        impl $name {
            /// The optimizer over every trainable parameter of `model`, in one group.
            ///
            /// # Errors
            /// [`OptimError::Config`](crate::optim::OptimError::Config) naming the field
            /// when a hyperparameter breaks its rule;
            /// [`OptimError::NoParameters`](crate::optim::OptimError::NoParameters) when
            /// nothing is trainable.
            pub fn new<M: $crate::module::Module + ?Sized>(
                model: &M,
                config: $config,
            ) -> Result<Self, $crate::optim::OptimError> {
                Self::with_groups(model, config, [])
            }

            /// The optimizer with parameter groups: each trainable parameter joins the first
            /// group whose pattern matches its path, the rest form the default group
            /// (group 0, with `config`); the given groups are 1, 2, … in order.
            ///
            /// # Errors
            /// As [`Self::new`]; also
            /// [`OptimError::NoMatch`](crate::optim::OptimError::NoMatch) (with a
            /// suggestion) for a pattern that matches no trainable parameter, and
            /// [`OptimError::ShadowedGroup`](crate::optim::OptimError::ShadowedGroup) for one
            /// whose parameters all joined earlier groups.
            pub fn with_groups<M: $crate::module::Module + ?Sized>(
                model: &M,
                config: $config,
                groups: impl IntoIterator<Item = $crate::optim::ParamGroup>,
            ) -> Result<Self, $crate::optim::OptimError> {
                let groups: Vec<_> = groups.into_iter().collect();
                Self::with_dyn_groups(
                    $crate::module::AsDynModule::as_dyn_module(model),
                    config,
                    &groups,
                )
            }

            /// `with_groups` without generics: compiled once, in this crate, rather than in
            /// every crate that builds the optimizer.
            fn with_dyn_groups(
                model: &dyn $crate::module::Module,
                config: $config,
                groups: &[$crate::optim::ParamGroup],
            ) -> Result<Self, $crate::optim::OptimError> {
                let engine = $crate::optim::engine::Engine::new(model, config, groups)?;
                Ok($name { engine })
            }

            /// The default group's hyperparameters.
            pub fn config(&self) -> &$config {
                self.engine.config()
            }
        }

        impl $crate::optim::LearningRates for $name {
            fn learning_rates(&self) -> Vec<f64> {
                self.engine.learning_rates()
            }
            fn set_learning_rates(&mut self, lrs: &[f64]) {
                self.engine.set_learning_rates(lrs);
            }
        }

        impl $crate::optim::Optimizer for $name {
            fn name(&self) -> &'static str {
                <$rule as $crate::optim::rule::Rule>::NAME
            }
            fn step(&mut self) {
                self.engine.step();
            }
            fn zero_grad(&self) {
                self.engine.zero_grad();
            }
            fn param_groups(&self) -> Vec<$crate::optim::GroupInfo> {
                self.engine.param_groups()
            }
            fn state_dict(&self) -> $crate::optim::OptimizerState {
                self.engine.state_dict()
            }
            fn load_state_dict(
                &mut self,
                state: &$crate::optim::OptimizerState,
            ) -> Result<(), $crate::optim::OptimError> {
                self.engine.load_state_dict(state)
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($name))
                    .field("groups", &$crate::optim::Optimizer::param_groups(self))
                    .finish()
            }
        }
    };
}

pub(crate) use optimizer_type;

#[cfg(test)]
mod tests {
    use super::Engine;
    use crate::Tensor;
    use crate::build::{Build, Init};
    use crate::module::Param;
    use crate::nn::{Linear, LinearConfig};
    use crate::optim::AdamConfig;
    use crate::optim::adam::AdamRule;

    fn set_grad(param: &Param, value: f32) {
        param.zero_grad();
        param
            .mul(&Tensor::full(param.shape(), value))
            .sum()
            .backward();
    }

    #[test]
    fn buffers_are_allocated_once_and_parameters_without_gradient_are_skipped() {
        let model = Linear::build(&LinearConfig::new(3, 2), &mut Init::seeded(0));
        let mut opt = Engine::<AdamRule>::new(&model, AdamConfig::default(), &[]).unwrap();
        set_grad(&model.weight, 0.5);
        let bias = model.bias.as_ref().unwrap().to_vec();
        opt.step();
        let slot = &opt.groups[0].params[0];
        let pointers: Vec<*const f32> = slot.state.iter().map(|b| b.as_ptr()).collect();
        for _ in 0..3 {
            set_grad(&model.weight, -0.25);
            opt.step();
        }
        let slot = &opt.groups[0].params[0];
        let after: Vec<*const f32> = slot.state.iter().map(|b| b.as_ptr()).collect();
        assert_eq!((slot.step, pointers), (4, after));
        // The bias never had a gradient: no step, no state, value unchanged.
        let bias_slot = &opt.groups[0].params[1];
        assert_eq!((bias_slot.step, bias_slot.state.len()), (0, 0));
        assert_eq!(model.bias.as_ref().unwrap().to_vec(), bias);
        assert_eq!(opt.state_dict().tensors.len(), 2);
    }
}
