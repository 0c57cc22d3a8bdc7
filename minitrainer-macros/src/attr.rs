// What the `#[module(..)]`, `#[config(..)]` and `#[model(..)]` parsers share: the slot a key's
// value goes into (duplicates reported at the second occurrence) and the recovery after a
// rejected key, and the report of an unknown key. One copy, so the three macros word
// duplicates and unknown keys and recover the same way.

use proc_macro2::{Span, TokenTree};
use syn::meta::ParseNestedMeta;
use syn::parse::ParseStream;
use syn::parse::discouraged::Speculative;
use syn::spanned::Spanned;

use crate::ctxt::Ctxt;
use crate::suggest::{did_you_mean, unknown_key_message};

/// A key's value, given at most once, with the span of the key that gave it (serde's `Attr`,
/// bon's `SpannedKey`). A second occurrence is reported at that occurrence.
pub struct Attr<T> {
    /// The attribute the key belongs to (`module`, `config`, `model`), for the message.
    attribute: &'static str,
    key: &'static str,
    /// The span of the key that claimed the slot; set even when its value was then unusable.
    key_span: Option<Span>,
    value: Option<T>,
}

impl<T> Attr<T> {
    /// An empty slot for `key` of `#[attribute(..)]`.
    pub fn none(attribute: &'static str, key: &'static str) -> Self {
        Attr {
            attribute,
            key,
            key_span: None,
            value: None,
        }
    }

    /// Claims the slot for this occurrence of the key, before its value is parsed. Returns
    /// `false`, with a duplicate error at `key`, when an earlier occurrence claimed it.
    pub fn claim(&mut self, cx: &Ctxt, key: &syn::Path) -> bool {
        if self.key_span.is_some() {
            cx.error_spanned_by(
                key,
                format!(
                    "duplicate {} attribute `{}`; give it once",
                    self.attribute, self.key
                ),
            );
            return false;
        }
        self.key_span = Some(key.span());
        true
    }

    /// Stores the value of the occurrence that [`Attr::claim`] accepted.
    pub fn fill(&mut self, value: T) {
        self.value = Some(value);
    }

    /// Claims the slot and stores `value`, or reports the duplicate at `key`.
    pub fn set(&mut self, cx: &Ctxt, key: &syn::Path, value: T) {
        if self.claim(cx, key) {
            self.fill(value);
        }
    }

    /// Whether the key was given, even if its value was unusable.
    pub fn is_claimed(&self) -> bool {
        self.key_span.is_some()
    }

    /// The span of the key that gave the value, when given.
    pub fn key_span(&self) -> Option<Span> {
        self.key_span
    }

    /// The value, when given and usable.
    pub fn get(&self) -> Option<&T> {
        self.value.as_ref()
    }

    /// The value, when given and usable, out of the slot.
    pub fn take(self) -> Option<T> {
        self.value
    }
}

/// After a rejected key (unknown, misplaced or duplicate), consumes whatever follows it up to
/// the next `,`: `= value` of any expression shape, a `(..)` list, or nothing. The key was
/// already reported, so its value's own errors are not: parsing goes on to the next key.
pub fn skip_value(meta: &ParseNestedMeta) {
    let input = meta.input;
    if input.peek(syn::Token![=]) {
        // Parse the value as an expression on a fork, so that commas inside it (`f::<A, B>`,
        // `|a, b| a`) don't end it early; a value that is no expression is skipped as tokens.
        let fork = input.fork();
        let parsed = fork.parse::<syn::Token![=]>().is_ok() && fork.parse::<syn::Expr>().is_ok();
        if parsed && at_key_end(&fork) {
            input.advance_to(&fork);
            return;
        }
    }
    while !at_key_end(input) {
        // Cannot fail on a non-empty stream; a group (`(..)`, `[..]`, `{..}`) is one tree.
        if input.parse::<TokenTree>().is_err() {
            break;
        }
    }
}

fn at_key_end(input: ParseStream) -> bool {
    input.is_empty() || input.peek(syn::Token![,])
}

/// Reports an unknown key of `#[attribute(..)]`, spanned on the key: "unknown `what` attribute
/// `k`; did you mean `a`? expected one of `a`, `b`". Skips the key's value so parsing goes on,
/// and returns the key it was probably meant to be, so a caller can avoid also calling that key
/// "missing". `what` names the place (`module`, `config field`, `model`).
pub fn unknown_key(
    cx: &Ctxt,
    meta: &ParseNestedMeta,
    what: &str,
    keys: &[&'static str],
) -> Option<&'static str> {
    let key = key_name(&meta.path);
    cx.error_spanned_by(&meta.path, unknown_key_message(what, &key, keys));
    skip_value(meta);
    did_you_mean(&key, keys)
}

