//! IDX files (the MNIST format) and [`Mnist`].
//!
//! IDX: two zero bytes, an element-type byte (`0x08`: unsigned byte, the only type read here),
//! a dimension count `d`, then `d` big-endian `u32` sizes, then the elements in row-major order.
//! The header is checked against the number of bytes that follow it before anything is
//! allocated for the elements, so a header claiming 100 GB is refused, not obeyed.

use std::path::{Path, PathBuf};

use ndarray::{ArrayD, IxDyn};

use super::dataset::{Dataset, Example, Target};
use super::error::DataError;
use super::file::read_bytes;

/// The element-type byte of unsigned bytes, MNIST's only type.
const UBYTE: u8 = 0x08;

/// The elements of an IDX file of unsigned bytes, with its shape.
#[derive(Clone, Debug, PartialEq)]
pub struct IdxArray {
    /// The dimensions from the header (`[60000, 28, 28]` for MNIST's training images).
    pub shape: Vec<usize>,
    /// The elements, row-major.
    pub data: Vec<u8>,
}

/// Reads an IDX file of unsigned bytes (gunzipped if it is gzipped).
///
/// # Errors
/// [`DataError::File`] if it cannot be read, [`DataError::Idx`] for a bad magic number, an
/// element type other than unsigned bytes, or a header whose sizes disagree with the length.
pub fn read_idx(path: &Path) -> Result<IdxArray, DataError> {
    let bytes = read_bytes(path)?;
    let bad = |reason: String| DataError::Idx {
        path: path.to_path_buf(),
        reason,
    };
    let [0, 0, dtype, dims] = *bytes.get(..4).unwrap_or(&[1, 0, 0, 0]) else {
        return Err(bad(format!(
            "it does not start with an IDX magic number (00 00 <type> <dims>); the file has {} bytes",
            bytes.len()
        )));
    };
    if dtype != UBYTE {
        return Err(bad(format!(
            "element type 0x{dtype:02x} is not supported; only unsigned bytes (0x08) are read"
        )));
    }
    let dims = usize::from(dims);
    let header_len = 4 + 4 * dims;
    let Some(sizes) = bytes.get(4..header_len) else {
        return Err(bad(format!(
            "the header declares {dims} dimensions ({header_len} header bytes) but the file has {} bytes",
            bytes.len()
        )));
    };
    let shape: Vec<usize> = sizes
        .chunks_exact(4)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize)
        .collect();
    let body = bytes.len() - header_len;
    // Checked: the product of four u32s can overflow even a u64.
    let claimed = shape.iter().try_fold(1usize, |acc, &d| acc.checked_mul(d));
    if claimed != Some(body) {
        let claimed = claimed.map_or_else(|| "more than 2^64".to_string(), |c| c.to_string());
        return Err(bad(format!(
            "the header's shape {shape:?} needs {claimed} bytes of data but {body} follow it"
        )));
    }
    let mut data = bytes;
    data.drain(..header_len);
    Ok(IdxArray { shape, data })
}

/// MNIST (or Fashion-MNIST, or any pair of IDX image and label files) in memory: images stored
/// as bytes, each read as an [`Example`] of features `[rows, cols]` = pixel / 255 in `[0, 1]`
/// (what torchvision's `ToTensor` gives, without its channel axis) and a class target.
///
/// ```no_run
/// use minitrainer_core::data::{Dataset, Mnist};
///
/// let train = Mnist::train("data/mnist")?;
/// assert_eq!(train.len(), 60_000);
/// # Ok::<(), minitrainer_core::data::DataError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Mnist {
    images: Vec<u8>,
    labels: Vec<u8>,
    rows: usize,
    cols: usize,
}

impl Mnist {
    /// The 60,000 training images: `train-images-idx3-ubyte` and `train-labels-idx1-ubyte`
    /// in `dir`, each gzipped (`.gz`) or not.
    ///
    /// # Errors
    /// As [`from_files`](Mnist::from_files); a missing file is [`DataError::File`].
    pub fn train(dir: impl AsRef<Path>) -> Result<Mnist, DataError> {
        Self::from_dir(dir.as_ref(), "train")
    }

