// The one place that spells the runtime's path in generated code. Generated code reaches the
// runtime only through `<crate>::__private`, where `<crate>` is `::minitrainer` unless the user
// overrides it (`#[module(crate = ::minitrainer_core)]`), as serde's `crate = "..."` does.

use proc_macro2::TokenStream;
use quote::quote;

/// `::minitrainer::__private`, or `<override>::__private`.
pub fn private(crate_override: Option<&syn::Path>) -> TokenStream {
    match crate_override {
        Some(path) => quote!(#path::__private),
        None => quote!(::minitrainer::__private),
    }
}

/// Checks a `crate = path` override: it must be absolute so it resolves the same in every
/// module of the user's crate.
pub fn check_crate_override(path: &syn::Path) -> syn::Result<()> {
    if path.leading_colon.is_none() {
        return Err(syn::Error::new_spanned(
            path,
            "path must be absolute; add leading colons, e.g. `::minitrainer_core`",
        ));
    }
    Ok(())
}
