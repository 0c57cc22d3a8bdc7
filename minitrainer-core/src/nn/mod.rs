//! Built-in layers, one per file, with PyTorch's names, weight layouts and default
//! initialisation, so PyTorch state dicts load without renaming.
//!
//! Every layer is built one way: from its config with [`Build::build`](crate::build::Build)
//! and an [`Init`](crate::build::Init), the seeded source of every random initial value
//! (`Linear::build(&LinearConfig::new(4, 2), &mut init)`); [`Build::try_build`] validates the
//! config first. The configs have short constructors for their required fields
//! (`LinearConfig::new(in, out)`) and public fields for the rest
//! (`LinearConfig { bias: false, ..LinearConfig::new(in, out) }`).
//!
//! This layer sits below the registry: the registry registers each layer under PyTorch's class
//! name in snake case (`linear`, `embedding`, `layer_norm`, `batch_norm1d`, `dropout`, `relu`,
//! `gelu`, `sigmoid`, `tanh`, `silu`, `softmax`; the list is `registry/builtin.rs`), so
//! `minitrainer::load("linear(in_features=4, out_features=2)")` builds a bare layer.
//! `Sequential` is not registered: no config describes arbitrary boxed layers.
//!
//! [`Build::try_build`]: crate::build::Build::try_build

mod activation;
mod batch_norm;
mod dropout;
mod embedding;
mod layer_norm;
mod linear;
pub mod loss;
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
/// its random generators, its type name, and a `training` field as its own train/eval flag.
macro_rules! leaf_module {
    ($ty:ident { params: [$($param:ident),*], buffers: [$($buffer:ident),*] }) => {
        $crate::nn::leaf_module!($ty { params: [$($param),*], buffers: [$($buffer),*], generators: [] });
    };
    ($ty:ident { params: [$($param:ident),*], buffers: [$($buffer:ident),*], generators: [$($generator:ident),*] }) => {
        #[diagnostic::do_not_recommend]
        impl $crate::module::Module for $ty {
            fn visit<'a>(&'a self, visitor: &mut dyn $crate::module::Visitor<'a>) {
                $($crate::module::ModuleField::visit_field(&self.$param, $crate::module::FieldName::new(stringify!($param)), visitor);)*
                $($crate::module::ModuleField::visit_field(&self.$buffer, $crate::module::FieldName::new(stringify!($buffer)), visitor);)*
                $($crate::module::ModuleField::visit_field(&self.$generator, $crate::module::FieldName::new(stringify!($generator)), visitor);)*
                let _ = visitor;
            }
            fn visit_mut(&mut self, visitor: &mut dyn $crate::module::VisitorMut) {
                $($crate::module::ModuleField::visit_field_mut(&mut self.$param, $crate::module::FieldName::new(stringify!($param)), visitor);)*
                $($crate::module::ModuleField::visit_field_mut(&mut self.$buffer, $crate::module::FieldName::new(stringify!($buffer)), visitor);)*
                let _ = visitor;
            }
            fn collect_params<'a>(&'a self, out: &mut $crate::module::ParamCollector<'a>) {
                $($crate::module::ModuleField::collect_field_params(&self.$param, stringify!($param), out);)*
                let _ = out;
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
