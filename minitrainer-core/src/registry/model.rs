//! `Model`: a built model as a trait object, whatever its concrete type.
//!
//! `minitrainer::load` returns `Box<dyn Model>`. Through its supertrait it is a full module
//! (`named_parameters`, `state_dict`/`load_state_dict`, `train`/`eval`, the tree print `repr`);
//! this trait adds what the registry knows: the model type, the config, saving, and
//! downcasting to the concrete type. A model whose forward maps a tensor to a tensor is
//! callable straight from the box (`model.forward(x)`); any other (two inputs, two outputs)
//! is called after [`downcast_ref`](trait.Model.html#method.downcast_ref).

use std::any::Any;
use std::path::Path;

use serde_json::Value;

use super::configured::Configured;
use super::error::RegistryError;
use super::registered::Registered;
use crate::config::Config;
use crate::module::{Forward, Layer, Module};
use crate::pretrained::{CanonicalConfig, canonical_config};
use crate::{Error, Tensor};

/// A model built by the registry: a thread-safe [`Module`] with its config and registered name.
pub trait Model: Module + Send + Sync {
    /// The registered name of its type (`"mlp"`).
    fn model_type(&self) -> &'static str;

    /// The Rust type of the model, with its module path (`my_models::Mlp`).
    fn type_path(&self) -> &'static str;

    /// The config it was built from.
    fn config(&self) -> &dyn Config;

    /// The config as a JSON object, every field included (defaults too), without
    /// `model_type`.
    fn config_value(&self) -> Value {
        self.config().to_value()
    }

    /// The content of `config.json`: `{"model_type": ..., <config fields>}`.
    fn config_json(&self) -> Value {
        crate::pretrained::config_json(self.model_type(), self.config())
    }

    /// Not public API: decodes config fields through this model's config type, for
    /// comparing two configs of it (`from_pretrained`'s check of the weights' saved config).
    #[doc(hidden)]
    fn __canonical_config(&self) -> CanonicalConfig;

    /// The model as a [`Layer`] (a `Tensor → Tensor` module), when its forward is one.
    fn as_layer(&self) -> Option<&dyn Layer>;

    /// The concrete model (not its wrapper), for [`downcast_ref`](trait.Model.html#method.downcast_ref).
    fn model_any(&self) -> &dyn Any;

    /// The concrete model, mutably.
    fn model_any_mut(&mut self) -> &mut dyn Any;

    /// The boxed wrapper (`Configured<T>`) as `Any`, for [`into_typed`](trait.Model.html#method.into_typed).
    fn into_any(self: Box<Self>) -> Box<dyn Any>;

    /// Writes `config.json` and `model.safetensors` to `dir`; see
    /// [`save_pretrained`](super::save_pretrained).
    ///
    /// # Errors
    /// As [`save_pretrained`](super::save_pretrained).
    fn save_pretrained(&self, dir: &Path) -> Result<(), Error>;
}

// A loaded model is itself a module, so it can be wrapped (`Hooked::new(load(..)?)`) or sit in
// a field like any other.
crate::module::transparent_module!(impl[] Box<dyn Model> => |this| (**this));

impl Forward for dyn Model {
    type Output = Tensor;

    /// Runs the model's own `forward` when it maps a tensor to a tensor.
    ///
    /// # Panics
    /// When the model's forward takes or returns something else (say `(ids, mask)`), naming
    /// the model type: use `try_forward`, or downcast to the type.
    fn forward(&self, input: Tensor) -> Tensor {
        match self.try_forward(input) {
            Ok(output) => output,
            Err(error) => panic!("{error}"),
        }
    }
}

impl Forward for Box<dyn Model> {
    type Output = Tensor;

    /// As `dyn Model`'s `forward`.
    ///
    /// # Panics
    /// When the model's forward does not map a tensor to a tensor.
    fn forward(&self, input: Tensor) -> Tensor {
        (**self).forward(input)
    }
}

impl dyn Model {
    /// Runs the model's `forward` on a tensor, when its forward maps a tensor to a tensor.
    ///
    /// # Errors
    /// [`RegistryError::NotATensorModel`] when it takes or returns something else.
    pub fn try_forward(&self, input: Tensor) -> Result<Tensor, RegistryError> {
        match self.as_layer() {
            Some(layer) => Ok(layer.forward(input)),
            None => Err(RegistryError::NotATensorModel {
                model_type: self.model_type(),
                type_path: self.type_path(),
            }),
        }
    }

    /// The concrete model, if it is a `T`.
    pub fn downcast_ref<T: Registered>(&self) -> Option<&T> {
        self.model_any().downcast_ref::<T>()
    }

    /// The concrete model, mutably, if it is a `T`.
    pub fn downcast_mut<T: Registered>(&mut self) -> Option<&mut T> {
        self.model_any_mut().downcast_mut::<T>()
    }

    /// The model with its typed config, if it is a `T`; otherwise the box back.
    ///
    /// # Errors
    /// The unchanged `Box<dyn Model>` when the model is not a `T`.
    pub fn into_typed<T: Registered>(self: Box<Self>) -> Result<Configured<T>, Box<dyn Model>> {
        if self.as_any().is::<Configured<T>>() {
            match self.into_any().downcast::<Configured<T>>() {
                Ok(typed) => Ok(*typed),
                // `is` just said the box holds exactly this type.
                Err(_) => unreachable!("minitrainer internal error: Any::is and downcast disagree"),
            }
        } else {
            Err(self)
        }
    }
}

impl std::fmt::Debug for dyn Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.repr())
    }
}

impl<T: Registered> Model for Configured<T> {
    fn model_type(&self) -> &'static str {
        T::ENTRY.name
    }
    fn type_path(&self) -> &'static str {
        T::ENTRY.type_name
    }
    fn config(&self) -> &dyn Config {
        Configured::config(self)
    }
    fn __canonical_config(&self) -> CanonicalConfig {
        canonical_config::<T::Config>
    }
    fn as_layer(&self) -> Option<&dyn Layer> {
        self.model().__as_layer()
    }
    fn model_any(&self) -> &dyn Any {
        self.model()
    }
    fn model_any_mut(&mut self) -> &mut dyn Any {
        self.model_mut()
    }
    fn into_any(self: Box<Self>) -> Box<dyn Any> {
        self
    }
    fn save_pretrained(&self, dir: &Path) -> Result<(), Error> {
        Configured::save_pretrained(self, dir)
    }
}
