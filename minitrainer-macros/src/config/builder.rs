// The typestate builder: `XBuilder`, `X::builder()`, setters, `build()`, and `with_field`
// updates of a built config.
//
// One type parameter per *required* field, starting as the field's marker (a unit struct named
// after the field in the hidden `__fields` module) and becoming `Set<marker>` once its setter
// ran; `build()` demands `IsSet` of each, whose `on_unimplemented` message names the marker,
// i.e. the field (bon's trick). Defaulted fields cost no parameter. Values live in `Option`s;
// `__finish` (shared with JSON decoding) fills defaults and reports missing fields, so even a
// typestate bypass could not produce a half-built config.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::Gen;
use super::ast::{Default, Field, Shape};

fn state_params(g: &Gen) -> Vec<syn::Ident> {
    g.required()
        .map(|(i, _)| format_ident!("__S{}", i))
        .collect()
}

/// The builder struct, at module level so users can name it.
pub fn gen_struct(g: &Gen) -> TokenStream {
    let Gen { builder, .. } = g;
    let vis = g.cont.vis;
    let ident = g.cont.ident;
    let params = state_params(g);
    let idents = g.fields.iter().map(|f| f.ident);
    let tys = g.fields.iter().map(|f| f.ty);
    let doc = format!(
        "Builder of [`{ident}`], made by [`{ident}::builder`]: call a setter per field, then \
         [`build`]({builder}::build). Forgetting a required field is a compile error."
    );
    quote! {
        #[doc = #doc]
        #[must_use = "a builder does nothing until `.build()` is called"]
        #vis struct #builder<#(#params),*> {
            #(#idents: ::core::option::Option<#tys>,)*
            __state: ::core::marker::PhantomData<fn() -> (#(#params,)*)>,
        }
    }
}

/// One marker type per required field, named after it, for the typestate messages.
pub fn gen_markers(g: &Gen) -> TokenStream {
    let rt = &g.rt;
    let markers = g.required().map(|(_, f)| f.ident);
    quote! {
        #[doc(hidden)]
        pub mod __fields {
            #(
                #[allow(non_camel_case_types)]
                pub struct #markers;
                #[diagnostic::do_not_recommend]
                impl #rt::IsUnset for #markers {}
            )*
        }
    }
}

/// `X::builder()` and `X::with_field(..)`.
pub fn gen_constructors(g: &Gen) -> TokenStream {
    let Gen { rt, builder, .. } = g;
    let ident = g.cont.ident;
    let idents: Vec<_> = g.fields.iter().map(|f| f.ident).collect();
    let start_states = g.required().map(|(_, f)| {
        let marker = f.ident;
        quote!(__fields::#marker)
    });
    let required: Vec<String> = g.required().map(|(_, f)| format!("`{}`", f.name)).collect();
    let builder_doc = if required.is_empty() {
        "A builder; every field has a default.".to_owned()
    } else {
        format!("A builder; required fields: {}.", required.join(", "))
    };
    let withs = g.fields.iter().map(|field| {
        let name = &field.name;
        let method = format_ident!("with_{}", name);
        let member = field.ident;
        let (param_ty, convert) = setter_param(field);
        let doc = format!(
            "A copy with `{name}` replaced, validated. Needs `{ident}: Clone`.\n\n# Errors\n\
             Every rule the new value (or a cross-field check) violates; `self` is unchanged."
        );
        // `for<'__w>` defers the `Clone` bound to the call site: a config that isn't `Clone`
        // still compiles, it just has no `with_*` methods to call.
        quote! {
            #[doc = #doc]
            pub fn #method(&self, value: #param_ty) -> ::core::result::Result<Self, #rt::ConfigError>
            where
                for<'__w> Self: ::core::clone::Clone,
            {
                let mut __next = ::core::clone::Clone::clone(self);
                __next.#member = #convert;
                #rt::validate_tree(&__next)?;
                ::core::result::Result::Ok(__next)
            }
        }
    });
    quote! {
        #[automatically_derived]
        impl #ident {
            #[doc = #builder_doc]
            pub fn builder() -> #builder<#(#start_states),*> {
                #builder {
                    #(#idents: ::core::option::Option::None,)*
                    __state: ::core::marker::PhantomData,
                }
            }

            #(#withs)*
        }
    }
}

