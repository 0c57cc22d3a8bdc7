//! Plain data: field types of a module that hold no parameters and need no annotation.

/// Plain data: a field type of a `#[derive(Module)]` struct that holds no parameters — numbers,
/// `bool`, `String`, configs (`#[derive(Config)]` implements it). Containers (`Vec`, `Option`,
/// arrays, `Box`) of plain data are accepted as they are and are not walked.
///
/// This is [`ModuleField`](super::ModuleField) under the name that says what an *empty* impl
/// means: its provided methods walk nothing. Declare your own settings types with one:
///
/// ```
/// use minitrainer_core::module::{Forward, Hooked, Layer, Module, PlainData};
/// use minitrainer_core::nn::{Linear, ReLU, Sequential};
/// use minitrainer_core::tensor::{Tensor, seeded_rng};
///
/// #[derive(Clone, Copy)]
/// enum Pooling { Mean, Max }
/// impl PlainData for Pooling {}
///
/// #[derive(minitrainer_macros::Module)]
/// #[module(crate = ::minitrainer_core)] // users of the facade write neither line
/// struct Head {
///     proj: Linear,
///     pooling: Pooling, // no annotation needed
/// }
/// ```
pub use super::field::ModuleField as PlainData;

macro_rules! plain_data {
    ($($ty:ty),* $(,)?) => { $(#[diagnostic::do_not_recommend] impl PlainData for $ty {})* };
}

plain_data!(
    u8,
    u16,
    u32,
    u64,
    u128,
    usize,
    i8,
    i16,
    i32,
    i64,
    i128,
    isize,
    f32,
    f64,
    bool,
    char,
    String,
    &'static str,
    (),
    std::path::PathBuf,
    std::time::Duration,
);
