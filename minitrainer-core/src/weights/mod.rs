//! Weight files: safetensors read and write, and atomic file replacement.
//!
//! - [`load_weights`] / [`save_weights`]: a module from / to one safetensors file, in one call
//!   (PyTorch's `model.load_state_dict(load_file(path))` and `save_file(model.state_dict(), path)`);
//! - [`read_safetensors`] / [`parse_safetensors`]: a safetensors file → named `f32` tensors,
//!   converting F64/F16/BF16, the integer dtypes (I8–I64, U8–U64: exact up to 2^24 in
//!   magnitude, rounded to the nearest f32 beyond) and BOOL (0/1), refusing complex and 8-bit
//!   or smaller floats; every bad file is an [`IoError`] naming the file and what is wrong,
//!   never a panic.
//! - [`write_safetensors`] / [`serialize_safetensors`]: named tensors → a file PyTorch's
//!   `safetensors.torch.load_file` reads (F32, little-endian, `{"format": "pt"}`), written
//!   atomically.

pub(crate) mod atomic;
mod diagnose;
mod dtype;
mod error;
mod module_file;
mod read;
mod write;

pub use error::IoError;
pub use module_file::{load_weights, save_weights};
pub(crate) use read::{FileMetadata, read_with_metadata};
pub use read::{MAX_HEADER_BYTES, parse_safetensors, read_safetensors};
pub(crate) use write::serialize_for;
pub use write::{serialize_safetensors, write_safetensors};

#[cfg(test)]
mod read_tests;
