//! `register_models!`: explicit registration, the fallback where link-time collection does not
//! run (some WebAssembly hosts, static builds with unusual linkers, a plugin loaded with
//! `dlopen` that registers after start-up) or when a program wants a registry that holds
//! exactly the models it names.

/// Builds a [`Registry`](crate::registry::Registry) holding exactly the given `#[model]` types,
/// without relying on link-time collection.
///
/// ```
/// # use minitrainer_core as minitrainer;
/// use minitrainer::nn::Linear;
/// let registry = minitrainer::register_models![Linear];
/// assert_eq!(registry.names(), ["linear"]);
/// let model = registry.load("linear(in_features=2, out_features=3)")?;
/// assert_eq!(model.num_parameters(), 9);
/// # use minitrainer::module::Module;
/// # Ok::<(), minitrainer::Error>(())
/// ```
#[macro_export]
macro_rules! register_models {
    ($($model:ty),* $(,)?) => {{
        let mut registry = $crate::registry::Registry::new();
        $( registry.register($crate::registry::entry_of::<$model>()); )*
        registry
    }};
}

/// Used by [`register_models!`](crate::register_models).
#[doc(hidden)]
pub fn entry_of<T: super::Registered>() -> super::ModelEntry {
    T::ENTRY
}
