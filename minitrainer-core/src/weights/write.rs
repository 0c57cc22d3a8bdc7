//! Writing named `f32` tensors as a PyTorch-compatible safetensors file.
//!
//! What "PyTorch-compatible" means here, as `safetensors.torch.save_file` writes it: names as
//! given, shapes as given, dtype `F32`, little-endian data, and `{"format": "pt"}` as the
//! `__metadata__`, which `safetensors.torch.load_file` and `transformers` expect.

use std::borrow::Cow;
use std::collections::HashSet;
use std::path::Path;

use safetensors::{Dtype, View};

use super::atomic::write_atomic;
use super::error::IoError;
use crate::Tensor;

/// Serialises `tensors` (name → tensor) into the bytes of a safetensors file.
///
/// # Errors
/// [`IoError::DuplicateKey`] when two tensors share a name (the path in the error is empty:
/// nothing was being written yet).
pub fn serialize_safetensors(tensors: &[(String, Tensor)]) -> Result<Vec<u8>, IoError> {
    serialize_for(tensors, Path::new(""), &[])
}

/// Writes `tensors` to `path` as a safetensors file, atomically: the bytes go to a temporary
/// file in the same directory, which is flushed to disk and then renamed over `path`. A crash
/// or error at any point leaves a previous file at `path` intact.
///
/// # Errors
/// [`IoError::DuplicateKey`] for a repeated name, [`IoError::File`] when the file cannot be
/// created, written, synced or renamed.
pub fn write_safetensors(
    path: impl AsRef<Path>,
    tensors: &[(String, Tensor)],
) -> Result<(), IoError> {
    let path = path.as_ref();
    let bytes = serialize_for(tensors, path, &[])?;
    write_atomic(path, &bytes)
}

/// The bytes of a safetensors file of `tensors`, with `extra` entries in its `__metadata__`
/// next to `{"format": "pt"}`; `path` only names the file in errors.
pub(crate) fn serialize_for(
    tensors: &[(String, Tensor)],
    path: &Path,
    extra: &[(&str, String)],
) -> Result<Vec<u8>, IoError> {
    let mut seen = HashSet::new();
    for (key, _) in tensors {
        if !seen.insert(key.as_str()) {
            return Err(IoError::DuplicateKey {
                path: path.to_path_buf(),
                key: key.clone(),
            });
        }
    }
    let views = tensors
        .iter()
        .map(|(key, tensor)| (key.as_str(), F32View::of(tensor)));
    // `collect` picks whichever map type the crate's signature asks for (it is hashbrown's
    // without the crate's `std` feature, std's with it).
    let metadata = Some(
        [("format".to_string(), "pt".to_string())]
            .into_iter()
            .chain(extra.iter().map(|(k, v)| (k.to_string(), v.clone())))
            .collect(),
    );
    safetensors::serialize(views, metadata)
        .map(sorted_metadata)
        .map_err(|error| IoError::malformed(path, format!("cannot serialise: {error}")))
}

/// The file with its `__metadata__` entries in key order. The safetensors crate keeps them in
/// a hash map whose order changes from process to process, so without this the same model
/// saved twice (a resumed run and an uninterrupted one) gives different bytes. Reordering keeps
/// the header's length, so the offsets and padding stay valid; anything unexpected leaves the
/// bytes as they are.
fn sorted_metadata(mut bytes: Vec<u8>) -> Vec<u8> {
    let Some(len) = bytes.get(..8).and_then(|b| <[u8; 8]>::try_from(b).ok()) else {
        return bytes;
    };
    let end = usize::try_from(u64::from_le_bytes(len)).map_or(0, |n| n.saturating_add(8));
    let Some(header) = bytes.get(8..end) else {
        return bytes;
    };
    let text = String::from_utf8_lossy(header);
    let trimmed = text.trim_end_matches(' ');
    let Ok(serde_json::Value::Object(mut object)) = serde_json::from_str(trimmed) else {
        return bytes;
    };
    if let Some(serde_json::Value::Object(metadata)) = object.get_mut("__metadata__") {
        metadata.sort_keys();
    }
    match serde_json::to_string(&object) {
        Ok(sorted) if sorted.len() == trimmed.len() => {
            bytes[8..8 + sorted.len()].copy_from_slice(sorted.as_bytes());
            bytes
        }
        _ => bytes,
    }
}

/// A tensor's value as little-endian f32 bytes, the form safetensors stores.
struct F32View {
    shape: Vec<usize>,
    bytes: Vec<u8>,
}

impl F32View {
    fn of(tensor: &Tensor) -> Self {
        let data = tensor.data();
        // `iter` walks in logical (row-major) order whatever the memory layout.
        let bytes = data.iter().flat_map(|v| v.to_le_bytes()).collect();
        F32View {
            shape: tensor.shape().to_vec(),
            bytes,
        }
    }
}

impl View for F32View {
    fn dtype(&self) -> Dtype {
        Dtype::F32
    }
    fn shape(&self) -> &[usize] {
        &self.shape
    }
    fn data(&self) -> Cow<'_, [u8]> {
        Cow::Borrowed(&self.bytes)
    }
    fn data_len(&self) -> usize {
        self.bytes.len()
    }
}

#[cfg(test)]
mod sorted_metadata_tests {
    use super::serialize_for;
    use crate::Tensor;

    #[test]
    fn metadata_entries_are_written_in_key_order() {
        let tensors = [(
            "w".to_string(),
            Tensor::from_vec(vec![1.0, 2.0], &[2]).unwrap(),
        )];
        let extra = [("zeta", "1".to_string()), ("alpha", "2".to_string())];
        let bytes = serialize_for(&tensors, std::path::Path::new("x"), &extra).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let (alpha, format, zeta) = (
            text.find("\"alpha\"").unwrap(),
            text.find("\"format\"").unwrap(),
            text.find("\"zeta\"").unwrap(),
        );
        assert!(alpha < format && format < zeta, "{text}");
        // Still a valid file.
        let parsed = crate::weights::parse_safetensors(&bytes, std::path::Path::new("x")).unwrap();
        assert_eq!(parsed[0].1.to_vec(), vec![1.0, 2.0]);
    }
}
