//! The built-in layers in the registry: one list, here, so that `nn` stays below the registry
//! (a layer file knows nothing of names) and every built-in is found in one place.
//!
//! Each is registered under PyTorch's class name in snake case, so
//! `minitrainer::load("linear(in_features=4, out_features=2)")` builds a bare layer. This is
//! what `#[model(name = …, config = …)]` generates for a user's type, minus the attribute:
//! the `Registered` impl, its link-time submission, and the config ↔ model-type pair that lets
//! `LinearConfig::from_json` read a saved `config.json`.

use crate::build::Build;
use crate::config::{ModelTypeOf, type_id_of};
use crate::module::Layer;
use crate::nn::{
    BatchNorm1d, Dropout, Embedding, GELU, LayerNorm, Linear, ReLU, SiLU, Sigmoid, Softmax, Tanh,
};

use super::entry::ModelEntry;
use super::registered::{Registered, build_boxed, schema_of};

macro_rules! register_builtin {
    ($($name:literal => $ty:ident),* $(,)?) => {$(
        impl Registered for $ty {
            const ENTRY: ModelEntry = ModelEntry {
                name: $name,
                type_name: concat!("minitrainer::nn::", stringify!($ty)),
                build: build_boxed::<$ty>,
                schema: schema_of::<$ty>,
            };

            fn __as_layer(&self) -> Option<&dyn Layer> {
                Some(self)
            }
        }

        inventory::submit! { <$ty as Registered>::ENTRY }

        inventory::submit! {
            ModelTypeOf { model_type: $name, config: type_id_of::<<$ty as Build>::Config> }
        }
    )*};
}

register_builtin! {
    "linear" => Linear,
    "embedding" => Embedding,
    "layer_norm" => LayerNorm,
    "batch_norm1d" => BatchNorm1d,
    "dropout" => Dropout,
    "relu" => ReLU,
    "gelu" => GELU,
    "sigmoid" => Sigmoid,
    "tanh" => Tanh,
    "silu" => SiLU,
    "softmax" => Softmax,
}
