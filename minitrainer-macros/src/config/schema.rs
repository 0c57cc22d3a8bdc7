// `Config::schema()` of a config struct: one `FieldSchema` per field, with the default and
// the bounds evaluated through the same functions the builder and `validate` use.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote, quote_spanned};
use syn::spanned::Spanned;

use super::Gen;
use super::ast::Default;
use super::attr::RuleKind;
use super::json::default_fn_ident;
use super::rules::bound_fn_ident;

/// A path as the user wrote it, without the spaces token printing adds.
pub fn path_text(path: &impl ToTokens) -> String {
    path.to_token_stream().to_string().replace(' ', "")
}

pub fn gen_schema(g: &Gen) -> TokenStream {
    let rt = &g.rt;
    let name = g.cont.ident.to_string();
    let docs = &g.cont.docs;
    let fields = g.fields.iter().map(|field| {
        let field_name = &field.name;
        let ty = field.ty;
        let field_docs = &field.docs;
        let default = match &field.default {
            Default::None => quote!(::core::option::Option::None),
            Default::Expr(_) => {
                let default_fn = default_fn_ident(field);
                quote!(::core::option::Option::Some(#rt::ConfigValue::encode(&#default_fn())))
            }
            Default::OptionNone => {
                quote!(::core::option::Option::Some(#rt::serde_json::Value::Null))
            }
        };
        let constraints = field.rules.iter().map(|rule| {
            let bound = bound_fn_ident(field, rule);
            match &rule.kind {
                RuleKind::Min(_) => {
                    quote!(#rt::Constraint::Min(#rt::ConfigValue::encode(&#bound())))
                }
                RuleKind::Max(_) => {
                    quote!(#rt::Constraint::Max(#rt::ConfigValue::encode(&#bound())))
                }
                RuleKind::Range { .. } => quote! {{
                    let (__start, __end, __inclusive) = #bound();
                    #rt::Constraint::Range {
                        start: #rt::ConfigValue::encode(&__start),
                        end: #rt::ConfigValue::encode(&__end),
                        inclusive: __inclusive,
                    }
                }},
                RuleKind::OneOf(_) => quote! {
                    #rt::Constraint::OneOf(#bound().iter().map(#rt::ConfigValue::encode).collect())
                },
                RuleKind::NonEmpty => quote!(#rt::Constraint::NonEmpty),
                RuleKind::Validate(path) => {
                    let text = path_text(path);
                    quote!(#rt::Constraint::Validate(#text))
                }
            }
        });
        let value_trait = quote_spanned!(ty.span()=> <#ty as #rt::ConfigValue>);
        quote! {
            #rt::FieldSchema::new(
                #field_name,
                #value_trait::type_name(),
                #default,
                ::std::vec![#(#constraints),*],
                #field_docs,
                #value_trait::json_schema,
            )
        }
    });
    let checks = g.cont.checks.iter().map(path_text);
    quote! {
        fn schema() -> #rt::Schema {
            #rt::Schema::new_struct(
                #name,
                #docs,
                ::std::vec![#(#fields),*],
                ::std::vec![#(#checks),*],
            )
        }
    }
}
