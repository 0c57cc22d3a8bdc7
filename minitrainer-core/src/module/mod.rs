//! The `Module` machinery: traversal and naming of parameters, train/eval, freezing, state
//! dicts, the tree print, `Forward`/`call`, forward hooks, and layer input errors that name the
//! layer's path.
//!
//! A module implements four required methods — `visit`/`visit_mut` (report each field to a
//! [`Visitor`]), `type_name` — which `#[derive(Module)]` writes; everything else is a provided
//! method built on the visitor. Layers with hyperparameters or a train/eval switch also
//! override `extra_repr` and `local_training`/`set_local_training`.
//!
//! Entry points: [`Module`], [`Forward`], [`Param`], [`Buffer`], [`StateDict`], [`Hooked`].
//! Error policy: lookups, pattern matches and loads return [`ModuleError`] naming the path or
//! key; nothing here panics on user input. The exceptions are documented panics at forward
//! time: [`input_mismatch`] for a layer given the wrong input, and a hook returning a
//! replacement of the wrong type.

mod call;
mod collect;
mod containers;
mod error;
mod field;
mod forward;
mod freeze;
mod generator;
mod generator_states;
mod hooks;
mod index_name;
mod mode_guard;
mod named_parameters;
mod param;
mod param_collector;
mod param_name;
mod params;
mod plain_data;
mod state_dict;
mod transparent;
mod tree;
mod visitor;

use std::any::Any;

pub use call::input_mismatch;
pub use error::ModuleError;
pub use field::{ModuleField, visit_child, visit_child_mut};
pub use forward::{Forward, Layer};
pub use freeze::ParamSummary;
pub use generator::{Generator, GeneratorState, ParseGeneratorStateError};
pub use hooks::{HookHandle, HookReturn, HookValue, Hooked};
pub use mode_guard::{EvalModeGuard, eval_mode};
pub use named_parameters::{NamedParameters, NamedParametersIntoIter, NamedParametersIter};
pub use param::{Buffer, Param};
pub use param_collector::{ParamCollector, collect_child};
pub use param_name::ParamName;
pub use plain_data::PlainData;
pub use state_dict::{LoadReport, ShapeMismatch, StateDict, StateDictIntoIter};
pub use visitor::{FieldName, PathStack, Visitor, VisitorMut};

// List items are named by index without formatting a `String` (`Sequential` too).
pub(crate) use containers::{collect_indexed, visit_indexed, visit_indexed_mut};
// The glob matcher of `freeze` and its pattern suggestions, shared with the optimizer's
// parameter groups.
pub(crate) use freeze::{matches as path_matches, suggest as suggest_pattern};
pub(crate) use transparent::transparent_module;

/// Views of a module as trait objects. Implemented for every sized [`Module`]; lets provided
/// methods (which have `Self: ?Sized`) hand `self` to code that takes `&dyn Module`.
pub trait AsDynModule {
    /// `self` as `&dyn Module`.
    fn as_dyn_module(&self) -> &dyn Module;
    /// `self` as `&mut dyn Module`.
    fn as_dyn_module_mut(&mut self) -> &mut dyn Module;
    /// `self` as `&dyn Any`, for downcasting to the concrete layer type.
    fn as_any(&self) -> &dyn Any;
    /// `self` as `&mut dyn Any`.
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

impl<T: Module> AsDynModule for T {
    fn as_dyn_module(&self) -> &dyn Module {
        self
    }
    fn as_dyn_module_mut(&mut self) -> &mut dyn Module {
        self
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// A neural-network module: a tree of named parameters, buffers and child modules.
///
/// Derive it with `#[derive(Module)]`; implement it by hand only for leaf layers with
/// hyperparameters to print or a train/eval switch. Parameter names are dotted paths in field
/// order, as PyTorch's (`encoder.layers.0.weight`).
///
/// `'static` (through [`Any`]) because modules own their parameters; this also allows
/// downcasting a `&dyn Module` with [`AsDynModule::as_any`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a Module",
    label = "not a module",
    note = "derive it with `#[derive(Module)]`; an enum variant of a module holds exactly one module"
)]
pub trait Module: Any + AsDynModule + ModuleField {
    /// Reports every field (child module, parameter, buffer) to `visitor`, in field order.
    fn visit<'a>(&'a self, visitor: &mut dyn Visitor<'a>);

