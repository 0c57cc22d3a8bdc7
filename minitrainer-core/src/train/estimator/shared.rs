//! The methods both estimators have, written once: parameters, options, history, saving and
//! loading, and the [`Predictor`](crate::train::Predictor) impl.

/// Implements the shared methods on `$ty`, a newtype over `Estimator` of kind `$kind`.
macro_rules! shared_methods {
    ($ty:ident, $kind:expr) => {
        impl $ty {
            /// The parameters: `{"model": <the model's config.json, model_type and every
            /// field>, "options": <the EstimatorOptions>}`.
            pub fn get_params(&self) -> serde_json::Value {
                self.0.get_params()
            }

            /// Updates some parameters, given as JSON text in the shape of
            /// [`get_params`](Self::get_params): `{"options": {"epochs": 20}}`,
            /// `{"model": {"out_features": 3}}` (a partial `model` is merged into the current
            /// config; one naming another `model_type` replaces it). Validated as a whole
            /// before anything changes: the model config and the options as configs, the
            /// optimizer and loss by building them.
            ///
            /// A change to the model's config discards the fitted weights (the estimator is
            /// unfitted until the next `fit`); a change of options alone keeps them.
            ///
            /// # Errors
            /// Malformed JSON; [`EstimatorError::UnknownParam`] for a key other than `model`
            /// and `options` (with a suggestion); [`EstimatorError::Params`] wrapping the
            /// config error that names the field (unknown keys with a suggestion, values
            /// breaking a rule), the registry's or the optimizer's or loss's error.
            pub fn set_params(&mut self, params: &str) -> Result<&mut Self, crate::Error> {
                self.0.set_params(params)?;
                Ok(self)
            }

            /// The training options.
            pub fn options(&self) -> &EstimatorOptions {
                &self.0.options
            }

            /// Whether `fit` has succeeded (or the estimator was loaded) since the model was
            /// last built.
            pub fn is_fitted(&self) -> bool {
                self.0.is_fitted()
            }

            /// The last `fit`'s per-epoch training losses.
            pub fn history(&self) -> Option<&crate::train::History> {
                self.0.history.as_ref()
            }

            /// The fitted model.
            ///
            /// # Errors
            /// [`TrainError::NotFitted`](crate::train::TrainError::NotFitted) before `fit`.
            pub fn model(&self) -> Result<&dyn crate::registry::Model, crate::Error> {
                self.0.fitted_ref("model")
            }

            /// Writes the fitted estimator to `dir` (created if needed): the model as a
            /// pretrained directory (`config.json` + `model.safetensors`, loadable alone by
            /// `from_pretrained`) and `estimator.json` (the kind and the options).
            ///
            /// # Errors
            /// [`TrainError::NotFitted`](crate::train::TrainError::NotFitted) before `fit`;
            /// file errors naming the file.
            pub fn save(&mut self, dir: impl AsRef<std::path::Path>) -> Result<(), crate::Error> {
                self.0.save(dir.as_ref())
            }

            /// Loads a fitted estimator written by [`save`](Self::save).
            ///
            /// # Errors
            /// File errors naming the file, [`EstimatorError::WrongKind`] for a directory
            /// saved by the other estimator, [`EstimatorError::BadFile`], the options' config
            /// errors, and `from_pretrained`'s errors.
            pub fn load(dir: impl AsRef<std::path::Path>) -> Result<Self, crate::Error> {
                Ok($ty(Estimator::load($kind, dir.as_ref())?))
            }
        }

        impl crate::train::Predictor for $ty {
            /// The fitted model's raw output for one batch (logits for a classifier).
            fn predict_batch(
                &mut self,
                inputs: crate::Tensor,
            ) -> Result<crate::Tensor, crate::Error> {
                let model = self.0.fitted_model("predict_batch")?;
                model.predict_batch(inputs)
            }
        }

        impl std::fmt::Debug for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($ty))
                    .field("params", &self.0.get_params())
                    .field("fitted", &self.0.is_fitted())
                    .finish()
            }
        }
    };
}

pub(super) use shared_methods;
