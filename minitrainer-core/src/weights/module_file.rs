//! One call between a module and a safetensors file.

use std::path::Path;

use super::{IoError, read_safetensors, write_safetensors};
use crate::module::{Module, StateDict};

/// Loads the safetensors file at `path` into `module`, strictly: every parameter and
/// persistent buffer must be in the file with its shape, and the file must hold nothing else
/// (PyTorch's `model.load_state_dict(safetensors.torch.load_file(path))`). On any error the
/// module is unchanged.
///
/// ```no_run
/// # use minitrainer_core as minitrainer;
/// use minitrainer::build::{Build, Init};
/// use minitrainer::nn::{Linear, LinearConfig};
/// let mut layer = Linear::build(&LinearConfig::new(4, 2), &mut Init::seeded(0));
/// minitrainer::weights::load_weights(&mut layer, "linear.safetensors")?;
/// # Ok::<(), minitrainer::Error>(())
/// ```
///
/// # Errors
/// [`IoError`] for an unreadable or malformed file, and [`IoError::DoesNotFit`] naming the
/// file and listing missing, unexpected and mis-shaped keys.
pub fn load_weights<M: Module + ?Sized>(
    module: &mut M,
    path: impl AsRef<Path>,
) -> Result<(), IoError> {
    let path = path.as_ref();
    let state_dict: StateDict = read_safetensors(path)?.into_iter().collect();
    match module.load_state_dict(&state_dict, true) {
        Ok(_) => Ok(()),
        Err(source) => Err(IoError::DoesNotFit {
            path: path.to_path_buf(),
            source: Box::new(source),
        }),
    }
}

/// Writes `module`'s state dict to the safetensors file at `path` (atomically), readable by
/// `safetensors.torch.load_file`.
///
/// # Errors
/// [`IoError`] naming the file.
pub fn save_weights<M: Module + ?Sized>(module: &M, path: impl AsRef<Path>) -> Result<(), IoError> {
    let tensors: Vec<(String, crate::Tensor)> = module.state_dict().into_iter().collect();
    write_safetensors(path.as_ref(), &tensors)
}
