// Output when expansion fails: the errors plus stub impls of the derived traits (thiserror's
// `fallback.rs`), so that `X::from_json(..)` elsewhere doesn't add "`X` is not a `Config`"
// errors on top of the real one. Nothing is stubbed when the input is unusable for an impl
// (a union, a generic type): those errors stand alone.

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use super::attr::ContainerAttrs;
use crate::ctxt::Ctxt;

pub fn fallback(input: &DeriveInput, error: syn::Error) -> TokenStream {
    let errors = error.to_compile_error();
    if matches!(input.data, syn::Data::Union(_)) || !input.generics.params.is_empty() {
        return errors;
    }
    // The attributes were already reported on; parse them again only for `crate = ..`.
    let cx = Ctxt::new();
    let crate_path = ContainerAttrs::from_attrs(&cx, &input.attrs).crate_path;
    let _already_reported = cx.check();
    let rt = crate::paths::private(crate_path.as_ref());
    let ident = &input.ident;
    quote! {
        #errors

        #[allow(unused_qualifications, unused_variables)]
        const _: () = {
            impl #rt::Config for #ident {
                fn from_value(
                    __value: #rt::serde_json::Value,
                ) -> ::core::result::Result<Self, #rt::ConfigError> {
                    ::core::unreachable!()
                }
                fn to_value(&self) -> #rt::serde_json::Value {
                    ::core::unreachable!()
                }
                fn validate(&self) -> ::core::result::Result<(), #rt::ConfigError> {
                    ::core::unreachable!()
                }
                fn schema() -> #rt::Schema {
                    ::core::unreachable!()
                }
            }

            impl #rt::ConfigValue for #ident {
                fn type_name() -> ::std::string::String {
                    ::core::unreachable!()
                }
                fn encode(&self) -> #rt::serde_json::Value {
                    ::core::unreachable!()
                }
                fn decode(
                    __value: #rt::serde_json::Value,
                    __path: &#rt::FieldPath<'_>,
                    __errors: &mut #rt::Violations,
                ) -> ::core::option::Option<Self> {
                    ::core::unreachable!()
                }
                fn json_schema(__defs: &mut #rt::JsonSchemaDefs) -> #rt::serde_json::Value {
                    ::core::unreachable!()
                }
            }

            impl ::core::fmt::Display for #ident {
                fn fmt(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    ::core::unreachable!()
                }
            }

            impl #rt::PlainData for #ident {}
        };
    }
}
