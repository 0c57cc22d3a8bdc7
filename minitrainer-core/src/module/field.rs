//! `ModuleField`: how one field of a `#[derive(Module)]` struct is walked.
//!
//! Implemented for [`Param`], [`Buffer`], every module (the derive emits the impl next to its
//! `Module` impl; hand-written layers use `__module_field!`), the containers `Option`, `Box`,
//! `Vec`, arrays and `BTreeMap<String, _>`, boxed trait objects, and plain data.
//!
//! Plain data is an *empty* impl: the provided methods walk nothing, and [`PlainData`] is this
//! same trait under the name that says so (`impl PlainData for MyConfig {}`, which
//! `#[derive(Config)]` emits).
//!
//! Alternatives rejected: `impl<M: Module> ModuleField for M` plus `impl<T: PlainData> ... for T`
//! overlap (coherence can't prove a type is not both); and even a lone plain-data blanket impl
//! overlaps with `impl ModuleField for Box<T>` because `Box` is `#[fundamental]` (a downstream
//! crate could declare `Box<Local>` plain). Explicit impls have no such corner: modules always
//! come from the derive or from this crate, which emit the impl for free.

use std::collections::BTreeMap;

use super::{
    Buffer, FieldName, Generator, Module, Param, ParamCollector, Visitor, VisitorMut, collect_child,
};

/// A field type `#[derive(Module)]` knows how to walk (a supertrait of [`Module`], so generic
/// code bounded by `M: Module` can hold an `M` field): a parameter, a buffer, a module, a
/// container of those, or plain data (not walked).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a Module or plain data",
    label = "not a module, parameter or plain data",
    note = "mark the field `#[module(skip)]` if it holds no parameters",
    note = "plain data types implement `PlainData`; modules derive `Module`"
)]
pub trait ModuleField {
    /// `false` for plain data (the default): containers of it are not walked at all.
    fn holds_state() -> bool
    where
        Self: Sized,
    {
        false
    }

    /// Reports this field to `visitor` under `name` (plain data: nothing).
    fn visit_field<'a>(&'a self, name: FieldName<'_>, visitor: &mut dyn Visitor<'a>) {
        let _ = (name, visitor);
    }

    /// Reports this field to `visitor` under `name`, mutably (plain data: nothing).
    fn visit_field_mut(&mut self, name: FieldName<'_>, visitor: &mut dyn VisitorMut) {
        let _ = (name, visitor);
    }

    /// Reports this field's parameters to `out` under `name`, as `visit_field` does to a
    /// visitor. Not public API (see [`Module::collect_params`]); the default walks
    /// `visit_field`.
    #[doc(hidden)]
    fn collect_field_params<'a>(&'a self, name: &str, out: &mut ParamCollector<'a>) {
        super::param_collector::collect_field_by_visit(self, name, out);
    }
}

/// Walks a child module: enter, its own fields, exit. Used by every module's `ModuleField` impl.
pub fn visit_child<'a, M: Module + ?Sized>(
    module: &'a M,
    name: FieldName<'_>,
    visitor: &mut dyn Visitor<'a>,
) {
    visitor.enter_module(name, module.as_dyn_module());
    module.visit(visitor);
    visitor.exit_module(name, module.as_dyn_module());
}

/// Mutable twin of [`visit_child`].
pub fn visit_child_mut<M: Module + ?Sized>(
    module: &mut M,
    name: FieldName<'_>,
    visitor: &mut dyn VisitorMut,
) {
    visitor.enter_module(name, module.as_dyn_module_mut());
    module.visit_mut(visitor);
    visitor.exit_module(name, module.as_dyn_module_mut());
}

#[diagnostic::do_not_recommend]
impl ModuleField for Param {
    fn holds_state() -> bool {
        true
    }

    fn visit_field<'a>(&'a self, name: FieldName<'_>, visitor: &mut dyn Visitor<'a>) {
        visitor.param(name, self);
    }

    fn visit_field_mut(&mut self, name: FieldName<'_>, visitor: &mut dyn VisitorMut) {
        visitor.param(name, self);
    }

    #[inline]
    fn collect_field_params<'a>(&'a self, name: &str, out: &mut ParamCollector<'a>) {
        out.param(name, self);
    }
}

#[diagnostic::do_not_recommend]
impl ModuleField for Generator {
    fn holds_state() -> bool {
        true
    }
    fn visit_field<'a>(&'a self, name: FieldName<'_>, visitor: &mut dyn Visitor<'a>) {
        visitor.generator(name, self);
    }

    fn collect_field_params<'a>(&'a self, _: &str, _: &mut ParamCollector<'a>) {}
}

#[diagnostic::do_not_recommend]
impl ModuleField for Buffer {
    fn holds_state() -> bool {
        true
    }

