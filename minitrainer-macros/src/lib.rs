//! Procedural macros of minitrainer: `#[derive(Module)]`, `#[derive(Config)]` and `#[model]`.
//! Use them through the `minitrainer` crate, which re-exports them.

// Shared by every macro.
mod attr;
mod ctxt;
mod paths;
mod suggest;

mod config;
mod model;
mod module;

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

/// Derives `Module`: every parameter, buffer and child module in the struct is found and named
/// with dotted PyTorch-style paths (`encoder.layers.0.weight`), in field order.
///
/// ```
/// use minitrainer::prelude::*;
///
/// #[derive(Module)]
/// struct Mlp {
///     layers: Vec<Linear>,  // layers.0.weight, layers.0.bias, ...
///     head: Linear,         // head.weight, head.bias
///     act: ReLU,            // a module with no parameters
///     width: usize,         // plain data: not a parameter, no annotation needed
/// }
///
/// let mut init = Init::seeded(0);
/// let mlp = Mlp {
///     layers: vec![Linear::build(&LinearConfig::new(4, 8), &mut init)],
///     head: Linear::build(&LinearConfig { bias: false, ..LinearConfig::new(8, 2) }, &mut init),
///     act: ReLU::new(),
///     width: 8,
/// };
/// let names: Vec<String> = mlp.named_parameters().into_iter().map(|(n, _)| n).collect();
/// assert_eq!(names, ["layers.0.weight", "layers.0.bias", "head.weight"]);
/// ```
///
/// # Accepted shapes
/// - structs with named fields; tuple structs (fields named `0`, `1`, ...);
/// - generic structs (each type parameter must be `'static`; field types get the bounds they
///   need);
/// - enums whose variants each hold exactly one module, or none. The enum is transparent:
///   `act: Act` with `Act::Gelu(GELU)` is named, printed and trained as the `GELU` itself; a
///   unit variant is a module with nothing in it, printed under the variant's name.
///
/// Unions and structs with lifetime parameters are compile errors.
///
/// # Field types
/// [`Param`], [`Buffer`], any `Module`, `Option<M>` (absent → nothing registered), `Box<M>`,
/// `Box<dyn Layer>`, `Vec<M>` and `[M; N]` (named by index), `BTreeMap<String, M>` (named by
/// key), nested to any depth; and plain data (numbers, `bool`, `String`, configs, anything
/// implementing `PlainData`), which is not walked. Anything else is a compile error at the
/// field's type: "`X` is not a Module or plain data", with the hint to use `skip`.
///
/// [`Param`]: https://docs.rs/minitrainer/latest/minitrainer/module/struct.Param.html
/// [`Buffer`]: https://docs.rs/minitrainer/latest/minitrainer/module/struct.Buffer.html
///
/// # Field attributes
/// ## `#[module(skip)]`
/// Leaves the field out of traversal (a cache, a tokenizer, a handle).
/// ### Requirements
/// Not together with `rename` or `alias`.
/// ```
/// use minitrainer::prelude::*;
/// struct Tokenizer;
/// #[derive(Module)]
/// struct Net {
///     head: Linear,
///     #[module(skip)]
///     tokenizer: Tokenizer,
/// }
/// # let net = Net { head: Linear::build(&LinearConfig { bias: false, ..LinearConfig::new(1, 1) }, &mut Init::seeded(0)), tokenizer: Tokenizer };
/// # assert_eq!(net.named_parameters().len(), 1);
/// ```
///
/// ## `#[module(rename = "name")]`
/// Sets the field's state-dict name, e.g. to match a PyTorch checkpoint.
/// ### Requirements
/// Non-empty, no `.`, unique among the struct's names.
/// ```
/// use minitrainer::prelude::*;
/// #[derive(Module)]
/// struct Net {
///     #[module(rename = "fc")]
///     head: Linear,
/// }
/// # let net = Net { head: Linear::build(&LinearConfig { bias: false, ..LinearConfig::new(1, 1) }, &mut Init::seeded(0)) };
/// assert_eq!(net.named_parameters()[0].0, "fc.weight");
/// ```
///
/// ## `#[module(alias = "old_name")]`
/// Another name accepted by `load_state_dict`, so checkpoints saved under an older name still
/// load. Repeatable. Aliases of nested fields combine (`old_block.gamma`).
/// ### Requirements
/// Non-empty, no `.`, not the name of another field.
/// ```
/// use minitrainer::prelude::*;
/// #[derive(Module)]
/// struct Norm {
///     #[module(alias = "gamma")]
///     weight: Param,
/// }
/// let mut norm = Norm { weight: Param::new(&Tensor::zeros(&[2])) };
/// let old: StateDict = [("gamma".to_owned(), Tensor::ones(&[2]))].into_iter().collect();
/// norm.load_state_dict(&old, true)?;
/// assert_eq!(norm.weight.to_vec(), [1.0, 1.0]);
/// # Ok::<(), minitrainer::Error>(())
/// ```
///
/// # Container attributes
/// ## `#[module(crate = ::minitrainer_core)]`
/// The path the generated code reaches the runtime through, for crates that depend on
/// `minitrainer-core` without the `minitrainer` facade.
/// ### Requirements
/// An absolute path (leading `::`). (The example names the facade, which re-exports the
/// runtime, because the doc-tests of this crate only see `minitrainer`.)
/// ```
/// use minitrainer::prelude::*;
/// #[derive(Module)]
/// #[module(crate = ::minitrainer)]
/// struct Net {
///     head: Linear,
/// }
/// ```
#[proc_macro_derive(Module, attributes(module))]
pub fn derive_module(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    module::expand(&input)
        .unwrap_or_else(|err| module::fallback(&input, err))
        .into()
}

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