    /// Reports every field to `visitor`, mutably.
    fn visit_mut(&mut self, visitor: &mut dyn VisitorMut);

    /// The name the tree print shows (`Linear`, `ModuleList`, the struct's name).
    fn type_name(&self) -> &'static str;

    /// Hyperparameters for the tree print (`in_features=64, out_features=32, bias=true`).
    fn extra_repr(&self) -> String {
        String::new()
    }

    /// This module's own train/eval flag, for layers that behave differently (Dropout,
    /// BatchNorm) — `None` for modules that keep no flag, such as derived structs.
    fn local_training(&self) -> Option<bool> {
        None
    }

    /// Sets this module's own flag; called on every module by [`Module::set_training`].
    fn set_local_training(&mut self, training: bool) {
        let _ = training;
    }

    // ---- names and traversal ----------------------------------------------------------------

    /// Reports every parameter to `out`, as [`Module::visit`] does to a visitor: the walk
    /// behind [`Module::named_parameter_refs`]. Not public API — `#[derive(Module)]` and the
    /// built-in layers override it with direct calls; the default walks [`Module::visit`].
    #[doc(hidden)]
    fn collect_params<'a>(&'a self, out: &mut ParamCollector<'a>) {
        param_collector::collect_by_visit(self.as_dyn_module(), out);
    }

    /// Calls `f` on every parameter with its dotted path, in field order — the names of
    /// [`Module::named_parameters`] without allocating them: each is borrowed from one buffer
    /// for the duration of its call (copy it with `to_owned` to keep it). The fastest walk;
    /// `&'a Param` may be kept as long as the module is borrowed.
    ///
    /// # Examples
    /// ```
    /// # use minitrainer_core as minitrainer;
    /// use minitrainer::build::{Build, Init};
    /// use minitrainer::module::Module;
    /// use minitrainer::nn::{Linear, LinearConfig, Sequential};
    /// let mut init = Init::seeded(0);
    /// let net = Sequential::new().push(Linear::build(&LinearConfig::new(4, 2), &mut init));
    /// let mut total = 0;
    /// net.visit_parameters(&mut |name, param| {
    ///     assert!(name == "0.weight" || name == "0.bias");
    ///     total += param.numel();
    /// });
    /// assert_eq!(total, 4 * 2 + 2);
    /// ```
    fn visit_parameters<'a>(&'a self, f: &mut dyn FnMut(&str, &'a Param)) {
        params::visit_named(self.as_dyn_module(), f);
    }

    /// Every parameter with its dotted path, in field order — PyTorch's `named_parameters()`:
    /// owned names and parameter handles (sharing the values), which outlive the borrow of
    /// `self`.
    ///
    /// Each name is a `String` of its own; when only reading, [`Module::named_parameter_refs`]
    /// walks the same names into one buffer (about 4x faster on a 200-layer model), and
    /// [`Module::visit_parameters`] without collecting them.
    ///
    /// # Examples
    /// ```
    /// # use minitrainer_core as minitrainer;
    /// use std::collections::HashMap;
    /// use minitrainer::build::{Build, Init};
    /// use minitrainer::module::{Module, Param};
    /// use minitrainer::nn::{Linear, LinearConfig, Sequential};
    /// let mut init = Init::seeded(0);
    /// let net = Sequential::new()
    ///     .push(Linear::build(&LinearConfig::new(4, 3), &mut init))
    ///     .push(Linear::build(&LinearConfig::new(3, 2), &mut init));
    /// let by_name: HashMap<String, Param> = net.named_parameters().into_iter().collect();
    /// assert_eq!(by_name["1.weight"].shape(), &[2, 3]);
    /// assert_eq!(net.named_parameters()[0].0, "0.weight");
    /// ```
    fn named_parameters(&self) -> Vec<(String, Param)> {
        self.named_parameter_refs().into_vec()
    }

