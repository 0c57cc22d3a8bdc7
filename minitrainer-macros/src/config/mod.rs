// `#[derive(Config)]`: parse → check → codegen.
//
// Entry points: `expand` (called by the derive in lib.rs) and `fallback` (stub impls emitted
// next to the errors when expansion fails, so one typo doesn't cascade into "`X` is not a
// `Config`" at every use). Codegen is split by generated concern: `builder`, `json`, `rules`,
// `schema`, `impls` (trait glue for structs), `enums` (everything for unit-variant enums).

mod ast;
mod attr;
mod builder;
mod check;
mod enums;
mod fallback;
mod impls;
mod json;
mod rules;
mod schema;
mod symbol;

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::DeriveInput;

use self::ast::{Container, Data, Field};
use crate::ctxt::Ctxt;

pub use fallback::fallback;

pub fn expand(input: &DeriveInput) -> syn::Result<TokenStream> {
    let cx = Ctxt::new();
    // 1. parse: syn → IR; errors go into `cx`, parsing goes on.
    let Some(cont) = Container::from_ast(&cx, input) else {
        return Err(match cx.check() {
            Err(err) => err,
            Ok(()) => syn::Error::new(
                Span::call_site(),
                "minitrainer-macros internal error: config input rejected without a message",
            ),
        });
    };
    // 2. check: cross-attribute rules, also into `cx`; then every error at once.
    check::config(&cx, &cont);
    cx.check()?;
    // 3. codegen: infallible.
    Ok(match &cont.data {
        Data::Struct(fields) => gen_struct(&Gen::new(&cont, fields)),
        Data::Enum(variants) => enums::gen_enum(&cont, variants),
    })
}

/// What every struct codegen function needs.
pub struct Gen<'a> {
    pub cont: &'a Container<'a>,
    pub fields: &'a [Field<'a>],
    /// `::minitrainer::__private` or the `crate = ..` override.
    pub rt: TokenStream,
    pub builder: syn::Ident,
}

impl<'a> Gen<'a> {
    fn new(cont: &'a Container<'a>, fields: &'a [Field<'a>]) -> Self {
        Gen {
            cont,
            fields,
            rt: crate::paths::private(cont.crate_path.as_ref()),
            builder: format_ident!("{}Builder", cont.ident),
        }
    }

    pub fn required(&self) -> impl Iterator<Item = (usize, &Field<'a>)> {
        self.fields
            .iter()
            .filter(|f| f.default.is_required())
            .enumerate()
    }
}

fn gen_struct(g: &Gen) -> TokenStream {
    let builder_struct = builder::gen_struct(g);
    let markers = builder::gen_markers(g);
    let constructors = builder::gen_constructors(g);
    let builder_impl = builder::gen_builder_impl(g);
    let bound_fns = rules::gen_bound_fns(g);
    let default_fns = json::gen_default_fns(g);
    let impls = impls::gen_impls(g);
    quote! {
        #builder_struct

        #[doc(hidden)]
        #[allow(non_upper_case_globals, unused_qualifications, clippy::all)]
        const _: () = {
            #markers
            #default_fns
            #bound_fns
            #constructors
            #builder_impl
            #impls
        };
    }
}
