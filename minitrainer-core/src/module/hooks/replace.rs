//! What a hook returns: `()` to observe, `Option<T>` to replace the value when `Some`; and the
//! check, when the hook fires, that a replacement has the module's input or output type.

use std::any::{Any, type_name};

/// What a hook closure may return: `()` to observe only, or `Option<T>` to replace the input
/// (pre-hook) or output (forward hook) with the value when it is `Some`, as a PyTorch hook
/// returning something other than `None` does.
///
/// `T` must be the module's input or output type ([`Tensor`](crate::Tensor) for every
/// built-in layer). Sealed: implemented for `()` and `Option<T>` only.
///
/// # Examples
/// ```
/// use minitrainer_core::module::{Forward, Hooked, Module};
/// use minitrainer_core::nn::{Linear, LinearConfig};
/// use minitrainer_core::registry::{Build, Init};
/// use minitrainer_core::tensor::Tensor;
///
/// let config = LinearConfig { in_features: 2, out_features: 2, bias: true };
/// let model = Hooked::new(Linear::build(&config, &mut Init::seeded(0)));
/// // `()`: observes.
/// let _seen = model.register_forward_hook("", |path, _input, output| {
///     println!("{path}: {output:?}");
/// })?;
/// // `Option<Tensor>`: replaces the output (and the next hook sees the replacement).
/// let _zeroed = model.register_forward_hook("", |_, _, output| {
///     output.tensor().map(|t| t.mul_scalar(0.0))
/// })?;
/// assert_eq!(model.call(Tensor::ones(&[1, 2])).to_vec(), [0.0, 0.0]);
/// # Ok::<(), minitrainer_core::module::ModuleError>(())
/// ```
pub trait HookReturn: sealed::Sealed + 'static {}

impl HookReturn for () {}

impl<T: Any> HookReturn for Option<T> {}

pub(super) mod sealed {
    use std::any::{Any, type_name};

    /// A replacement value, type-erased, with the name of its type for error messages.
    pub struct Replacement {
        pub(in crate::module::hooks) value: Box<dyn Any>,
        pub(in crate::module::hooks) type_name: &'static str,
    }

    /// Turns a hook's return value into a replacement, if it holds one.
    pub trait Sealed {
        /// `None` to keep the value, `Some` to replace it.
        fn into_replacement(self) -> Option<Replacement>;
    }

    impl Sealed for () {
        fn into_replacement(self) -> Option<Replacement> {
            None
        }
    }

    impl<T: Any> Sealed for Option<T> {
        fn into_replacement(self) -> Option<Replacement> {
            self.map(|value| Replacement {
                value: Box::new(value),
                type_name: type_name::<T>(),
            })
        }
    }
}

/// Which kind of hook returned a replacement.
#[derive(Clone, Copy)]
pub(super) enum Site {
    /// A forward pre-hook: it replaces the input.
    PreHook,
    /// A forward hook: it replaces the output.
    Hook,
}

/// The replacement as the module's value type `T`.
///
/// # Panics
/// When the hook returned another type, naming the hook's path and both types: the hook is
/// wrong, and failing here beats failing in whatever op would next use the value.
pub(super) fn take<T: Any>(replacement: sealed::Replacement, site: Site, path: &str) -> T {
    match replacement.value.downcast::<T>() {
        Ok(value) => *value,
        Err(_) => {
            let (hook, what) = match site {
                Site::PreHook => ("forward pre-hook", "input"),
                Site::Hook => ("forward hook", "output"),
            };
            let on = match path {
                "" => "the root module".to_owned(),
                path => format!("`{path}`"),
            };
            panic!(
                "{hook} on {on} returned a replacement {what} of type `{}`, but the module's \
                 {what} is of type `{}`; return `Option<{}>` from the hook",
                replacement.type_name,
                type_name::<T>(),
                type_name::<T>()
            )
        }
    }
}