/// A key as written, for messages: `name`, or a whole path (`a::b`) without token spacing.
pub fn key_name(path: &syn::Path) -> String {
    match path.get_ident() {
        Some(ident) => ident.to_string(),
        None => quote::quote!(#path).to_string().replace(' ', ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    /// Parses `#[test(..)]`, giving every key to `handle`; returns the recorded errors with
    /// the source text each is spanned on.
    fn parse(
        attr: syn::Attribute,
        mut handle: impl FnMut(&Ctxt, &ParseNestedMeta) -> syn::Result<()>,
    ) -> Vec<String> {
        let cx = Ctxt::new();
        if let Err(err) = attr.parse_nested_meta(|meta| handle(&cx, &meta)) {
            cx.syn_error(err);
        }
        match cx.check() {
            Ok(()) => Vec::new(),
            Err(err) => err.into_iter().map(|e| e.to_string()).collect(),
        }
    }

    #[test]
    fn a_key_given_once_is_stored_with_its_span() {
        let mut slot = Attr::none("module", "rename");
        let errors = parse(parse_quote!(#[test(rename = "x")]), |cx, meta| {
            let value: syn::LitStr = meta.value()?.parse()?;
            slot.set(cx, &meta.path, value);
            Ok(())
        });
        assert!(errors.is_empty(), "{errors:?}");
        assert!(slot.is_claimed());
        assert!(slot.key_span().is_some());
        assert_eq!(slot.take().map(|lit| lit.value()).as_deref(), Some("x"));
    }

    #[test]
    fn a_duplicate_is_reported_at_the_second_key_and_the_first_value_kept() {
        let mut slot = Attr::none("config", "min");
        // Which occurrence was accepted, in order. The error is spanned by the key passed to
        // `claim`, i.e. the rejected second one; its exact line:column (unit tests have no source
        // locations) is pinned by tests/ui/{module,config,model}/duplicate-*.stderr.
        let mut accepted = Vec::new();
        let errors = parse(parse_quote!(#[test(min = 1, min = 2)]), |cx, meta| {
            let value: syn::LitInt = meta.value()?.parse()?;
            let claimed = slot.claim(cx, &meta.path);
            if claimed {
                slot.fill(value);
            }
            accepted.push(claimed);
            Ok(())
        });
        assert_eq!(errors, ["duplicate config attribute `min`; give it once"]);
        assert_eq!(accepted, [true, false]);
        assert_eq!(slot.get().map(|lit| lit.to_string()).as_deref(), Some("1"));
    }

    #[test]
    fn a_claimed_key_with_an_unusable_value_still_counts_as_given() {
        let mut slot: Attr<syn::LitStr> = Attr::none("model", "name");
        let errors = parse(parse_quote!(#[test(name, name)]), |cx, meta| {
            slot.claim(cx, &meta.path);
            Ok(())
        });
        assert_eq!(errors, ["duplicate model attribute `name`; give it once"]);
        assert!(slot.is_claimed());
        assert!(slot.get().is_none());
    }

    /// Rejects every key but `next`, skipping its value; returns the keys reached.
    fn keys_reached(attr: syn::Attribute) -> (Vec<String>, Vec<String>) {
        let mut reached = Vec::new();
        let errors = parse(attr, |_, meta| {
            reached.push(
                meta.path
                    .get_ident()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
            );
            skip_value(meta);
            Ok(())
        });
        (reached, errors)
    }

    #[test]
    fn an_unknown_key_is_reported_with_the_choices_and_its_value_skipped() {
        let mut close = Vec::new();
        let errors = parse(parse_quote!(#[test(nmae = "x", a::b = 1)]), |cx, meta| {
            close.push(unknown_key(cx, meta, "model", &["name", "config"]));
            Ok(())
        });
        assert_eq!(
            errors,
            [
                "unknown model attribute `nmae`; did you mean `name`? expected one of `name`, \
                 `config`",
                "unknown model attribute `a::b`; expected one of `name`, `config`",
            ]
        );
        assert_eq!(close, [Some("name"), None]);
    }

    #[test]
    fn skip_value_consumes_any_expression() {
        let (reached, errors) = keys_reached(parse_quote!(#[test(key = a + b, next)]));
        assert_eq!(reached, ["key", "next"]);
        assert!(errors.is_empty(), "{errors:?}");
    }

    #[test]
    fn skip_value_consumes_a_bracketed_list() {
        let (reached, errors) = keys_reached(parse_quote!(#[test(key = [1, 2], next = 3)]));
        assert_eq!(reached, ["key", "next"]);
        assert!(errors.is_empty(), "{errors:?}");
    }

    #[test]
    fn skip_value_keeps_commas_inside_an_expression() {
        let (reached, errors) = keys_reached(parse_quote!(#[test(key = f::<A, B>(), next)]));
        assert_eq!(reached, ["key", "next"]);
        assert!(errors.is_empty(), "{errors:?}");
    }

    #[test]
    fn skip_value_consumes_a_parenthesised_list() {
        let (reached, errors) = keys_reached(parse_quote!(#[test(key(x, y = 1), next)]));
        assert_eq!(reached, ["key", "next"]);
        assert!(errors.is_empty(), "{errors:?}");
    }

    #[test]
    fn skip_value_leaves_a_bare_key_alone() {
        let (reached, errors) = keys_reached(parse_quote!(#[test(key, next, last = 1)]));
        assert_eq!(reached, ["key", "next", "last"]);
        assert!(errors.is_empty(), "{errors:?}");
    }

    #[test]
    fn skip_value_skips_a_value_that_is_no_expression() {
        let (reached, errors) = keys_reached(parse_quote!(#[test(key = struct, next)]));
        assert_eq!(reached, ["key", "next"]);
        assert!(errors.is_empty(), "{errors:?}");
    }
}
