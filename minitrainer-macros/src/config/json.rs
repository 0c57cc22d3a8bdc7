// JSON glue of a config struct: decoding (every problem collected with its dotted path),
// encoding, the one-line `Display`, and the default-value functions both the builder and the
// schema call (so a default of the wrong type is reported once, at the user's expression).

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use super::Gen;
use super::ast::{Default, Field};

pub fn default_fn_ident(field: &Field) -> syn::Ident {
    format_ident!("__default_{}", field.name)
}

/// `fn __default_hidden() -> Vec<usize> { vec![128] }`, the user's expression spanned as
/// written so a type mismatch points at it.
pub fn gen_default_fns(g: &Gen) -> TokenStream {
    let fns = g.fields.iter().filter_map(|field| {
        let Default::Expr(expr) = &field.default else {
            return None;
        };
        let ident = default_fn_ident(field);
        let ty = field.ty;
        let body = quote_spanned!(expr.span()=> let __default: #ty = #expr; __default);
        Some(quote! {
            fn #ident() -> #ty {
                #body
            }
        })
    });
    quote!(#(#fns)*)
}

pub fn gen_decode(g: &Gen) -> TokenStream {
    let rt = &g.rt;
    let ident = g.cont.ident;
    let n = g.fields.len();
    let names: Vec<&String> = g.fields.iter().map(|f| &f.name).collect();
    let arms = g.fields.iter().enumerate().map(|(i, field)| {
        let name = &field.name;
        let member = field.ident;
        let ty = field.ty;
        let decode = quote_spanned!(ty.span()=> <#ty as #rt::ConfigValue>::decode);
        quote! {
            #name => {
                __seen[#i] = true;
                __builder.#member = #decode(__item, &__path.field(#name), __errors);
            }
        }
    });
    quote! {
        fn decode(
            __value: #rt::serde_json::Value,
            __path: &#rt::FieldPath<'_>,
            __errors: &mut #rt::Violations,
        ) -> ::core::option::Option<Self> {
            const __FIELDS: &[&str] = &[#(#names),*];
            let __map = match __value {
                #rt::serde_json::Value::Object(__map) => __map,
                __other => {
                    __errors.wrong_type(__path, <Self as #rt::ConfigValue>::type_name(), &__other);
                    return ::core::option::Option::None;
                }
            };
            let mut __builder = #ident::builder();
            let mut __seen = [false; #n];
            for (__key, __item) in __map {
                match __key.as_str() {
                    #(#arms)*
                    _ => __errors.unknown_field(__path, &__key, __FIELDS),
                }
            }
            __builder.__finish(__path, __errors, &__seen)
        }
    }
}

pub fn gen_encode(g: &Gen) -> TokenStream {
    let rt = &g.rt;
    let n = g.fields.len();
    let inserts = g.fields.iter().map(|field| {
        let name = &field.name;
        let member = field.ident;
        // Spanned on the field type, like every per-field trait call: a type that is not a
        // `ConfigValue` then yields one error, at the field, instead of one per call site.
        let ty = field.ty;
        let encode = quote_spanned!(ty.span()=> <#ty as #rt::ConfigValue>::encode);
        quote! {
            __map.insert(::std::string::String::from(#name), #encode(&self.#member));
        }
    });
    quote! {
        fn encode(&self) -> #rt::serde_json::Value {
            let mut __map = #rt::serde_json::Map::with_capacity(#n);
            #(#inserts)*
            #rt::serde_json::Value::Object(__map)
        }
    }
}

/// `MlpConfig { in_dim: 64, hidden: [128], dropout: 0.0 }`: Rust-like, values as JSON.
pub fn gen_fmt_value(g: &Gen) -> TokenStream {
    let rt = &g.rt;
    let ident = g.cont.ident.to_string();
    let fields = g.fields.iter().enumerate().map(|(i, field)| {
        let member = field.ident;
        let label = if i == 0 {
            format!(" {}: ", field.name)
        } else {
            format!(", {}: ", field.name)
        };
        let ty = field.ty;
        let fmt_value = quote_spanned!(ty.span()=> <#ty as #rt::ConfigValue>::fmt_value);
        quote! {
            __f.write_str(#label)?;
            #fmt_value(&self.#member, __f)?;
        }
    });
    let close = if g.fields.is_empty() { "}" } else { " }" };
    quote! {
        fn fmt_value(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
            __f.write_str(#ident)?;
            __f.write_str(" {")?;
            #(#fields)*
            __f.write_str(#close)
        }
    }
}
