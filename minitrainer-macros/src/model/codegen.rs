// Code generation for `#[model]`: infallible, from the checked IR.
//
// Output, inside `const _: () = { ... };` so nothing leaks into the user's namespace:
// - `__minitrainer_build_<Ident>`: a named build fn (config fields → boxed model); a named fn,
//   not a closure, because `inventory::submit!` needs a const expression;
// - `impl Registered for <Ident>`: the `ModelEntry` as an associated const, for typed access
//   (`Mlp::from_config_str`) and explicit registration (`Registry::register_type::<Mlp>()`);
// - `inventory::submit!` of that entry, read through `model_entry::<Ident, Config>()`;
// - `inventory::submit!` of the config ↔ model-type pair, so `Config::from_json` accepts the
//   `model_type` of a saved `config.json`;
// - in the impl, `__as_layer`: `Some(self)` when the model's forward maps a tensor to a tensor,
//   found by autoref specialisation on the concrete type (`LayerProbe`), so `Box<dyn Model>`
//   can call it without naming the type.
//
// Why `model_entry` and the `where for<'__a> Ident: Build` clauses: a missing `impl Build` (or one
// naming another config) must be ONE error, on the model's name. `model_entry`'s bound
// `M: Registered + Build<Config = C>` is the only place that requires it, and rustc blames the
// `M` argument (spanned on the ident) for both mistakes. The impl and the build fn would
// otherwise each repeat the error (supertrait `Build`, `build_boxed::<Ident>`); the clause makes
// them assume `Build` instead of requiring it. It names a lifetime so that it is not a
// "trivial bound", which stable rustc rejects when it doesn't hold: unsatisfied, the impl merely
// doesn't apply, and `model_entry` reports why.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::ext::IdentExt;

use super::ast::Registration;
use crate::paths;

pub fn generate(model: &Registration) -> TokenStream {
    let private = paths::private(model.crate_path);
    let ident = model.ident;
    let config = model.config;
    let name = model.name;
    let build_fn = format_ident!("__minitrainer_build_{}", ident.unraw());
    let registered = gen_registered(model, &private, &build_fn);
    quote! {
        const _: () = {
            // Named after the type, as written (`__minitrainer_build_Mlp`).
            #[allow(non_snake_case)]
            fn #build_fn(
                __fields: #private::JsonMap,
                __init: &mut #private::Init,
            ) -> ::core::result::Result<::std::boxed::Box<dyn #private::Model>, #private::Error>
            where
                for<'__a> #ident: #private::Build,
            {
                #private::build_boxed::<#ident>(__fields, __init)
            }

            #registered

            #private::inventory::submit! { #private::model_entry::<#ident, #config>() }

            #private::inventory::submit! {
                #private::ModelTypeOf {
                    model_type: #name,
                    config: #private::type_id_of::<#config>,
                }
            }
        };
    }
}

/// `impl Registered`, assuming (not requiring) `Build`: see the file header.
fn gen_registered(
    model: &Registration,
    private: &TokenStream,
    build_fn: &syn::Ident,
) -> TokenStream {
    let ident = model.ident;
    let name = model.name;
    let type_name = ident.unraw().to_string();
    quote! {
        #[automatically_derived]
        impl #private::Registered for #ident
        where
            for<'__a> #ident: #private::Build,
        {
            const ENTRY: #private::ModelEntry = #private::ModelEntry {
                name: #name,
                type_name: ::core::concat!(::core::module_path!(), "::", #type_name),
                build: #build_fn,
                schema: #private::schema_of::<#ident>,
            };

            fn __as_layer(&self) -> ::core::option::Option<&dyn #private::Layer> {
                #[allow(unused_imports)]
                use #private::{ProbeLayer as _, ProbeOther as _};
                (&#private::LayerProbe(self)).probe()
            }
        }
    }
}
