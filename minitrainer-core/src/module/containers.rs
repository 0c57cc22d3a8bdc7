//! `Vec<M>`, `[M; N]` and `BTreeMap<String, M>` as modules: PyTorch's `ModuleList` and
//! `ModuleDict`. Elements are named by index (`layers.0`) or by key (`heads.sentiment`).

use std::collections::BTreeMap;

use super::index_name::with_index_name;
use super::{FieldName, Module, ModuleField, ParamCollector, Visitor, VisitorMut};

/// Reports `items` named `0`, `1`, ... (lists and `Sequential`).
pub(crate) fn visit_indexed<'a, T: ModuleField + ?Sized + 'a>(
    items: impl Iterator<Item = &'a T>,
    visitor: &mut dyn Visitor<'a>,
) {
    for (index, item) in items.enumerate() {
        with_index_name(index, |name| {
            item.visit_field(FieldName::new(name), visitor)
        });
    }
}

/// [`visit_indexed`] into a [`ParamCollector`].
#[inline]
pub(crate) fn collect_indexed<'a, T: ModuleField + ?Sized + 'a>(
    items: impl Iterator<Item = &'a T>,
    out: &mut ParamCollector<'a>,
) {
    for (index, item) in items.enumerate() {
        with_index_name(index, |name| item.collect_field_params(name, out));
    }
}

/// Mutable twin of [`visit_indexed`].
pub(crate) fn visit_indexed_mut<'a, T: ModuleField + ?Sized + 'a>(
    items: impl Iterator<Item = &'a mut T>,
    visitor: &mut dyn VisitorMut,
) {
    for (index, item) in items.enumerate() {
        with_index_name(index, |name| {
            item.visit_field_mut(FieldName::new(name), visitor);
        });
    }
}

/// `Vec<M>` and `[M; N]` are PyTorch's `ModuleList`: items named `0`, `1`, ...
macro_rules! module_list {
    (impl[$($generics:tt)*] $ty:ty) => {
        #[diagnostic::do_not_recommend]
        impl<$($generics)*> Module for $ty {
            fn visit<'a>(&'a self, visitor: &mut dyn Visitor<'a>) {
                visit_indexed(self.iter(), visitor);
            }

            fn visit_mut(&mut self, visitor: &mut dyn VisitorMut) {
                visit_indexed_mut(self.iter_mut(), visitor);
            }

            fn collect_params<'a>(&'a self, out: &mut ParamCollector<'a>) {
                collect_indexed(self.iter(), out);
            }

            fn type_name(&self) -> &'static str {
                "ModuleList"
            }
        }
    };
}

module_list!(impl[T: ModuleField + 'static] Vec<T>);
module_list!(impl[T: ModuleField + 'static, const N: usize] [T; N]);

/// A map of named submodules, PyTorch's `ModuleDict`: each key becomes a path segment.
///
/// Keys must not contain `.` or be empty (PyTorch's `ModuleDict` refuses such keys when they
/// are added; a plain map cannot): the names would be ambiguous, and `get_submodule`, hooks
/// and freezing by path could not reach the entry.
#[diagnostic::do_not_recommend]
impl<T: ModuleField + 'static> Module for BTreeMap<String, T> {
    fn visit<'a>(&'a self, visitor: &mut dyn Visitor<'a>) {
        for (key, item) in self {
            item.visit_field(FieldName::new(key), visitor);
        }
    }

    fn visit_mut(&mut self, visitor: &mut dyn VisitorMut) {
        for (key, item) in self.iter_mut() {
            item.visit_field_mut(FieldName::new(key), visitor);
        }
    }

    fn collect_params<'a>(&'a self, out: &mut ParamCollector<'a>) {
        for (key, item) in self {
            item.collect_field_params(key, out);
        }
    }

    fn type_name(&self) -> &'static str {
        "ModuleDict"
    }
}