    /// The 10,000 test images: `t10k-images-idx3-ubyte` and `t10k-labels-idx1-ubyte` in `dir`,
    /// each gzipped (`.gz`) or not.
    ///
    /// # Errors
    /// As [`train`](Mnist::train).
    pub fn test(dir: impl AsRef<Path>) -> Result<Mnist, DataError> {
        Self::from_dir(dir.as_ref(), "t10k")
    }

    fn from_dir(dir: &Path, prefix: &str) -> Result<Mnist, DataError> {
        let find = |name: String| -> PathBuf {
            let plain = dir.join(&name);
            let gz = dir.join(format!("{name}.gz"));
            if !plain.exists() && gz.exists() {
                gz
            } else {
                plain
            }
        };
        Self::from_files(
            &find(format!("{prefix}-images-idx3-ubyte")),
            &find(format!("{prefix}-labels-idx1-ubyte")),
        )
    }

    /// Images `[N, rows, cols]` and labels `[N]` from two IDX files.
    ///
    /// # Errors
    /// As [`read_idx`]; [`DataError::Idx`] for files of the wrong rank,
    /// [`DataError::CountMismatch`] if they hold different numbers of samples, and
    /// [`DataError::Empty`] if they hold none.
    pub fn from_files(images: &Path, labels: &Path) -> Result<Mnist, DataError> {
        let image_array = read_idx(images)?;
        let label_array = read_idx(labels)?;
        let rank = |path: &Path, array: &IdxArray, want: usize, what: &str| {
            if array.shape.len() == want {
                Ok(())
            } else {
                Err(DataError::Idx {
                    path: path.to_path_buf(),
                    reason: format!(
                        "{what} need {want} dimensions, the header has {:?}",
                        array.shape
                    ),
                })
            }
        };
        rank(images, &image_array, 3, "images")?;
        rank(labels, &label_array, 1, "labels")?;
        let (n, rows, cols) = (
            image_array.shape[0],
            image_array.shape[1],
            image_array.shape[2],
        );
        if n != label_array.shape[0] {
            return Err(DataError::CountMismatch {
                what: format!("`{}` and `{}`", images.display(), labels.display()),
                left: n,
                right: label_array.shape[0],
            });
        }
        if n == 0 {
            return Err(DataError::Empty {
                what: format!("`{}`", images.display()),
                hint: "the IDX header declares 0 images",
            });
        }
        Ok(Mnist {
            images: image_array.data,
            labels: label_array.data,
            rows,
            cols,
        })
    }

    /// Every label, in order.
    pub fn labels(&self) -> &[u8] {
        &self.labels
    }

    /// The shape of one image, `[rows, cols]`.
    pub fn image_shape(&self) -> [usize; 2] {
        [self.rows, self.cols]
    }
}

impl Dataset for Mnist {
    type Item = Example;
    type Error = DataError;

    fn len(&self) -> usize {
        self.labels.len()
    }

    fn get(&self, index: usize) -> Result<Example, DataError> {
        let len = self.len();
        let &label = self.labels.get(index).ok_or(DataError::IndexOutOfRange {
            index,
            len,
            what: "MNIST",
        })?;
        let size = self.rows * self.cols;
        let pixels = &self.images[index * size..(index + 1) * size];
        let features = pixels.iter().map(|&p| f32::from(p) / 255.0).collect();
        let features = ArrayD::from_shape_vec(IxDyn(&[self.rows, self.cols]), features)
            .expect("minitrainer internal error: an image holds rows × cols pixels");
        Ok(Example {
            features,
            target: Target::Class(usize::from(label)),
        })
    }
}

#[cfg(test)]
#[path = "idx_tests.rs"]
mod tests;
