//! `transparent_module!`: the `Module` impl of a wrapper that adds behaviour but no structure
//! (`Hooked`, `Configured`, `Box<dyn Model>`): same parameters, names, tree print and
//! train/eval flag as the module it wraps.

/// `transparent_module!(impl[<generics>] Wrapper => |this| <the wrapped module, from this>)`.
macro_rules! transparent_module {
    (impl[$($generics:tt)*] $ty:ty => |$this:ident| $inner:expr) => {
        #[diagnostic::do_not_recommend]
        impl<$($generics)*> $crate::module::Module for $ty {
            fn visit<'a>(&'a self, visitor: &mut dyn $crate::module::Visitor<'a>) {
                let $this = self;
                $inner.visit(visitor);
            }
            fn visit_mut(&mut self, visitor: &mut dyn $crate::module::VisitorMut) {
                let $this = self;
                $inner.visit_mut(visitor);
            }
            fn collect_params<'a>(&'a self, out: &mut $crate::module::ParamCollector<'a>) {
                let $this = self;
                $inner.collect_params(out);
            }
            fn type_name(&self) -> &'static str {
                let $this = self;
                $inner.type_name()
            }
            fn extra_repr(&self) -> String {
                let $this = self;
                $inner.extra_repr()
            }
            fn local_training(&self) -> Option<bool> {
                let $this = self;
                $inner.local_training()
            }
            fn set_local_training(&mut self, training: bool) {
                let $this = self;
                $inner.set_local_training(training);
            }
        }
    };
}

pub(crate) use transparent_module;
