//! Calling every callback's hook, with error isolation for secondary concerns: an I/O error
//! of a callback is reported once on stderr and counted, training goes on; any other error
//! stops the run.

use std::path::Path;

use serde_json::{Map, Value};

use super::callback::{Callback, CallbackError, TrainContext};
use super::error::TrainError;

/// The trainer's callbacks and how many I/O errors each has had.
pub(super) struct Callbacks {
    list: Vec<Box<dyn Callback>>,
    io_errors: Vec<u64>,
}

impl Callbacks {
    /// Checks that names are unique (they key the checkpoint state).
    pub(super) fn new(list: Vec<Box<dyn Callback>>) -> Result<Self, String> {
        for (i, callback) in list.iter().enumerate() {
            if list[..i]
                .iter()
                .any(|other| other.name() == callback.name())
            {
                return Err(format!(
                    "two callbacks are named `{}`; names key their checkpoint state, so give one another name",
                    callback.name()
                ));
            }
        }
        let io_errors = vec![0; list.len()];
        Ok(Callbacks { list, io_errors })
    }

    /// Runs `hook` on every callback in order. The first non-secondary error stops the loop
    /// and is returned.
    pub(super) fn run(
        &mut self,
        ctx: &mut TrainContext<'_>,
        mut hook: impl FnMut(&mut dyn Callback, &mut TrainContext<'_>) -> Result<(), CallbackError>,
    ) -> Result<(), TrainError> {
        for (callback, errors) in self.list.iter_mut().zip(&mut self.io_errors) {
            match hook(callback.as_mut(), ctx) {
                Ok(()) => {}
                Err(error) if error.is_secondary() => {
                    if *errors == 0 {
                        eprintln!(
                            "warning: {error}; training goes on (later errors of this callback are not shown)"
                        );
                    }
                    *errors += 1;
                }
                Err(error) => return Err(error.into()),
            }
        }
        Ok(())
    }

    /// Tells every callback the run failed.
    pub(super) fn exception(&mut self, ctx: &mut TrainContext<'_>, error: &TrainError) {
        for callback in &mut self.list {
            callback.on_exception(ctx, error);
        }
    }

    /// I/O errors each callback has had, by name.
    pub(super) fn io_error_counts(&self) -> Vec<(String, u64)> {
        self.list
            .iter()
            .zip(&self.io_errors)
            .map(|(c, &n)| (c.name().to_string(), n))
            .collect()
    }

    /// Every callback's checkpoint state, by name.
    pub(super) fn save_states(&self, dir: &Path) -> Result<Value, TrainError> {
        let mut states = Map::new();
        for callback in &self.list {
            if let Some(state) = callback.save_state(dir)? {
                states.insert(callback.name().to_string(), state);
            }
        }
        Ok(Value::Object(states))
    }

    /// Restores the states [`Callbacks::save_states`] wrote; a callback without a saved state
    /// keeps its own.
    pub(super) fn load_states(&mut self, states: &Value, dir: &Path) -> Result<(), TrainError> {
        for callback in &mut self.list {
            if let Some(state) = states.get(callback.name()) {
                match callback.load_state(state, dir) {
                    Ok(()) => {}
                    // A log that cannot be cut back is reported; the run itself resumes.
                    Err(error) if error.is_secondary() => eprintln!("warning: {error}"),
                    Err(error) => return Err(error.into()),
                }
            }
        }
        Ok(())
    }
}
