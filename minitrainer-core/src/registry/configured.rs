//! `Configured<T>`: a model together with the config it was built from.
//!
//! The registry hands out models with their configs attached, so that `save_pretrained` can
//! write `config.json` and `Box<dyn Model>` can answer `config_value()`, without asking users
//! to store the config in their struct. Alternative rejected: a `fn config(&self)` on `Build`
//! (every model would have to keep or rebuild its config; easy to get subtly wrong).

use std::ops::{Deref, DerefMut};
use std::path::Path;

use super::registered::Registered;
use crate::Error;
use crate::build::Init;
use crate::config::Config;
use crate::module::{
    FieldName, Forward, ModuleField, Visitor, VisitorMut, visit_child, visit_child_mut,
};

/// A model and its validated config. Dereferences to the model, so `configured.head` and
/// `configured.forward(x)` work as on the model itself.
pub struct Configured<T: Registered> {
    config: T::Config,
    model: T,
}

impl<T: Registered> Configured<T> {
    /// Validates `config` (again: public fields may have changed since it was built) and builds
    /// the model from it.
    ///
    /// # Errors
    /// [`Error::Config`] listing every violated rule, and [`Error::Tensor`] naming a weight that
    /// does not fit in memory (see [`Build::try_build`](crate::build::Build::try_build)).
    pub fn new(config: T::Config, init: &mut Init) -> Result<Self, Error> {
        config.validate()?;
        let model = init.fallibly(|init| T::build(&config, init))?;
        Ok(Configured { config, model })
    }

    /// The config the model was built from.
    pub fn config(&self) -> &T::Config {
        &self.config
    }

    /// The model.
    pub fn model(&self) -> &T {
        &self.model
    }

    /// The model, mutably.
    pub fn model_mut(&mut self) -> &mut T {
        &mut self.model
    }

    /// Splits into config and model.
    pub fn into_parts(self) -> (T::Config, T) {
        (self.config, self.model)
    }

    /// Writes `config.json` and `model.safetensors` to `dir` (see
    /// [`save_pretrained`](super::save_pretrained)).
    ///
    /// # Errors
    /// As [`save_pretrained`](super::save_pretrained).
    pub fn save_pretrained(&self, dir: impl AsRef<Path>) -> Result<(), Error> {
        crate::pretrained::save(dir.as_ref(), T::ENTRY.name, &self.config, &self.model)
    }
}

impl<T: Registered> Deref for Configured<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.model
    }
}

impl<T: Registered> DerefMut for Configured<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.model
    }
}

impl<T: Registered> std::fmt::Debug for Configured<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.model.repr())
    }
}

// The wrapper is transparent: same parameters, same names, same tree print as the model.
crate::module::transparent_module!(impl[T: Registered] Configured<T> => |this| this.model);

// As a field of another module, it is a child module like any other.
#[diagnostic::do_not_recommend]
impl<T: Registered> ModuleField for Configured<T> {
    fn holds_state() -> bool {
        true
    }
    fn visit_field<'a>(&'a self, name: FieldName<'_>, visitor: &mut dyn Visitor<'a>) {
        visit_child(self, name, visitor);
    }
    fn visit_field_mut(&mut self, name: FieldName<'_>, visitor: &mut dyn VisitorMut) {
        visit_child_mut(self, name, visitor);
    }
}

// Whatever the model's forward takes and returns, the wrapper does too.
impl<I, T: Registered + Forward<I>> Forward<I> for Configured<T> {
    type Output = T::Output;
    fn forward(&self, input: I) -> T::Output {
        self.model.forward(input)
    }
}
