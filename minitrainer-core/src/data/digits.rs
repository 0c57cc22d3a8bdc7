//! [`Digits`]: scikit-learn's 8×8 handwritten digits, compiled into the crate
//! (`minitrainer-core/data/digits.csv`, 265 kB; provenance in `data/README.md` beside it), so
//! examples and tests need no file and no download.

use super::combinators::{DatasetExt, Subset};
use super::csv::Csv;
use super::memory::TensorDataset;

/// The CSV text: a header, 64 pixel columns `pixel_r_c` (0..=16) and `target` (0..=9).
const CSV: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/digits.csv"));

/// Rows in the training part of [`Digits::train_test`]; the rest (360) are the test part.
const TRAIN_ROWS: usize = 1437;

/// scikit-learn's handwritten digits (`load_digits()`): 1,797 samples of 64 features (an 8×8
/// image, row-major, pixel / 16 so in `[0, 1]`) with a class target `0..=9`.
///
/// ```
/// use minitrainer_core::data::{Dataset, Digits};
///
/// let (train, test) = Digits::train_test();
/// assert_eq!((train.len(), test.len()), (1437, 360));
/// assert_eq!(train.get(0)?.features.len(), 64);
/// # Ok::<(), minitrainer_core::data::DataError>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Digits;

impl Digits {
    /// All 1,797 samples, in the file's order.
    ///
    /// # Panics
    /// Never for the shipped file; parsing it is tested (the text is compiled in, not user data).
    pub fn load() -> TensorDataset {
        let mut set = Csv::new("data/digits.csv (compiled in)")
            .classes("target")
            .parse(CSV)
            .expect("minitrainer internal error: the compiled-in digits.csv parses")
            .into_inner();
        // The pixels are counts 0..=16 of a 4×4 block; / 16 as the README and PyTorch fixtures.
        set.scale_features(1.0 / 16.0);
        set
    }

    /// The standard split the examples and the PyTorch reference fixtures use: train = rows
    /// `[0, 1437)`, test = rows `[1437, 1797)` (no shuffling; the file is already mixed).
    pub fn train_test() -> (Subset<TensorDataset>, Subset<TensorDataset>) {
        let mut parts = Self::load()
            .split_ranges(&[0..TRAIN_ROWS, TRAIN_ROWS..1797])
            .expect("minitrainer internal error: the digits split fits 1797 rows");
        let test = parts.pop().expect("minitrainer internal error: two parts");
        let train = parts.pop().expect("minitrainer internal error: two parts");
        (train, test)
    }
}

#[cfg(test)]
mod tests {
    use super::Digits;
    use crate::data::{DataError, Dataset, Target};

    #[test]
    fn digits_loads_1797_rows_of_64_features_with_the_known_first_row() -> Result<(), DataError> {
        let set = Digits::load();
        assert_eq!(set.len(), 1797);
        let first = set.get(0)?;
        assert_eq!(first.features.shape(), &[64]);
        // The first row of sklearn's load_digits(): a zero.
        let pixels: [f32; 16] = [
            0., 0., 5., 13., 9., 1., 0., 0., 0., 0., 13., 15., 10., 15., 5., 0.,
        ];
        let expected: Vec<f32> = pixels.iter().map(|p| p / 16.0).collect();
        assert_eq!(
            &first.features.as_slice().unwrap_or_default()[..16],
            &expected[..]
        );
        assert_eq!(first.target, Target::Class(0));
        assert_eq!(set.get(1796)?.target, Target::Class(8));
        Ok(())
    }

    #[test]
    fn the_standard_split_is_rows_0_to_1437_and_the_rest() -> Result<(), DataError> {
        let (train, test) = Digits::train_test();
        assert_eq!(train.len(), 1437);
        assert_eq!(test.len(), 360);
        assert_eq!(test.get(0)?, Digits::load().get(1437)?);
        Ok(())
    }
}
