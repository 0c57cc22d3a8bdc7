// What `#[derive(Module)]` emits next to its errors: stub impls of `Module` and `ModuleField`,
// so one bad attribute does not also make every use of the type fail with "`X` is not a
// Module" (thiserror's `fallback.rs`). The stubs are never run: the crate doesn't compile.

use proc_macro2::TokenStream;
use quote::quote;

use super::symbol::{CRATE, MODULE};
use crate::paths;

pub fn module(input: &syn::DeriveInput, error: syn::Error) -> TokenStream {
    let error = error.into_compile_error();
    // A lifetime-generic stub would fail `'static` and add noise; the error already says it.
    if input.generics.lifetimes().next().is_some() {
        return error;
    }
    let private = paths::private(crate_override(input).as_ref());
    let ident = &input.ident;
    let type_name = ident.to_string();
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let statics = input.generics.type_params().map(|param| {
        let ident = &param.ident;
        quote!(#ident: 'static,)
    });
    let where_clause = match where_clause {
        Some(w) => {
            let predicates = &w.predicates;
            quote!(where #predicates, #(#statics)*)
        }
        None => quote!(where #(#statics)*),
    };
    quote! {
        #error
        const _: () = {
            #[automatically_derived]
            impl #impl_generics #private::Module for #ident #ty_generics #where_clause {
                fn visit<'__a>(&'__a self, _: &mut dyn #private::Visitor<'__a>) {}
                fn visit_mut(&mut self, _: &mut dyn #private::VisitorMut) {}
                fn type_name(&self) -> &'static str {
                    #type_name
                }
            }

            #[automatically_derived]
            impl #impl_generics #private::ModuleField for #ident #ty_generics #where_clause {}
        };
    }
}

// The `crate = path` override, read leniently (its errors are already in `error`).
fn crate_override(input: &syn::DeriveInput) -> Option<syn::Path> {
    let mut found = None;
    for attr in input.attrs.iter().filter(|a| a.path().is_ident(MODULE)) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident(CRATE) {
                let path: syn::Path = meta.value()?.parse()?;
                if path.leading_colon.is_some() {
                    found = Some(path);
                }
            } else if meta.input.peek(syn::Token![=]) {
                meta.value()?.parse::<syn::Expr>()?;
            }
            Ok(())
        });
    }
    found
}
