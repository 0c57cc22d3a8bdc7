//! Built-in layers, one per file, with PyTorch's names, weight layouts and default
//! initialisation, so PyTorch state dicts load without renaming.
//!
//! Constructors take explicit sizes and a `&mut impl rand::Rng` for initialisation
//! ([`seeded_rng`](crate::tensor::seeded_rng) for reproducible runs). Each layer also has a
//! config and is registered with `#[model]` under PyTorch's class name in snake case
//! (`linear`, `embedding`, `layer_norm`, `batch_norm1d`, `dropout`, `relu`, `gelu`, `sigmoid`,
//! `tanh`, `silu`, `softmax`), so `minitrainer::load("linear(in_features=4, out_features=2)")`
//! builds a bare layer. `Sequential` is not registered: no config describes arbitrary boxed
//! layers.

mod activation;
mod batch_norm;
mod dropout;
mod embedding;
mod init;
mod layer_norm;
mod linear;
mod sequential;

#[cfg(test)]
pub(crate) mod gradcheck;

pub use activation::{
    GELU, GeluApproximate, GeluConfig, NoConfig, ReLU, SiLU, Sigmoid, Softmax, SoftmaxConfig, Tanh,
};
pub use batch_norm::{BatchNorm1d, BatchNorm1dConfig};
pub use dropout::{Dropout, DropoutConfig};
pub use embedding::{Embedding, EmbeddingConfig};
pub use layer_norm::{LayerNorm, LayerNormConfig};
pub use linear::{Linear, LinearConfig};
pub use sequential::Sequential;

/// Implements `Module`'s traversal for a hand-written layer: its parameters/buffers in order,
/// its type name, and a `training` field as its own train/eval flag.
macro_rules! leaf_module {
    ($ty:ident { params: [$($param:ident),*], buffers: [$($buffer:ident),*] }) => {
        #[diagnostic::do_not_recommend]
        impl $crate::module::Module for $ty {
            fn visit<'a>(&'a self, visitor: &mut dyn $crate::module::Visitor<'a>) {
                $($crate::module::ModuleField::visit_field(&self.$param, $crate::module::FieldName::new(stringify!($param)), visitor);)*
                $($crate::module::ModuleField::visit_field(&self.$buffer, $crate::module::FieldName::new(stringify!($buffer)), visitor);)*
                let _ = visitor;
            }
            fn visit_mut(&mut self, visitor: &mut dyn $crate::module::VisitorMut) {
                $($crate::module::ModuleField::visit_field_mut(&mut self.$param, $crate::module::FieldName::new(stringify!($param)), visitor);)*
                $($crate::module::ModuleField::visit_field_mut(&mut self.$buffer, $crate::module::FieldName::new(stringify!($buffer)), visitor);)*
                let _ = visitor;
            }
            fn type_name(&self) -> &'static str {
                stringify!($ty)
            }
            fn extra_repr(&self) -> String {
                self.describe()
            }
            fn local_training(&self) -> Option<bool> {
                Some(self.training)
            }
            fn set_local_training(&mut self, training: bool) {
                self.training = training;
            }
        }

        $crate::__module_field!($ty);
    };
}

pub(crate) use leaf_module;
