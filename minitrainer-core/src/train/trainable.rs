//! `Trainable`: what the trainer can train — a registered model (so checkpoints are pretrained
//! directories that `from_pretrained` loads) whose forward maps a batch tensor to predictions.

use std::path::Path;

use crate::Error;
use crate::Tensor;
use crate::module::{Forward, Module};
use crate::registry::{Configured, Model, Registered};

/// A model the [`Trainer`](super::Trainer) can train and checkpoint: the typed
/// `Configured<T>` that `T::from_config_str` and `T::from_pretrained` return, or the
/// `Box<dyn Model>` of `minitrainer::load`.
pub trait Trainable: Module + Send {
    /// The predictions for a batch of inputs (the model's `call`, with its hooks).
    ///
    /// # Errors
    /// When the model's forward does not map a tensor to a tensor (a `Box<dyn Model>` of a
    /// two-input model).
    fn forward_batch(&self, inputs: Tensor) -> Result<Tensor, Error>;

    /// Writes the model as a pretrained directory (`config.json` + `model.safetensors`).
    ///
    /// # Errors
    /// As `save_pretrained`.
    fn save_model(&self, dir: &Path) -> Result<(), Error>;
}

impl<T> Trainable for Configured<T>
where
    T: Registered + Forward<Tensor, Output = Tensor>,
{
    fn forward_batch(&self, inputs: Tensor) -> Result<Tensor, Error> {
        Ok(self.model().call(inputs))
    }

    fn save_model(&self, dir: &Path) -> Result<(), Error> {
        self.save_pretrained(dir)
    }
}

impl Trainable for Box<dyn Model> {
    fn forward_batch(&self, inputs: Tensor) -> Result<Tensor, Error> {
        Ok(self.try_forward(inputs)?)
    }

    fn save_model(&self, dir: &Path) -> Result<(), Error> {
        self.save_pretrained(dir)
    }
}
