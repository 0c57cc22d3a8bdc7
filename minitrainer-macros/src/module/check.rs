// Cross-field rules of `#[derive(Module)]`, one function each, run after parsing. Rules that
// need type information are not here: they are spanned assertions in the generated code.

use std::collections::HashMap;

use proc_macro2::Span;

use super::ast::{Container, Data, Field};
use crate::ctxt::Ctxt;

pub fn module(cx: &Ctxt, cont: &Container) {
    no_lifetimes(cx, cont);
    if let Data::Struct(fields) = &cont.data {
        for field in fields {
            skip_conflicts(cx, field);
            names_are_valid(cx, field);
        }
        names_are_unique(cx, fields);
    }
}

// Modules own their parameters and are `'static` (they are downcast through `Any` and boxed as
// trait objects), so a borrowed field can never be part of one.
fn no_lifetimes(cx: &Ctxt, cont: &Container) {
    for lifetime in cont.generics.lifetimes() {
        cx.error_spanned_by(
            lifetime,
            "a module can't have lifetime parameters: modules own their parameters and must be \
             `'static`; store owned values instead",
        );
    }
}

// A skipped field has no state-dict name, so naming it is a mistake, not a no-op.
fn skip_conflicts(cx: &Ctxt, field: &Field) {
    if !field.skip {
        return;
    }
    if let Some(span) = field.attrs.rename.key_span() {
        cx.error_at(
            span,
            "`skip` can't be combined with `rename`; a skipped field is not in the state dict",
        );
    }
    for (span, _) in &field.attrs.aliases {
        cx.error_at(
            *span,
            "`skip` can't be combined with `alias`; a skipped field is not in the state dict",
        );
    }
}

// Names are path segments: a dot would split them and an empty one would vanish.
fn names_are_valid(cx: &Ctxt, field: &Field) {
    let renamed = field
        .attrs
        .rename
        .get()
        .map(|lit| (lit.value(), lit.span()));
    let aliases = field.aliases.iter().map(|lit| (lit.value(), lit.span()));
    for (name, span) in renamed.into_iter().chain(aliases) {
        if name.is_empty() {
            cx.error_at(span, "a module name can't be empty");
        } else if name.contains('.') {
            cx.error_at(
                span,
                format!(
                    "module name `{name}` can't contain `.`: dots separate path segments; \
                     use `_` instead"
                ),
            );
        }
    }
    for alias in &field.aliases {
        if alias.value() == field.name {
            cx.error_at(
                alias.span(),
                format!("alias `{}` is the field's own name; remove it", field.name),
            );
        }
    }
}

// Two fields under one name would make `named_parameters` ambiguous and one of them unloadable;
// an alias equal to another field's name would load one field's weights into the other.
fn names_are_unique(cx: &Ctxt, fields: &[Field]) {
    let mut seen: HashMap<String, Span> = HashMap::new();
    for field in fields.iter().filter(|f| !f.skip) {
        if seen.contains_key(&field.name) {
            cx.error_at(
                field.name_span,
                format!(
                    "two fields are named `{}` in the state dict; give one another name with \
                     `#[module(rename = \"...\")]`",
                    field.name
                ),
            );
        }
        seen.insert(field.name.clone(), field.name_span);
    }
    for field in fields.iter().filter(|f| !f.skip) {
        for alias in &field.aliases {
            let value = alias.value();
            if value != field.name && seen.contains_key(&value) {
                cx.error_at(
                    alias.span(),
                    format!("alias `{value}` is already the name of another field"),
                );
            }
        }
    }
}
