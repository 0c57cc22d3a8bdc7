//! Plain data: field types of a module that hold no parameters and need no annotation.

/// Marker for types that may sit in a `#[derive(Module)]` struct without being a module:
/// numbers, `bool`, `String`, configs (`#[derive(Config)]` implements it) and collections of them.
pub trait PlainData {}

macro_rules! plain_data {
    ($($ty:ty),* $(,)?) => { $(impl PlainData for $ty {})* };
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
    ()
);

impl<T: PlainData> PlainData for Vec<T> {}
impl<T: PlainData> PlainData for Option<T> {}
impl<T: PlainData, const N: usize> PlainData for [T; N] {}
impl<T: PlainData> PlainData for Box<T> {}
