// The IR of `#[model]`: the annotated item and its arguments, as written.
//
// Entry point: `Model::from_ast`, which never fails: argument errors go into `Ctxt`, and every
// rule about the item and the arguments (a struct, not generic, a well-formed name, the
// required keys) is `check.rs`'s. After the checks pass, `Model::registration` is the
// resolved view codegen reads.

use proc_macro2::TokenStream;

use super::attr::{self, ModelArgs};
use crate::ctxt::Ctxt;

pub struct Model<'a> {
    /// The annotated item, re-emitted unchanged.
    pub original: &'a syn::Item,
    /// The item, when it is a struct (the only kind `#[model]` registers).
    pub item: Option<&'a syn::ItemStruct>,
    /// `name = "..."`; `None` when absent or not a string literal.
    pub name: Option<syn::LitStr>,
    /// Whether `name` was written, even misspelt or with a bad value.
    pub name_attempted: bool,
    /// `config = ...`; `None` when absent or not a type.
    pub config: Option<syn::Type>,
    /// Whether `config` was written, even misspelt or with a bad value.
    pub config_attempted: bool,
    pub crate_path: Option<syn::Path>,
    /// `crate = ...` was written but unusable (already reported).
    pub crate_path_rejected: bool,
}

/// What codegen needs: every required part present, every check passed.
pub struct Registration<'a> {
    pub ident: &'a syn::Ident,
    pub name: &'a syn::LitStr,
    pub config: &'a syn::Type,
    pub crate_path: Option<&'a syn::Path>,
}

impl<'a> Model<'a> {
    pub fn from_ast(cx: &Ctxt, args: TokenStream, original: &'a syn::Item) -> Self {
        let args = ModelArgs::parse(cx, args);
        Model {
            original,
            item: match original {
                syn::Item::Struct(item) => Some(item),
                _ => None,
            },
            name_attempted: args.attempted(attr::NAME),
            config_attempted: args.attempted(attr::CONFIG),
            name: args.name.take(),
            config: args.config.take(),
            crate_path_rejected: args.crate_path.is_claimed() && args.crate_path.get().is_none(),
            crate_path: args.crate_path.take(),
        }
    }

    /// The resolved view; `None` when a required part is missing, which `check.rs` reports.
    pub fn registration(&self) -> Option<Registration<'_>> {
        Some(Registration {
            ident: &self.item?.ident,
            name: self.name.as_ref()?,
            config: self.config.as_ref()?,
            crate_path: self.crate_path.as_ref(),
        })
    }
}