    fn visit_field<'a>(&'a self, name: FieldName<'_>, visitor: &mut dyn Visitor<'a>) {
        visitor.buffer(name, self);
    }

    fn visit_field_mut(&mut self, name: FieldName<'_>, visitor: &mut dyn VisitorMut) {
        visitor.buffer(name, self);
    }

    fn collect_field_params<'a>(&'a self, _: &str, _: &mut ParamCollector<'a>) {}
}

// `Option` is transparent: `Some(x)` is named like `x`, `None` registers nothing (PyTorch's
// `bias=None`).
impl<T: ModuleField> ModuleField for Option<T> {
    fn holds_state() -> bool {
        T::holds_state()
    }

    fn visit_field<'a>(&'a self, name: FieldName<'_>, visitor: &mut dyn Visitor<'a>) {
        if let Some(inner) = self {
            inner.visit_field(name, visitor);
        }
    }

    fn visit_field_mut(&mut self, name: FieldName<'_>, visitor: &mut dyn VisitorMut) {
        if let Some(inner) = self {
            inner.visit_field_mut(name, visitor);
        }
    }

    #[inline]
    fn collect_field_params<'a>(&'a self, name: &str, out: &mut ParamCollector<'a>) {
        if let Some(inner) = self {
            inner.collect_field_params(name, out);
        }
    }
}

// `Box` is transparent too: boxing a module does not add a path segment. (It claims to hold
// state because `T` may be unsized, e.g. `dyn Layer`; walking a boxed plain value is a no-op.)
impl<T: ModuleField + ?Sized> ModuleField for Box<T> {
    fn holds_state() -> bool {
        true
    }

    fn visit_field<'a>(&'a self, name: FieldName<'_>, visitor: &mut dyn Visitor<'a>) {
        (**self).visit_field(name, visitor);
    }

    fn visit_field_mut(&mut self, name: FieldName<'_>, visitor: &mut dyn VisitorMut) {
        (**self).visit_field_mut(name, visitor);
    }

    #[inline]
    fn collect_field_params<'a>(&'a self, name: &str, out: &mut ParamCollector<'a>) {
        (**self).collect_field_params(name, out);
    }
}

// `Vec`, arrays and maps are modules of their own (PyTorch's ModuleList / ModuleDict), so that
// `layers` appears in `named_modules()`, `get_submodule("layers")` and the tree print. Containers
// of plain data (`Vec<usize>`) are not walked.
macro_rules! container_field {
    ([$($generics:tt)*] $ty:ty, $elem:ident) => {
        impl<$($generics)*> ModuleField for $ty {
            fn holds_state() -> bool {
                $elem::holds_state()
            }

            fn visit_field<'a>(&'a self, name: FieldName<'_>, visitor: &mut dyn Visitor<'a>) {
                if $elem::holds_state() {
                    visit_child(self, name, visitor);
                }
            }

            fn visit_field_mut(&mut self, name: FieldName<'_>, visitor: &mut dyn VisitorMut) {
                if $elem::holds_state() {
                    visit_child_mut(self, name, visitor);
                }
            }

            fn collect_field_params<'a>(&'a self, name: &str, out: &mut ParamCollector<'a>) {
                if $elem::holds_state() {
                    collect_child(self, name, out);
                }
            }
        }
    };
}

container_field!([T: ModuleField + 'static] Vec<T>, T);
container_field!([T: ModuleField + 'static, const N: usize] [T; N], T);
container_field!([T: ModuleField + 'static] BTreeMap<String, T>, T);

/// Implements [`ModuleField`] for a module type by walking it as a child module. The derive
/// emits the same impl; this is for hand-written modules and trait objects.
#[macro_export]
#[doc(hidden)]
macro_rules! __module_field {
    ($ty:ty) => {
        #[diagnostic::do_not_recommend]
        impl $crate::module::ModuleField for $ty {
            fn holds_state() -> bool {
                true
            }

            fn visit_field<'a>(
                &'a self,
                name: $crate::module::FieldName<'_>,
                visitor: &mut dyn $crate::module::Visitor<'a>,
            ) {
                $crate::module::visit_child(self, name, visitor);
            }

            fn visit_field_mut(
                &mut self,
                name: $crate::module::FieldName<'_>,
                visitor: &mut dyn $crate::module::VisitorMut,
            ) {
                $crate::module::visit_child_mut(self, name, visitor);
            }

            fn collect_field_params<'a>(
                &'a self,
                name: &str,
                out: &mut $crate::module::ParamCollector<'a>,
            ) {
                $crate::module::collect_child(self, name, out);
            }
        }
    };
}

// `dyn Module` (and `dyn Layer`) need no impl: `ModuleField` is a supertrait of `Module`, so
// trait objects walk through the concrete type's impl.
