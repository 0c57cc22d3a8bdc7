// Code generation for `#[model]`: infallible, from the checked IR.
//
// Output, inside `const _: () = { ... };` so nothing leaks into the user's namespace:
// - `__minitrainer_build_<Ident>`: a named build fn (config fields → boxed model); a named fn,
//   not a closure, because `inventory::submit!` needs a const expression;
// - `impl Registered for <Ident>`: the `ModelEntry` as an associated const, for typed access
//   (`Mlp::from_config_str`) and explicit registration (`Registry::register_type::<Mlp>()`);
// - `inventory::submit!` of that entry: link-time registration;
// - an assertion, spanned on the `config = ...` type, that it is the model's `Build::Config`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::ext::IdentExt;
use syn::spanned::Spanned;

use super::ast::Model;
use crate::paths;

pub fn generate(model: &Model) -> TokenStream {
    let private = paths::private(model.crate_path.as_ref());
    let ident = &model.ident;
    let name = &model.name;
    let build_fn = format_ident!("__minitrainer_build_{}", ident.unraw());
    let type_name = ident.unraw().to_string();
    let config = &model.config;
    let assert_config = gen_assert_config(model, &private);
    quote! {
        const _: () = {
            // Named after the type, as written (`__minitrainer_build_Mlp`).
            #[allow(non_snake_case)]
            fn #build_fn(
                __fields: #private::JsonMap,
                __init: &mut #private::Init,
            ) -> ::core::result::Result<::std::boxed::Box<dyn #private::Model>, #private::Error> {
                #private::build_boxed::<#ident>(__fields, __init)
            }

            #[automatically_derived]
            impl #private::Registered for #ident {
                const ENTRY: #private::ModelEntry = #private::ModelEntry {
                    name: #name,
                    type_name: ::core::concat!(::core::module_path!(), "::", #type_name),
                    build: #build_fn,
                    schema: #private::schema_of::<#ident>,
                };

                // `Some` when the model's forward maps a tensor to a tensor: autoref
                // specialisation on the concrete type (see `LayerProbe`).
                fn __as_layer(&self) -> ::core::option::Option<&dyn #private::Layer> {
                    #[allow(unused_imports)]
                    use #private::{ProbeLayer as _, ProbeOther as _};
                    (&#private::LayerProbe(self)).probe()
                }
            }

            #private::inventory::submit! { <#ident as #private::Registered>::ENTRY }

            // Lets the config read a saved `config.json` (its `model_type` is this model's).
            #private::inventory::submit! {
                #private::ModelTypeOf {
                    model_type: #name,
                    config: #private::type_id_of::<#config>,
                }
            }

            #assert_config
        };
    }
}

/// `config = X` must be the `type Config` of `impl Build for Model`; the error lands on `X`.
fn gen_assert_config(model: &Model, private: &TokenStream) -> TokenStream {
    let ident = &model.ident;
    let config = &model.config;
    let assertion = quote_spanned!(config.span()=> #private::assert_config_of::<#config, #ident>);
    quote! {
        const _: fn() = #assertion;
    }
}
