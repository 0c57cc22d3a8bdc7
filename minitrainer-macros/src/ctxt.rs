// Error collection for the macros (serde_derive's `Ctxt`): parsing and checking push every
// error here and carry on, so one compile shows every bad attribute; `check` combines them.
//
// There is no `Default` and no "closed" state: a `Ctxt` is made by `new` and every error pushed
// into it is kept until `check` consumes it. (It used to derive `Default`, whose empty slot
// silently dropped every error pushed into it.) `check` takes `self`, so nothing can be pushed
// after it; dropping a `Ctxt` that was never checked panics.

use std::cell::RefCell;
use std::fmt::Display;

use quote::ToTokens;

/// Collects `syn::Error`s. Must be consumed with [`Ctxt::check`]; dropping it unchecked is a
/// bug in the macro and panics (a macro panic surfaces as a compile error, not silence).
pub struct Ctxt {
    errors: RefCell<Vec<syn::Error>>,
    /// Set by `check`, read by `Drop`.
    checked: bool,
}

impl Ctxt {
    pub fn new() -> Self {
        Ctxt {
            errors: RefCell::new(Vec::new()),
            checked: false,
        }
    }

    /// Records an error spanning `tokens`.
    pub fn error_spanned_by<T: ToTokens, M: Display>(&self, tokens: T, message: M) {
        self.syn_error(syn::Error::new_spanned(tokens.into_token_stream(), message));
    }

    /// Records an error at `span`.
    pub fn error_at<M: Display>(&self, span: proc_macro2::Span, message: M) {
        self.syn_error(syn::Error::new(span, message));
    }

    /// Records an already built error. Always kept: there is no state that drops it.
    pub fn syn_error(&self, error: syn::Error) {
        self.errors.borrow_mut().push(error);
    }

    /// All errors recorded so far, combined into one, or `Ok` when there were none.
    pub fn check(mut self) -> syn::Result<()> {
        self.checked = true;
        let mut errors = std::mem::take(self.errors.get_mut()).into_iter();
        let Some(mut combined) = errors.next() else {
            return Ok(());
        };
        for rest in errors {
            combined.combine(rest);
        }
        Err(combined)
    }
}

impl Drop for Ctxt {
    fn drop(&mut self) {
        if !self.checked && !std::thread::panicking() {
            panic!("minitrainer-macros internal error: Ctxt dropped without check()");
        }
    }
}

#[cfg(test)]
mod tests {
    use proc_macro2::Span;

    use super::Ctxt;

    fn messages(cx: Ctxt) -> Vec<String> {
        match cx.check() {
            Ok(()) => Vec::new(),
            Err(err) => err.into_iter().map(|e| e.to_string()).collect(),
        }
    }

    #[test]
    fn a_new_ctxt_with_no_error_checks_ok() {
        assert!(Ctxt::new().check().is_ok());
    }

    #[test]
    fn every_recorded_error_comes_back_in_order() {
        let cx = Ctxt::new();
        cx.error_at(Span::call_site(), "first");
        cx.error_spanned_by(quote::quote!(x), "second");
        cx.syn_error(syn::Error::new(Span::call_site(), "third"));
        assert_eq!(messages(cx), ["first", "second", "third"]);
    }

    #[test]
    #[should_panic(expected = "Ctxt dropped without check()")]
    fn dropping_an_unchecked_ctxt_panics() {
        let cx = Ctxt::new();
        cx.error_at(Span::call_site(), "lost");
        drop(cx);
    }
}
