// Parsing of `#[module(...)]` attributes into typed, still-unresolved values.
//
// Entry points: `container`, `field`, `reject`. Errors go to the `Ctxt` and parsing carries on
// with the next key (serde's habit), so one compile reports every bad key. Duplicate keys are
// reported at their second occurrence; every value remembers its key for conflict spans.

use proc_macro2::Span;
use syn::spanned::Spanned;

use super::symbol::{ALIAS, CONTAINER_KEYS, CRATE, FIELD_KEYS, MODULE, RENAME, SKIP};
use crate::attr::{Attr, key_name, skip_value, unknown_key};
use crate::ctxt::Ctxt;
use crate::paths;

/// `#[module(...)]` on the struct or enum.
pub struct ContainerAttrs {
    pub crate_path: Attr<syn::Path>,
}

/// `#[module(...)]` on a field.
pub struct FieldAttrs {
    pub skip: Attr<()>,
    pub rename: Attr<syn::LitStr>,
    /// Each alias with its key's span.
    pub aliases: Vec<(Span, syn::LitStr)>,
}

fn module_attrs(attrs: &[syn::Attribute]) -> impl Iterator<Item = &syn::Attribute> {
    attrs.iter().filter(|attr| attr.path().is_ident(MODULE))
}

pub fn container(cx: &Ctxt, attrs: &[syn::Attribute]) -> ContainerAttrs {
    let mut out = ContainerAttrs {
        crate_path: Attr::none(MODULE, CRATE),
    };
    for attr in module_attrs(attrs) {
        let parsed = attr.parse_nested_meta(|meta| {
            // #[module(crate = ::minitrainer_core)]
            if meta.path.is_ident(CRATE) {
                let path: syn::Path = meta.value()?.parse()?;
                match paths::check_crate_override(&path) {
                    Ok(()) => out.crate_path.set(cx, &meta.path, path),
                    Err(err) => cx.syn_error(err),
                }
            } else if FIELD_KEYS.iter().any(|k| meta.path.is_ident(k)) {
                cx.error_spanned_by(
                    &meta.path,
                    format!(
                        "`{}` is a field attribute; put it on a field, not on the type",
                        key_name(&meta.path)
                    ),
                );
                skip_value(&meta);
            } else {
                unknown_key(cx, &meta, MODULE, CONTAINER_KEYS);
            }
            Ok(())
        });
        if let Err(err) = parsed {
            cx.syn_error(err);
        }
    }
    out
}

pub fn field(cx: &Ctxt, attrs: &[syn::Attribute]) -> FieldAttrs {
    let mut out = FieldAttrs {
        skip: Attr::none(MODULE, SKIP),
        rename: Attr::none(MODULE, RENAME),
        aliases: Vec::new(),
    };
    for attr in module_attrs(attrs) {
        let parsed = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident(SKIP) {
                // #[module(skip)]
                out.skip.set(cx, &meta.path, ());
            } else if meta.path.is_ident(RENAME) {
                // #[module(rename = "name")]
                let name: syn::LitStr = meta.value()?.parse()?;
                out.rename.set(cx, &meta.path, name);
            } else if meta.path.is_ident(ALIAS) {
                // #[module(alias = "old_name")], repeatable
                let name: syn::LitStr = meta.value()?.parse()?;
                out.aliases.push((meta.path.span(), name));
            } else if meta.path.is_ident(CRATE) {
                cx.error_spanned_by(
                    &meta.path,
                    "`crate` is a container attribute; put it on the struct or enum",
                );
                skip_value(&meta);
            } else {
                unknown_key(cx, &meta, MODULE, FIELD_KEYS);
            }
            Ok(())
        });
        if let Err(err) = parsed {
            cx.syn_error(err);
        }
    }
    out
}

/// Reports every `#[module(...)]` in `attrs` as misplaced (enum variants and their fields).
pub fn reject(cx: &Ctxt, attrs: &[syn::Attribute], place: &str) {
    for attr in module_attrs(attrs) {
        cx.error_spanned_by(
            attr,
            format!(
                "`#[module(...)]` is not supported on {place}; an enum variant's module is \
                 transparent (named like the enum field itself)"
            ),
        );
    }
}
