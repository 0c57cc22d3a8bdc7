//! The config → module contract: [`Build`] builds a module from its validated config, drawing
//! every random initial value from [`Init`], the one seeded source of randomness.
//!
//! This layer sits above `module` and `config` and below the layers (`nn`), the directory
//! format (`pretrained`) and the registry: a layer is built the same way whether a user's
//! `Build` impl, the registry or a test builds it.
//!
//! - [`Build`]: `fn build(config: &Self::Config, init: &mut Init) -> Self`, plus
//!   [`Build::try_build`], which validates the config first;
//! - [`Init`]: the seeded generator initial weights are drawn from, and the seeds of the
//!   module-held [`Generator`](crate::module::Generator)s (dropout masks);
//! - [`initializers`]: PyTorch's `torch.nn.init` rules as the layers use them.

mod init;
pub mod initializers;

pub use init::{DEFAULT_SEED, Init};

use crate::config::Config;
use crate::module::Module;

/// How a module is built from its config. Implement it for a model; `#[model]` then registers
/// the model under a name. The built-in layers implement it too:
/// `Linear::build(&LinearConfig::new(4, 2), &mut init)`.
///
/// `build` is infallible on purpose: it receives a validated config (the registry,
/// [`Configured`](crate::registry::Configured) and [`Build::try_build`] validate before they
/// call it), so everything that can be wrong with the config has been reported already. A
/// config built by struct literal skips validation: call [`Build::try_build`] for it, or
/// `config.validate()?` first. Initial weights come from `init`'s seeded generator, never a
/// global one: the same config and seed build the same model.
///
/// The model only has to be a [`Module`]; its `Forward` may take and return anything
/// (`(token_ids, mask)` in, two tensors out). Models mapping a tensor to a tensor can also be
/// called straight from the `Box<dyn Model>` the registry returns.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement `Build`",
    label = "#[model] needs `impl Build for {Self}`",
    note = "add `impl Build for {Self} {{ type Config = ...; fn build(config: &Self::Config, init: &mut Init) -> Self {{ ... }} }}`"
)]
pub trait Build: Module + Sized {
    /// The config the model is built from.
    type Config: Config + Clone + Send + Sync + 'static;

    /// Builds the model from a validated config.
    ///
    /// # Panics
    /// May panic when `config` breaks its own rules (it was not validated): a layer can't
    /// allocate a weight of `usize::MAX` elements. Panics, naming the tensor, when a weight
    /// allocated through [`initializers`] does not fit in memory. [`Build::try_build`]
    /// validates first and returns that as an error.
    fn build(config: &Self::Config, init: &mut Init) -> Self;

    /// Validates `config` (its rules and cross-field checks), then builds the model, returning
    /// a weight that does not fit in memory as an error instead of panicking.
    ///
    /// ```
    /// # use minitrainer_core as minitrainer;
    /// use minitrainer::build::{Build, Init};
    /// use minitrainer::nn::{Dropout, DropoutConfig};
    /// let built = Dropout::try_build(&DropoutConfig { p: 1.5 }, &mut Init::seeded(0));
    /// let error = built.err().map(|e| e.to_string());
    /// assert_eq!(error.as_deref(), Some("p: must be in 0.0..=1.0, got 1.5"));
    /// ```
    ///
    /// # Errors
    /// [`Error::Config`](crate::Error::Config) listing every violated rule;
    /// [`TensorError::OutOfMemory`](crate::tensor::TensorError::OutOfMemory) (as
    /// [`Error::Tensor`](crate::Error::Tensor)) naming the first parameter, allocated through
    /// [`initializers`], that does not fit in memory.
    fn try_build(config: &Self::Config, init: &mut Init) -> Result<Self, crate::Error> {
        config.validate()?;
        Ok(init.fallibly(|init| Self::build(config, init))?)
    }
}
