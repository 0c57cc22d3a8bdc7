//! [`check_tensor_size`]: the cross-field check that a tensor whose shape comes from config
//! fields can exist at all, so that `build` (infallible by design) never receives sizes that
//! would make a tensor constructor panic.

use super::error::CheckError;

/// Bytes per element of a [`Tensor`](crate::Tensor) (`f32`).
const ELEMENT_BYTES: usize = std::mem::size_of::<f32>();

/// The most elements a tensor can have: a `Vec<f32>` holds at most `isize::MAX` bytes (and
/// ndarray requires the element count itself to fit in `isize`, a weaker condition).
pub const MAX_TENSOR_ELEMENTS: usize = isize::MAX as usize / ELEMENT_BYTES;

/// Checks that a tensor of shape `dims`, each length named by the config field it comes from,
/// can be allocated: its element count is computable without overflow and at most
/// [`MAX_TENSOR_ELEMENTS`] (its size in bytes fits in `isize`). Zero lengths are skipped, as
/// ndarray does: an empty axis does not make the other lengths addressable.
///
/// This is a guard against sizes that can never work (they would panic inside
/// [`Tensor::zeros`](crate::Tensor::zeros) and friends), not a promise that the memory is
/// available: a tensor within the limit may still exhaust the machine.
///
/// Call it from a `#[config(check = ..)]` function, once per parameter shape; the built-in
/// layer configs ([`LinearConfig`](crate::nn::LinearConfig), …) do.
///
/// # Errors
/// A [`CheckError`] naming every field in `dims`, with their lengths and product when it is
/// computable: `in_features × out_features = 4294967296 × 4294967296 elements does not fit in
/// memory (at most 2305843009213693951 f32 elements)`.
///
/// # Examples
/// ```
/// use minitrainer_core::config::{CheckError, Config, check_tensor_size};
/// use minitrainer_macros::Config;
///
/// fn table_fits(c: &TableConfig) -> Result<(), CheckError> {
///     check_tensor_size(&[("rows", c.rows), ("cols", c.cols)])
/// }
///
/// #[derive(Config, Debug)]
/// #[config(crate = ::minitrainer_core, check = table_fits)]
/// struct TableConfig {
///     #[config(min = 1)]
///     rows: usize,
///     #[config(min = 1)]
///     cols: usize,
/// }
///
/// assert!(TableConfig::from_json(r#"{"rows": 1000, "cols": 64}"#).is_ok());
/// let err = TableConfig::from_json(r#"{"rows": 18446744073709551615, "cols": 2}"#).unwrap_err();
/// assert!(err.to_string().starts_with(
///     "rows, cols: rows × cols = 18446744073709551615 × 2 elements does not fit in memory"
/// ));
/// ```
pub fn check_tensor_size(dims: &[(&str, usize)]) -> Result<(), CheckError> {
    let count = dims
        .iter()
        .filter(|(_, len)| *len != 0)
        .try_fold(1usize, |acc, (_, len)| acc.checked_mul(*len));
    if count.is_some_and(|n| n <= MAX_TENSOR_ELEMENTS) {
        return Ok(());
    }
    let names: Vec<&str> = dims.iter().map(|(name, _)| *name).collect();
    let lengths: Vec<String> = dims.iter().map(|(_, len)| len.to_string()).collect();
    // A single length is already the count; a product is shown when it is computable.
    let product = match count {
        Some(n) if dims.len() > 1 => format!(" = {n}"),
        _ => String::new(),
    };
    let message = format!(
        "{} = {}{product} elements does not fit in memory (at most {MAX_TENSOR_ELEMENTS} f32 \
         elements)",
        names.join(" × "),
        lengths.join(" × "),
    );
    Err(CheckError::new(names, message))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(dims: &[(&str, usize)]) -> String {
        let error = check_tensor_size(dims).expect_err("too large");
        let mut violations = crate::config::Violations::new();
        violations.check(&crate::config::FieldPath::root(), error);
        violations.to_string()
    }

    #[test]
    fn the_largest_addressable_tensor_passes_and_one_more_element_fails() {
        assert!(check_tensor_size(&[("n", MAX_TENSOR_ELEMENTS)]).is_ok());
        assert!(check_tensor_size(&[("n", MAX_TENSOR_ELEMENTS + 1)]).is_err());
        // 2^60 elements are 2^62 bytes, within isize; 2^61 elements are 2^63 bytes, one past.
        assert!(check_tensor_size(&[("a", 1 << 30), ("b", 1 << 30)]).is_ok());
        assert!(check_tensor_size(&[("a", 1 << 30), ("b", 1 << 31)]).is_err());
        assert!(check_tensor_size(&[]).is_ok());
    }

    #[test]
    fn zero_lengths_neither_hide_nor_cause_an_overflow() {
        assert!(check_tensor_size(&[("a", 0), ("b", 64)]).is_ok());
        assert!(check_tensor_size(&[("a", 0), ("b", usize::MAX)]).is_err());
    }

    #[test]
    fn the_error_names_every_field_and_length() {
        assert_eq!(
            message(&[("in_features", 1 << 32), ("out_features", 1 << 32)]),
            format!(
                "in_features, out_features: in_features × out_features = 4294967296 × \
                 4294967296 elements does not fit in memory (at most {MAX_TENSOR_ELEMENTS} f32 \
                 elements)"
            )
        );
        assert_eq!(
            message(&[("a", 1 << 31), ("b", 1 << 31)]),
            format!(
                "a, b: a × b = 2147483648 × 2147483648 = 4611686018427387904 elements does not \
                 fit in memory (at most {MAX_TENSOR_ELEMENTS} f32 elements)"
            )
        );
        assert_eq!(
            message(&[("num_features", usize::MAX)]),
            format!(
                "num_features: num_features = {} elements does not fit in memory (at most \
                 {MAX_TENSOR_ELEMENTS} f32 elements)",
                usize::MAX
            )
        );
    }
}
