//! Reading safetensors files into named `f32` tensors.
//!
//! Entry points: [`read_safetensors`] (a file) and [`parse_safetensors`] (bytes already in
//! memory). Error policy: the `safetensors` crate validates the layout (header length, JSON,
//! contiguous offsets, sizes); when it refuses a file, [`diagnose`](super::diagnose) re-reads
//! the header to say *which* tensor is wrong. Nothing here panics on a bad file.

use std::path::Path;

use safetensors::{SafeTensorError, SafeTensors};

use super::diagnose::diagnose_header;
use super::dtype::{decode_f32, readable_width};
use super::error::IoError;
use crate::Tensor;

/// Reads every tensor of the safetensors file at `path`, in file order, as `f32` tensors.
///
/// F64 values are rounded to f32; F16 and BF16 values widen exactly. Integers (I8, I16, I32,
/// I64, U8, U16, U32, U64) become the nearest f32: exact up to 2^24 in magnitude, rounded
/// beyond (PyTorch writes integer state such as BatchNorm's `num_batches_tracked` as I64).
/// BOOL becomes 0.0 or 1.0.
///
/// # Errors
/// - [`IoError::File`] when the file cannot be read;
/// - [`IoError::Malformed`] for a truncated file, garbage, or a header that lies about sizes or
///   offsets;
/// - [`IoError::SizeMismatch`] when a tensor's shape does not fit its stored bytes;
/// - [`IoError::UnsupportedDtype`] for a dtype with no conversion to f32: complex (C64) and
///   8-bit or smaller floats (F8_*, F6_*, F4).
///
/// Every error names `path`.
pub fn read_safetensors(path: impl AsRef<Path>) -> Result<Vec<(String, Tensor)>, IoError> {
    read_with_metadata(path.as_ref()).map(|(tensors, _)| tensors)
}

/// Parses the bytes of a safetensors file; `path` is only used to name the file in errors.
///
/// # Errors
/// As [`read_safetensors`], except for [`IoError::File`].
///
/// # Examples
/// ```
/// use minitrainer_core::weights::{parse_safetensors, serialize_safetensors};
/// use minitrainer_core::Tensor;
/// let bytes = serialize_safetensors(&[("w".to_string(), Tensor::ones(&[2, 3]))])?;
/// let tensors = parse_safetensors(&bytes, "in-memory.safetensors".as_ref())?;
/// assert_eq!(tensors[0].0, "w");
/// assert_eq!(tensors[0].1.shape(), &[2, 3]);
/// # Ok::<(), minitrainer_core::weights::IoError>(())
/// ```
pub fn parse_safetensors(bytes: &[u8], path: &Path) -> Result<Vec<(String, Tensor)>, IoError> {
    parse_with_metadata(bytes, path).map(|(tensors, _)| tensors)
}

/// A safetensors file's tensors and its `__metadata__` string map (empty when absent).
pub(crate) fn read_with_metadata(path: &Path) -> Result<(NamedTensors, FileMetadata), IoError> {
    let bytes = std::fs::read(path).map_err(|source| IoError::file("read", path, source))?;
    parse_with_metadata(&bytes, path)
}

/// The largest safetensors header read, in bytes (the JSON that names each tensor's dtype,
/// shape and offsets: a few dozen bytes a tensor). The `safetensors` crate enforces the same
/// 100 MB; checking it here first makes it ours to name and document. Tensor data has no
/// separate cap: every tensor must lie inside the file, so the largest tensor is the file.
pub const MAX_HEADER_BYTES: u64 = 100_000_000;

type NamedTensors = Vec<(String, Tensor)>;
pub(crate) type FileMetadata = std::collections::BTreeMap<String, String>;

