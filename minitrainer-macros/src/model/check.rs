// The rules of `#[model]` that can be decided from the tokens, one function each. Whether
// `config = ...` really is the model's `Build::Config`, and whether there is an `impl Build` at
// all, needs types: the generated code asserts both (see `codegen.rs`).

use proc_macro2::{Span, TokenStream};
use quote::quote;

use super::ast::Model;
use crate::ctxt::Ctxt;

pub fn model(cx: &Ctxt, model: &Model) {
    is_a_struct(cx, model);
    is_not_generic(cx, model);
    name_is_well_formed(cx, model);
    required_keys_are_given(cx, model);
}

fn is_a_struct(cx: &Ctxt, model: &Model) {
    // Why: the registry builds the model through `impl Build`, and the derives a model needs
    // (`Module`) and the re-emitted item are written for structs; an enum, fn or trait here is
    // the attribute on the wrong item.
    if model.item.is_none() {
        cx.error_spanned_by(
            item_keyword(model.original),
            "#[model] registers a struct that implements `Build`; put it on the model's struct",
        );
    }
}

fn is_not_generic(cx: &Ctxt, model: &Model) {
    // Why: the registry builds one concrete type per name from a config alone; nothing would
    // choose the type parameters.
    let Some(item) = model.item else { return };
    if !item.generics.params.is_empty() {
        cx.error_spanned_by(
            &item.generics,
            format!(
                "#[model] can't register a generic struct: the registry must build `{}` from \
                 its config alone, with nothing to choose the generic parameters; register a \
                 non-generic struct that holds `{}<...>` with concrete parameters",
                item.ident, item.ident
            ),
        );
    }
}

fn name_is_well_formed(cx: &Ctxt, model: &Model) {
    // Why: the name is also written in the compact form `mlp(in_dim=64)`, whose parser reads
    // an identifier before the `(`; a name it can't read could only be loaded from JSON.
    let Some(name) = &model.name else { return };
    if let Some(problem) = name_problem(&name.value()) {
        cx.error_spanned_by(
            name,
            format!(
                "model name {problem}; the compact form `name(field=value)` must be able to \
                 spell it, e.g. `name = \"mlp\"`"
            ),
        );
    }
}

fn required_keys_are_given(cx: &Ctxt, model: &Model) {
    // Why: without a name there is nothing to register under, and without the config type
    // the registry can't decode a config for the model. A key that was written but misspelt
    // or given a bad value was already reported, so it is not also "missing".
    if !model.name_attempted {
        cx.error_at(
            Span::call_site(),
            "missing `name`: #[model] registers the type under a name, e.g. \
             #[model(name = \"mlp\", config = MlpConfig)]",
        );
    }
    if !model.config_attempted {
        cx.error_at(
            Span::call_site(),
            "missing `config`: name the config type the model is built from, e.g. \
             #[model(name = \"mlp\", config = MlpConfig)]",
        );
    }
}

/// What is wrong with `name` as an identifier of the compact form (ASCII letters, digits and
/// `_`, not starting with a digit), if anything.
fn name_problem(name: &str) -> Option<&'static str> {
    let mut chars = name.chars();
    match chars.next() {
        None => Some("must not be empty"),
        Some(c) if c.is_ascii_digit() => Some("must not start with a digit"),
        _ if !name.chars().all(|c| c == '_' || c.is_ascii_alphanumeric()) => {
            Some("may only hold ASCII letters, digits and `_`")
        }
        _ => None,
    }
}

/// The tokens that best point at "this kind of item": its keyword and name.
fn item_keyword(item: &syn::Item) -> TokenStream {
    match item {
        syn::Item::Enum(e) => {
            let (kw, ident) = (&e.enum_token, &e.ident);
            quote!(#kw #ident)
        }
        syn::Item::Fn(f) => {
            let (kw, ident) = (&f.sig.fn_token, &f.sig.ident);
            quote!(#kw #ident)
        }
        syn::Item::Union(u) => {
            let (kw, ident) = (&u.union_token, &u.ident);
            quote!(#kw #ident)
        }
        syn::Item::Trait(t) => {
            let (kw, ident) = (&t.trait_token, &t.ident);
            quote!(#kw #ident)
        }
        other => quote!(#other),
    }
}

#[cfg(test)]
mod tests {
    use super::name_problem;

    #[test]
    fn names_the_compact_form_can_spell_pass() {
        for good in ["mlp", "digits_mlp", "_x", "gpt2"] {
            assert_eq!(name_problem(good), None, "{good}");
        }
    }

    #[test]
    fn names_the_compact_form_cannot_spell_say_why() {
        assert_eq!(name_problem(""), Some("must not be empty"));
        assert_eq!(name_problem("1mlp"), Some("must not start with a digit"));
        assert_eq!(
            name_problem("my-model"),
            Some("may only hold ASCII letters, digits and `_`")
        );
    }
}
