//! Names the culprit when the `safetensors` crate refuses a file.
//!
//! The crate's errors say *that* a header is inconsistent ("invalid shape, data type, or offset
//! for tensor") but not *which* tensor; this re-reads the header as plain JSON and checks each
//! entry in offset order, so the user learns the key and the numbers that disagree. It runs only
//! on the error path, so valid files pay nothing for it.

use std::path::Path;

use safetensors::Dtype;
use serde_json::Value;

use super::error::IoError;
use super::read::checked_numel;

/// The most precise explanation of what is wrong with the header, or `None` when the header
/// itself looks consistent (the caller then falls back to the crate's message).
pub(crate) fn diagnose_header(bytes: &[u8], path: &Path) -> Option<IoError> {
    let len = u64::from_le_bytes(bytes.get(..8)?.try_into().ok()?);
    let header_end = usize::try_from(len).ok()?.checked_add(8)?;
    let text = std::str::from_utf8(bytes.get(8..header_end)?).ok()?;
    let header: serde_json::Map<String, Value> = match serde_json::from_str(text) {
        Ok(header) => header,
        Err(error) => {
            return Some(IoError::malformed(
                path,
                format!("the header is not a JSON object: {error}"),
            ));
        }
    };
    let data_len = bytes.len() - header_end;

    let mut entries = Vec::new();
    for (key, entry) in &header {
        if key == "__metadata__" {
            continue;
        }
        match Entry::parse(key, entry) {
            Ok(entry) => entries.push(entry),
            Err(reason) => return Some(IoError::malformed(path, reason)),
        }
    }
    entries.sort_by_key(|entry| entry.offsets);

    let mut expected_start = 0;
    for entry in &entries {
        let (start, end) = entry.offsets;
        if start != expected_start || end < start {
            return Some(IoError::malformed(
                path,
                format!(
                    "the header lies about offsets: tensor `{}` claims bytes [{start}, {end}) \
                     but the previous tensor ends at byte {expected_start}",
                    entry.key
                ),
            ));
        }
        expected_start = end;
        let bits = checked_numel(&entry.shape).and_then(|n| n.checked_mul(entry.dtype.bitsize()));
        let expected = bits.map(|b| b.div_ceil(8));
        if expected != Some(end - start) {
            return Some(IoError::SizeMismatch {
                path: path.to_path_buf(),
                key: entry.key.clone(),
                dtype: format!("{:?}", entry.dtype),
                shape: entry.shape.clone(),
                expected: expected.unwrap_or(usize::MAX),
                actual: end - start,
            });
        }
    }
    if expected_start != data_len {
        return Some(IoError::malformed(
            path,
            format!(
                "the header describes {expected_start} bytes of tensor data but the file holds \
                 {data_len} after the header (truncated, or trailing bytes)"
            ),
        ));
    }
    None
}

struct Entry {
    key: String,
    dtype: Dtype,
    shape: Vec<usize>,
    offsets: (usize, usize),
}

impl Entry {
    fn parse(key: &str, entry: &Value) -> Result<Entry, String> {
        let field = |name: &str| {
            entry
                .get(name)
                .ok_or_else(|| format!("tensor `{key}` has no `{name}` in the header"))
        };
        let dtype_value = field("dtype")?;
        let dtype: Dtype = serde_json::from_value(dtype_value.clone())
            .map_err(|_| format!("tensor `{key}` has an unknown dtype {dtype_value}"))?;
        let shape: Vec<usize> = serde_json::from_value(field("shape")?.clone()).map_err(|_| {
            format!("tensor `{key}` has a shape that is not a list of non-negative integers")
        })?;
        let offsets: (usize, usize) = serde_json::from_value(field("data_offsets")?.clone())
            .map_err(|_| format!("tensor `{key}` has `data_offsets` that are not [begin, end]"))?;
        Ok(Entry {
            key: key.to_string(),
            dtype,
            shape,
            offsets,
        })
    }
}