fn parse_with_metadata(bytes: &[u8], path: &Path) -> Result<(NamedTensors, FileMetadata), IoError> {
    // Before anything else (the crate, `diagnose`): a header length read from the file is
    // never used to size anything until it is known to be small.
    let claimed = header_len_field(bytes);
    if claimed > MAX_HEADER_BYTES {
        return Err(IoError::malformed(
            path,
            format!(
                "the header length says {claimed} bytes, over the {MAX_HEADER_BYTES}-byte \
                 limit (`weights::MAX_HEADER_BYTES`); this is not a safetensors file"
            ),
        ));
    }
    let (header_len, metadata) =
        SafeTensors::read_metadata(bytes).map_err(|error| explain(error, bytes, path))?;
    // The crate's map type depends on its features (hashbrown's without `std`): copy it out.
    let file_metadata: FileMetadata = metadata
        .metadata()
        .iter()
        .flatten()
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect();
    // `read_metadata` checked that 8 + header + data is exactly the file; `get` keeps that an
    // error rather than a panic should it ever not hold.
    let data = bytes
        .get(8 + header_len..)
        .ok_or_else(|| IoError::malformed(path, "tensor data lies past the end of the file"))?;

    let mut entries: Vec<_> = metadata.tensors().into_iter().collect();
    entries.sort_by_key(|(_, info)| info.data_offsets);

    let mut tensors = Vec::with_capacity(entries.len());
    for (key, info) in entries {
        let dtype_name = format!("{:?}", info.dtype);
        let Some(width) = readable_width(info.dtype) else {
            return Err(IoError::UnsupportedDtype {
                path: path.to_path_buf(),
                key,
                dtype: dtype_name,
            });
        };
        let (start, end) = info.data_offsets;
        let stored = data.get(start..end).ok_or_else(|| {
            IoError::malformed(
                path,
                format!("offsets [{start}, {end}) of tensor `{key}` lie outside the data section"),
            )
        })?;
        let elements = checked_numel(&info.shape);
        let expected = elements.and_then(|n| n.checked_mul(width));
        if expected != Some(stored.len()) {
            return Err(IoError::SizeMismatch {
                path: path.to_path_buf(),
                key,
                dtype: dtype_name,
                shape: info.shape.clone(),
                expected: expected.unwrap_or(usize::MAX),
                actual: stored.len(),
            });
        }
        let values = decode_f32(info.dtype, stored);
        let tensor = Tensor::from_vec(values, &info.shape)
            .map_err(|error| IoError::malformed(path, format!("tensor `{key}`: {error}")))?;
        tensors.push((key, tensor));
    }
    Ok((tensors, file_metadata))
}

pub(crate) fn checked_numel(shape: &[usize]) -> Option<usize> {
    shape.iter().try_fold(1usize, |acc, &d| acc.checked_mul(d))
}

/// Turns the crate's error into ours, naming the file and, where the header allows, the tensor.
fn explain(error: SafeTensorError, bytes: &[u8], path: &Path) -> IoError {
    if let Some(precise) = diagnose_header(bytes, path) {
        return precise;
    }
    let reason = match error {
        SafeTensorError::HeaderTooSmall => format!(
            "the file has {} bytes, fewer than the 8-byte header length that starts every \
             safetensors file (truncated or empty?)",
            bytes.len()
        ),
        SafeTensorError::HeaderTooLarge => {
            "the header length is over 100 MB; this is not a safetensors file".to_string()
        }
        SafeTensorError::InvalidHeaderLength => format!(
            "the header length says {} bytes but only {} follow (truncated, or not a \
             safetensors file)",
            header_len_field(bytes),
            bytes.len().saturating_sub(8)
        ),
        SafeTensorError::InvalidHeader(_) => "the header is not UTF-8 text".to_string(),
        SafeTensorError::MetadataIncompleteBuffer => format!(
            "the header describes tensor data that does not end exactly at the end of the \
             file ({} bytes): truncated, or trailing garbage",
            bytes.len()
        ),
        other => other.to_string(),
    };
    IoError::malformed(path, reason)
}

fn header_len_field(bytes: &[u8]) -> u64 {
    bytes
        .get(..8)
        .and_then(|b| b.try_into().ok())
        .map_or(0, u64::from_le_bytes)
}
