//! Procedural macros of minitrainer: `#[derive(Module)]`, `#[derive(Config)]` and `#[model]`.
//! Use them through the `minitrainer` crate, which re-exports them.

// Shared by every macro.
mod ctxt;
mod paths;
mod suggest;

mod config;

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

#[doc = include_str!("config/derive_docs.md")]
#[proc_macro_derive(Config, attributes(config))]
pub fn derive_config(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    config::expand(&input)
        .unwrap_or_else(|err| config::fallback(&input, err))
        .into()
}