    /// [`Module::named_parameters`] borrowed: every parameter with its dotted path, in field
    /// order, all the names in one `String` and the parameters borrowed from `self`, so the
    /// walk fills two buffers for the whole model (not a `String` per name) and touches no
    /// reference count. Iterating the [`NamedParameters`]
    ///
    /// - by reference (`for (name, p) in &named`, [`NamedParameters::iter`]) yields
    ///   `(&str, &Param)`;
    /// - by value (`for (name, p) in model.named_parameter_refs()`) yields
    ///   `(ParamName, &Param)`: [`ParamName`] is an owned name (kept inline up to 38 bytes)
    ///   that derefs to `str`, prints, compares with `&str`/`String`, hashes as a `str` and
    ///   converts `into()` a `String`.
    ///
    /// `p` is a `&Param`: `p.shape()`, `p.grad()`, `p.set_frozen(..)` work as on a `Param`, and
    /// `p.clone()` is a handle sharing the value. [`NamedParameters::into_vec`] gives
    /// [`Module::named_parameters`]' owned pairs.
    ///
    /// # Examples
    /// ```
    /// # use minitrainer_core as minitrainer;
    /// use minitrainer::build::{Build, Init};
    /// use minitrainer::module::Module;
    /// use minitrainer::nn::{Linear, LinearConfig, Sequential};
    /// let mut init = Init::seeded(0);
    /// let net = Sequential::new()
    ///     .push(Linear::build(&LinearConfig::new(4, 3), &mut init))
    ///     .push(Linear::build(&LinearConfig::new(3, 2), &mut init));
    /// for (name, p) in net.named_parameter_refs() {
    ///     if name.ends_with(".weight") {
    ///         println!("{name}: {:?}", p.shape());
    ///     }
    /// }
    /// let named = net.named_parameter_refs();
    /// let total: usize = named.iter().map(|(_, p)| p.numel()).sum();
    /// assert_eq!((named.len(), total), (4, 4 * 3 + 3 + 3 * 2 + 2));
    /// assert_eq!(named.get(0).map(|(name, _)| name), Some("0.weight"));
    /// assert_eq!(named.find("1.bias").map(|p| p.shape()), Some(&[2][..]));
    /// ```
    fn named_parameter_refs(&self) -> NamedParameters<'_> {
        params::named_parameter_refs(self.as_dyn_module())
    }

    /// Every parameter, in field order (handles share the values, so optimizers update the
    /// model through them).
    fn parameters(&self) -> Vec<Param> {
        params::parameters(self.as_dyn_module())
    }

    /// The parameters that are not frozen: what an optimizer should update.
    fn trainable_parameters(&self) -> Vec<Param> {
        let mut out = Vec::new();
        params::each(self.as_dyn_module(), |p| {
            if !p.is_frozen() {
                out.push(p.clone());
            }
        });
        out
    }

    /// Every buffer (persistent or not) with its dotted path, in field order.
    fn named_buffers(&self) -> Vec<(String, Buffer)> {
        params::named_buffers(self.as_dyn_module())
    }

    /// This module (named `""`) and every descendant module with its dotted path, pre-order.
    fn named_modules(&self) -> Vec<(String, &dyn Module)> {
        collect::named_modules(self.as_dyn_module())
    }

    /// The direct child modules with their names.
    fn children(&self) -> Vec<(String, &dyn Module)> {
        collect::children(self.as_dyn_module())
    }

    /// The descendant at a dotted path (`"encoder.layers.3"`; `""` is `self`).
    ///
    /// # Errors
    /// [`ModuleError::NoSubmodule`] naming the first missing segment and the children that
    /// exist there.
    fn get_submodule(&self, path: &str) -> Result<&dyn Module, ModuleError> {
        collect::get_submodule(self.as_dyn_module(), path)
    }

    /// Calls `f` on every descendant module and then on `self` (post-order, as PyTorch's
    /// `apply`), with its path; for custom initialisation.
    fn apply(&mut self, f: &mut dyn FnMut(&str, &mut dyn Module)) {
        collect::apply(self.as_dyn_module_mut(), f);
    }

    /// Total number of parameter elements.
    fn num_parameters(&self) -> usize {
        let mut total = 0;
        params::each(self.as_dyn_module(), |p| total += p.numel());
        total
    }

    // ---- train / eval -----------------------------------------------------------------------

    /// Puts `self` and every descendant in training (`true`) or evaluation mode.
    fn set_training(&mut self, training: bool) {
        collect::set_training(self.as_dyn_module_mut(), training);
    }

    /// Training mode (Dropout active, BatchNorm uses batch statistics).
    fn train(&mut self) {
        self.set_training(true);
    }

    /// Evaluation mode (Dropout off, BatchNorm uses running statistics).
    fn eval(&mut self) {
        self.set_training(false);
    }

    /// The mode: this module's own flag, else the first flag found among its descendants
    /// (all are set together), else `true` (PyTorch's default) for a tree with no layer that
    /// keeps one.
    fn is_training(&self) -> bool {
        collect::is_training(self.as_dyn_module())
    }

    // ---- gradients and freezing -------------------------------------------------------------

    /// Clears the gradient of every parameter.
    fn zero_grad(&self) {
        params::each(self.as_dyn_module(), |p| p.zero_grad());
    }

    /// Freezes every parameter whose path matches `pattern`: a glob where `*` matches any run
    /// of characters (dots included), or a plain path naming a parameter or a whole subtree
    /// (`"encoder"`); `""` names the root, i.e. every parameter, like [`Module::freeze_all`].
    /// Frozen parameters get no gradients and optimizers skip them.
    /// Returns how many parameters matched.
    ///
    /// # Errors
    /// [`ModuleError::NoMatch`] when nothing matches (a typo), with a suggestion.
    fn freeze(&self, pattern: &str) -> Result<usize, ModuleError> {
        freeze::set_frozen(self.as_dyn_module(), pattern, true)
    }

    /// Unfreezes the parameters matching `pattern` (see [`Module::freeze`]).
    ///
    /// # Errors
    /// [`ModuleError::NoMatch`] when nothing matches.
    fn unfreeze(&self, pattern: &str) -> Result<usize, ModuleError> {
        freeze::set_frozen(self.as_dyn_module(), pattern, false)
    }

    /// Freezes every parameter.
    fn freeze_all(&self) {
        params::each(self.as_dyn_module(), |p| p.set_frozen(true));
    }

    /// Unfreezes every parameter.
    fn unfreeze_all(&self) {
        params::each(self.as_dyn_module(), |p| p.set_frozen(false));
    }

    /// Counts of trainable and frozen parameters.
    fn param_summary(&self) -> ParamSummary {
        let mut summary = ParamSummary::default();
        params::each(self.as_dyn_module(), |p| summary.add(p));
        summary
    }

    // ---- state dict -------------------------------------------------------------------------

    /// Parameters and persistent buffers by dotted path, in field order. The tensors share
    /// their values with the model.
    fn state_dict(&self) -> StateDict {
        state_dict::collect(self.as_dyn_module())
    }

    /// Copies values from `state_dict` into the parameters and persistent buffers, accepting
    /// keys under field aliases too. Returns what did not fit; shape-mismatched entries are
    /// never loaded.
    ///
    /// # Errors
    /// With `strict`, [`ModuleError::StateDict`] when any key is missing, unexpected or of the
    /// wrong shape — and then nothing at all is written.
    fn load_state_dict(
        &mut self,
        state_dict: &StateDict,
        strict: bool,
    ) -> Result<LoadReport, ModuleError> {
        state_dict::load(self.as_dyn_module(), state_dict, strict)
    }

    // ---- random generators ------------------------------------------------------------------

    /// The state of every random [`Generator`] in the tree (dropout masks), by dotted path
    /// (`drop.rng`), in field order. Saved with a training checkpoint next to the state dict,
    /// so a resumed run draws what an uninterrupted one would have.
    fn generator_states(&self) -> Vec<(String, GeneratorState)> {
        generator_states::collect(self.as_dyn_module())
    }

    /// Restores the generators from `states` (as [`Module::generator_states`] returned them).
    ///
    /// # Errors
    /// [`ModuleError::GeneratorStates`] when a generator of the model has no state in
    /// `states` or `states` names one the model lacks — and then nothing is changed.
    fn load_generator_states(
        &self,
        states: &[(String, GeneratorState)],
    ) -> Result<(), ModuleError> {
        generator_states::load(self.as_dyn_module(), states)
    }

    // ---- display ----------------------------------------------------------------------------

    /// The module tree in PyTorch's repr format, with each layer's hyperparameters.
    fn repr(&self) -> String {
        tree::repr(self.as_dyn_module())
    }
}

impl std::fmt::Debug for dyn Module {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.repr())
    }
}
