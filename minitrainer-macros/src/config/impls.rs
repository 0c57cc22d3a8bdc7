// The trait impls of a config struct: `Config`, `ConfigValue` (what lets it nest), `Display`,
// `PlainData` (it may sit in a `#[derive(Module)]` struct) and `RuleValue` (a `validate` rule
// may look at a nested config).

use proc_macro2::TokenStream;
use quote::quote;

use super::Gen;
use super::{json, rules, schema};

pub fn gen_impls(g: &Gen) -> TokenStream {
    let rt = &g.rt;
    let ident = g.cont.ident;
    let name = ident.to_string();
    let schema = schema::gen_schema(g);
    let decode = json::gen_decode(g);
    let encode = json::gen_encode(g);
    let fmt_value = json::gen_fmt_value(g);
    let validate_nested = rules::gen_validate_nested(g);
    let default = gen_default(g);
    quote! {
        #default

        #[automatically_derived]
        impl #rt::Config for #ident {
            fn from_value(
                __value: #rt::serde_json::Value,
            ) -> ::core::result::Result<Self, #rt::ConfigError> {
                #rt::decode_and_validate(__value)
            }

            fn to_value(&self) -> #rt::serde_json::Value {
                #rt::ConfigValue::encode(self)
            }

            fn validate(&self) -> ::core::result::Result<(), #rt::ConfigError> {
                #rt::validate_tree(self)
            }

            #schema
        }

        // Kept out of rustc's "other types implement" lists: every config would be listed there,
        // which says nothing useful and changes whenever a config is added.
        #[automatically_derived]
        #[diagnostic::do_not_recommend]
        impl #rt::ConfigValue for #ident {
            fn type_name() -> ::std::string::String {
                ::std::string::String::from(#name)
            }

            #encode
            #decode
            #validate_nested

            fn json_schema(__defs: &mut #rt::JsonSchemaDefs) -> #rt::serde_json::Value {
                __defs.reference(#name, |__defs| {
                    <Self as #rt::Config>::schema().json_schema_body(__defs)
                })
            }

            #fmt_value
        }

        #[automatically_derived]
        impl ::core::fmt::Display for #ident {
            fn fmt(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                #rt::ConfigValue::fmt_value(self, __f)
            }
        }

        #[automatically_derived]
        #[diagnostic::do_not_recommend]
        impl #rt::PlainData for #ident {}

        #[automatically_derived]
        impl #rt::rules::RuleValue for #ident {
            type Item = Self;
            fn rule_item(&self) -> ::core::option::Option<&Self> {
                ::core::option::Option::Some(self)
            }
        }
    }
}

/// `Default` when every field has a default: the builder with nothing set. A default that breaks
/// the config's own rules is a bug in the source, so it panics, naming every violation.
fn gen_default(g: &Gen) -> TokenStream {
    if g.fields.iter().any(|f| f.default.is_required()) {
        return TokenStream::new();
    }
    let ident = g.cont.ident;
    let message = format!("the defaults of `{ident}` violate its rules: {{}}");
    quote! {
        #[automatically_derived]
        impl ::core::default::Default for #ident {
            fn default() -> Self {
                match #ident::builder().build() {
                    ::core::result::Result::Ok(__config) => __config,
                    ::core::result::Result::Err(__error) => ::core::panic!(#message, __error),
                }
            }
        }
    }
}
