//! Procedural macros of minitrainer: `#[derive(Module)]`, `#[derive(Config)]` and `#[model]`.
//! Use them through the `minitrainer` crate, which re-exports them.

// Shared by every macro.
mod ctxt;
mod paths;
mod suggest;

mod config;
mod module;

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

/// Derives `Module` (DOCS)
#[proc_macro_derive(Module, attributes(module))]
pub fn derive_module(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    module::expand(&input)
        .unwrap_or_else(|err| module::fallback(&input, err))
        .into()
}

mod model;

/// Registers a model type under a name, so that `minitrainer::load` and
/// `minitrainer::from_pretrained` can build it from a config that names it.
///
/// Put it on a (non-generic) struct that implements `Build` (config → model) and, usually,
/// `#[derive(Module)]` and `Forward`. Registration needs nothing else: no call at start-up, no
/// list to keep. The struct is re-emitted unchanged.
///
/// # Attribute arguments
///
/// ## `name = "mlp"` (required)
/// The `model_type` the model is registered under: the `"model_type"` of a JSON config, the
/// `mlp` of the compact form `mlp(in_dim=64)`. A string literal of ASCII letters, digits and
/// `_`, not starting with a digit. Two types registered under one name are an error, reported
/// (naming both types) on the first use of the registry.
///
/// ## `config = MlpConfig` (required)
/// The config type the model is built from; it must be the `type Config` of the model's
/// `impl Build` (a compile error on the type otherwise).
///
/// ## `crate = ::minitrainer_core` (optional)
/// Where the runtime lives, for crates that depend on `minitrainer-core` without the
/// `minitrainer` facade. The path must be absolute.
///
/// # Example
/// ```
/// use minitrainer::prelude::*;
///
/// #[derive(Config, Clone, Debug, PartialEq)]
/// pub struct ScaleConfig {
///     #[config(default = 2.0)]
///     pub factor: f32,
/// }
///
/// #[derive(Module, Debug)]
/// #[model(name = "scale_doc", config = ScaleConfig)]
/// pub struct Scale {
///     factor: f32,
/// }
///
/// impl Build for Scale {
///     type Config = ScaleConfig;
///     fn build(config: &ScaleConfig, _init: &mut Init) -> Self {
///         Scale { factor: config.factor }
///     }
/// }
///
/// impl Forward for Scale {
///     type Output = Tensor;
///     fn forward(&self, x: Tensor) -> Tensor {
///         x.mul_scalar(self.factor)
///     }
/// }
///
/// let model = minitrainer::load("scale_doc(factor=3.0)")?;
/// assert_eq!(model.model_type(), "scale_doc");
/// assert_eq!(model.config_value()["factor"], 3.0);
/// # Ok::<(), minitrainer::Error>(())
/// ```
///
/// # Linking
/// `#[model]` registers at link time (`inventory`). A crate of models that the program never
/// names is not linked, so its models are not found: add `use my_models as _;` to the
/// program. See `minitrainer::registry` for details and the explicit fallback,
/// `minitrainer::register_models!`.
#[proc_macro_attribute]
pub fn model(
    args: proc_macro::TokenStream,
    input: proc_macro::TokenStream,
) -> proc_macro::TokenStream {
    model::expand(args.into(), input.into()).into()
}
#[doc = include_str!("config/derive_docs.md")]
#[proc_macro_derive(Config, attributes(config))]
pub fn derive_config(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    config::expand(&input)
        .unwrap_or_else(|err| config::fallback(&input, err))
        .into()
}