/// The type a setter takes, and the expression turning `value` into the field's type:
/// `impl Into<String>` for strings, so `.name("mlp")` works.
fn setter_param(field: &Field) -> (TokenStream, TokenStream) {
    let ty = field.ty;
    match field.shape {
        Shape::String => (
            quote!(impl ::core::convert::Into<#ty>),
            quote!(::core::convert::Into::into(value)),
        ),
        _ => (quote!(#ty), quote!(value)),
    }
}

pub fn gen_builder_impl(g: &Gen) -> TokenStream {
    let Gen { rt, builder, .. } = g;
    let ident = g.cont.ident;
    let params = state_params(g);
    let idents: Vec<_> = g.fields.iter().map(|f| f.ident).collect();
    let retype_params: Vec<_> = params.iter().map(|p| format_ident!("__T{}", p)).collect();
    let n = g.fields.len();

    let mut required_index = 0;
    let setters = g.fields.iter().map(|field| {
        let member = field.ident;
        let doc = setter_doc(field);
        let (param_ty, convert) = setter_param(field);
        if field.default.is_required() {
            let i = required_index;
            required_index += 1;
            let this = &params[i];
            let next_states = params.iter().enumerate().map(|(j, p)| {
                if j == i { quote!(#rt::Set<__fields::#member>) } else { quote!(#p) }
            });
            quote! {
                #[doc = #doc]
                pub fn #member(self, value: #param_ty) -> #builder<#(#next_states),*>
                where
                    #this: #rt::IsUnset,
                {
                    let mut __next = self.__retype();
                    __next.#member = ::core::option::Option::Some(#convert);
                    __next
                }
            }
        } else if let Shape::Option(inner, _) = &field.shape {
            let maybe = format_ident!("maybe_{}", field.name);
            quote! {
                #[doc = #doc]
                pub fn #member(mut self, value: #inner) -> Self {
                    self.#member = ::core::option::Option::Some(::core::option::Option::Some(value));
                    self
                }

                #[doc = #doc]
                pub fn #maybe(mut self, value: #param_ty) -> Self {
                    self.#member = ::core::option::Option::Some(value);
                    self
                }
            }
        } else {
            quote! {
                #[doc = #doc]
                pub fn #member(mut self, value: #param_ty) -> Self {
                    self.#member = ::core::option::Option::Some(#convert);
                    self
                }
            }
        }
    });

    let values: Vec<_> = (0..n).map(|i| format_ident!("__v{}", i)).collect();
    let finish_fields = g
        .fields
        .iter()
        .zip(&values)
        .enumerate()
        .map(|(i, (field, v))| {
            let member = field.ident;
            let name = &field.name;
            let absent = match &field.default {
                Default::None => quote! {{
                    __errors.missing(&__path.field(#name));
                    ::core::option::Option::None
                }},
                Default::Expr(_) => {
                    let default_fn = super::json::default_fn_ident(field);
                    quote!(::core::option::Option::Some(#default_fn()))
                }
                Default::OptionNone => {
                    quote!(::core::option::Option::Some(::core::option::Option::None))
                }
            };
            quote! {
                let #v = match self.#member {
                    ::core::option::Option::Some(__value) => ::core::option::Option::Some(__value),
                    ::core::option::Option::None if __seen[#i] => ::core::option::Option::None,
                    ::core::option::Option::None => #absent,
                };
            }
        });

    quote! {
        #[automatically_derived]
        impl<#(#params),*> #builder<#(#params),*> {
            #(#setters)*

            /// Builds the config, checking every rule.
            ///
            /// # Errors
            /// Every violated rule at once, each naming the field, the rule and the value.
            pub fn build(self) -> ::core::result::Result<#ident, #rt::ConfigError>
            where
                #(#params: #rt::IsSet,)*
            {
                let mut __errors = #rt::Violations::new();
                let __config = self.__finish(&#rt::FieldPath::root(), &mut __errors, &[false; #n]);
                __errors.into_result()?;
                match __config {
                    ::core::option::Option::Some(__config) => {
                        #rt::validate_tree(&__config)?;
                        ::core::result::Result::Ok(__config)
                    }
                    ::core::option::Option::None => ::core::result::Result::Err(
                        #rt::ConfigError::Invalid(#rt::Violations::new()),
                    ),
                }
            }

            fn __retype<#(#retype_params),*>(self) -> #builder<#(#retype_params),*> {
                #builder {
                    #(#idents: self.#idents,)*
                    __state: ::core::marker::PhantomData,
                }
            }

            /// Fills defaults and reports missing fields (except those whose JSON value was
            /// present but bad, `__seen`, already reported). Shared by `build` and decoding.
            #[doc(hidden)]
            pub fn __finish(
                self,
                __path: &#rt::FieldPath<'_>,
                __errors: &mut #rt::Violations,
                __seen: &[bool; #n],
            ) -> ::core::option::Option<#ident> {
                #(#finish_fields)*
                match (#(#values,)*) {
                    (#(::core::option::Option::Some(#values),)*) => {
                        ::core::option::Option::Some(#ident { #(#idents: #values,)* })
                    }
                    #[allow(unreachable_patterns)]
                    _ => ::core::option::Option::None,
                }
            }
        }
    }
}

fn setter_doc(field: &Field) -> String {
    let what = match &field.default {
        Default::None => "Sets the required field",
        Default::Expr(_) | Default::OptionNone => "Sets the field",
    };
    if field.docs.is_empty() {
        format!("{what} `{}`.", field.name)
    } else {
        format!("{what} `{}`: {}", field.name, field.docs)
    }
}
