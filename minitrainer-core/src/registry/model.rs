//! `Model`: a built model as a trait object, whatever its concrete type.
//!
//! `minitrainer::load` returns `Box<dyn Model>`. Through its supertraits it is a full module
//! (`forward`/`call` on tensors, `named_parameters`, `state_dict`/`load_state_dict`,
//! `train`/`eval`, the tree print `repr`); this trait adds what the registry knows: the model
//! type, the config, saving, and downcasting to the concrete type.

use std::any::Any;
use std::path::Path;

use serde_json::Value;

use super::build::Registered;
use super::configured::Configured;
use crate::Error;
use crate::config::Config;
use crate::module::Layer;

/// A model built by the registry: a [`Layer`] with its config and registered name.
pub trait Model: Layer {
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
        let mut object = serde_json::Map::new();
        object.insert("model_type".into(), Value::String(self.model_type().into()));
        if let Value::Object(fields) = self.config_value() {
            object.extend(fields);
        }
        Value::Object(object)
    }

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

impl crate::module::Forward for Box<dyn Model> {
    type Output = crate::Tensor;

    fn forward(&self, input: crate::Tensor) -> crate::Tensor {
        (**self).forward(input)
    }
}

impl dyn Model {
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
