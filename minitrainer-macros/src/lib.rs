//! Procedural macros of minitrainer: `#[derive(Module)]`, `#[derive(Config)]` and `#[model]`.
//! Use them through the `minitrainer` crate, which re-exports them.

// Shared by every macro.
mod ctxt;
mod paths;
mod suggest;

mod module;

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

/// Derives `Module` (DOCS)
#[proc_macro_derive(Module, attributes(module))]
pub fn derive_module(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    module::expand(&input)
        .unwrap_or_else(|err| module::fallback(&input, err))
        .into()
}
