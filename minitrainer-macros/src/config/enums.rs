// `#[derive(Config)]` on an enum of unit variants: each variant is written as its snake_case
// name (`LeakyRelu` ↔ "leaky_relu") or its `rename`, and read from that name or any `alias`;
// a typo gets a did-you-mean over the names; the schema lists the names (not the aliases).
// Implements `Config`, `ConfigValue`, `Display`, `FromStr`, `PlainData` and `RuleValue`.

use proc_macro2::TokenStream;
use quote::quote;

use super::ast::{Container, Variant};

pub fn gen_enum(cont: &Container, variants: &[Variant]) -> TokenStream {
    let rt = crate::paths::private(cont.crate_path.as_ref());
    let ident = cont.ident;
    let type_name = ident.to_string();
    let docs = &cont.docs;
    let idents: Vec<_> = variants.iter().map(|v| v.ident).collect();
    let names: Vec<_> = variants.iter().map(|v| &v.name).collect();
    let variant_docs = variants.iter().map(|v| &v.docs);
    // Every extra spelling accepted on read, next to the variant it means.
    let (alias_idents, aliases): (Vec<_>, Vec<_>) = variants
        .iter()
        .flat_map(|v| v.aliases.iter().map(move |(alias, _)| (v.ident, alias)))
        .unzip();
    quote! {
        #[doc(hidden)]
        #[allow(unused_qualifications, clippy::all)]
        const _: () = {
            const __VARIANTS: &[&str] = &[#(#names),*];

            #[automatically_derived]
            impl #ident {
                fn __name(&self) -> &'static str {
                    match *self {
                        #(#ident::#idents => #names,)*
                    }
                }
            }

            // Kept out of rustc's "other types implement" lists: every config would be listed there,
            // which says nothing useful and changes whenever a config is added.
            #[automatically_derived]
            #[diagnostic::do_not_recommend]
            impl #rt::ConfigValue for #ident {
                fn type_name() -> ::std::string::String {
                    ::std::string::String::from(#type_name)
                }

                fn encode(&self) -> #rt::serde_json::Value {
                    #rt::serde_json::Value::String(::std::string::String::from(self.__name()))
                }

                fn decode(
                    __value: #rt::serde_json::Value,
                    __path: &#rt::FieldPath<'_>,
                    __errors: &mut #rt::Violations,
                ) -> ::core::option::Option<Self> {
                    match __value {
                        #rt::serde_json::Value::String(__text) => match __text.as_str() {
                            #(#names => ::core::option::Option::Some(#ident::#idents),)*
                            #(#aliases => ::core::option::Option::Some(#ident::#alias_idents),)*
                            _ => {
                                __errors.unknown_variant(__path, &__text, __VARIANTS);
                                ::core::option::Option::None
                            }
                        },
                        __other => {
                            __errors.wrong_type(__path, <Self as #rt::ConfigValue>::type_name(), &__other);
                            ::core::option::Option::None
                        }
                    }
                }

                fn json_schema(__defs: &mut #rt::JsonSchemaDefs) -> #rt::serde_json::Value {
                    __defs.reference(#type_name, |__defs| {
                        <Self as #rt::Config>::schema().json_schema_body(__defs)
                    })
                }
            }

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
                    ::core::result::Result::Ok(())
                }

                fn schema() -> #rt::Schema {
                    #rt::Schema::new_enum(
                        #type_name,
                        #docs,
                        ::std::vec![#(#rt::VariantSchema { name: #names, doc: #variant_docs }),*],
                    )
                }
            }

            #[automatically_derived]
            impl ::core::fmt::Display for #ident {
                fn fmt(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    __f.write_str(self.__name())
                }
            }

            #[automatically_derived]
            impl ::core::str::FromStr for #ident {
                type Err = #rt::ConfigError;

                fn from_str(__text: &str) -> ::core::result::Result<Self, #rt::ConfigError> {
                    <Self as #rt::Config>::from_value(#rt::serde_json::Value::String(
                        ::std::string::String::from(__text),
                    ))
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
        };
    }
}
