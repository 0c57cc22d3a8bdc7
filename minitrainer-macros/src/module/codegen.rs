// Codegen of `#[derive(Module)]`: infallible, from a checked `Container`. One `gen_*` per
// generated method; everything inside `const _: () = { ... };`, runtime paths via `paths`.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::ext::IdentExt;
use syn::spanned::Spanned;

use super::ast::{Container, Data, Field, Variant};
use crate::paths;

pub fn module(cont: &Container) -> TokenStream {
    let private = paths::private(cont.crate_path.as_ref());
    let ident = cont.ident;
    let (impl_generics, ty_generics, _) = cont.generics.split_for_impl();
    let where_clause = gen_where(cont, &private);
    let body = match &cont.data {
        Data::Struct(fields) => gen_struct(cont, fields, &private),
        Data::Enum(variants) => gen_enum(variants, &private),
    };
    quote! {
        const _: () = {
            #[automatically_derived]
            impl #impl_generics #private::Module for #ident #ty_generics #where_clause {
                #body
            }

            #[automatically_derived]
            impl #impl_generics #private::ModuleField for #ident #ty_generics #where_clause {
                fn holds_state() -> bool {
                    true
                }

                fn visit_field<'__a>(
                    &'__a self,
                    __name: #private::FieldName<'_>,
                    __visitor: &mut dyn #private::Visitor<'__a>,
                ) {
                    #private::visit_child(self, __name, __visitor);
                }

                fn visit_field_mut(
                    &mut self,
                    __name: #private::FieldName<'_>,
                    __visitor: &mut dyn #private::VisitorMut,
                ) {
                    #private::visit_child_mut(self, __name, __visitor);
                }

                fn collect_field_params<'__a>(
                    &'__a self,
                    __name: &::core::primitive::str,
                    __out: &mut #private::ParamCollector<'__a>,
                ) {
                    #private::collect_child(self, __name, __out);
                }
            }
        };
    }
}

/// The user's where clause plus, spanned on each field type, the bound that the type can be
/// walked — so "`X` is not a Module or plain data" points at the field — and `'static` for
/// every type parameter (modules are `Any`).
fn gen_where(cont: &Container, private: &TokenStream) -> TokenStream {
    let existing = cont
        .generics
        .where_clause
        .as_ref()
        .map(|w| {
            let predicates = &w.predicates;
            quote!(#predicates,)
        })
        .unwrap_or_default();
    let statics = cont.generics.type_params().map(|param| {
        let ident = &param.ident;
        quote!(#ident: 'static,)
    });
    let fields: Vec<TokenStream> = match &cont.data {
        Data::Struct(fields) => fields
            .iter()
            .filter(|f| !f.skip)
            .map(|f| {
                let ty = f.ty;
                let bound = respan(quote!(#private::ModuleField), ty.span());
                quote_spanned!(ty.span()=> #ty: #bound,)
            })
            .collect(),
        Data::Enum(variants) => variants
            .iter()
            .filter_map(|v| v.field.as_ref())
            .map(|f| {
                let ty = f.ty;
                let bound = respan(quote!(#private::Module), ty.span());
                quote_spanned!(ty.span()=> #ty: #bound,)
            })
            .collect(),
    };
    quote!(where #existing #(#statics)* #(#fields)*)
}

/// `tokens` with every span set to `span`: a bound whose tokens all point at the field type
/// is reported there (mixed spans make rustc fall back to the derive attribute).
fn respan(tokens: TokenStream, span: proc_macro2::Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut tree| {
            if let proc_macro2::TokenTree::Group(group) = &tree {
                let mut inner =
                    proc_macro2::Group::new(group.delimiter(), respan(group.stream(), span));
                inner.set_span(span);
                tree = proc_macro2::TokenTree::Group(inner);
            }
            tree.set_span(span);
            tree
        })
        .collect()
}

fn gen_struct(cont: &Container, fields: &[Field], private: &TokenStream) -> TokenStream {
    let type_name = cont.ident.to_string();
    let walked: Vec<&Field> = fields.iter().filter(|f| !f.skip).collect();
    let name = |f: &Field| {
        let name = &f.name;
        let aliases = &f.aliases;
        quote!(#private::FieldName::with_aliases(#name, &[#(#aliases),*]))
    };
    let visits = walked.iter().map(|f| {
        let (member, name) = (&f.member, name(f));
        quote!(#private::ModuleField::visit_field(&self.#member, #name, __visitor);)
    });
    let visits_mut = walked.iter().map(|f| {
        let (member, name) = (&f.member, name(f));
        quote!(#private::ModuleField::visit_field_mut(&mut self.#member, #name, __visitor);)
    });
    // The parameter walk of `named_parameters`: the same fields, names without aliases.
    let collects = walked.iter().map(|f| {
        let (member, name) = (&f.member, &f.name);
        quote!(#private::ModuleField::collect_field_params(&self.#member, #name, __out);)
    });
    quote! {
        fn visit<'__a>(&'__a self, __visitor: &mut dyn #private::Visitor<'__a>) {
            #(#visits)*
        }

        fn visit_mut(&mut self, __visitor: &mut dyn #private::VisitorMut) {
            #(#visits_mut)*
        }

        fn collect_params<'__a>(&'__a self, __out: &mut #private::ParamCollector<'__a>) {
            #(#collects)*
            let _ = __out;
        }

        fn type_name(&self) -> &'static str {
            #type_name
        }
    }
}

/// Enums are transparent: each method delegates to the variant's module, so
/// `enum Act { Relu(ReLU), Gelu(GELU) }` names, prints and trains as the layer it holds.
/// A unit variant is a module with nothing in it, printed under the variant's name.
fn gen_enum(variants: &[Variant], private: &TokenStream) -> TokenStream {
    // `call` on the variant's module, or `unit(variant name)` for a unit variant.
    let arms = |call: TokenStream, unit: &dyn Fn(&str) -> TokenStream| {
        let arms = variants.iter().map(|v| {
            let ident = v.ident;
            match &v.field {
                Some(field) => {
                    let member = &field.member;
                    quote!(Self::#ident { #member: __inner } => #private::Module::#call)
                }
                None => {
                    let unit = unit(&ident.unraw().to_string());
                    quote!(Self::#ident { .. } => #unit)
                }
            }
        });
        quote!(match self { #(#arms,)* })
    };
    let nothing = |_: &str| quote!({});
    let visit = arms(quote!(visit(__inner, __visitor)), &nothing);
    let visit_mut = arms(quote!(visit_mut(__inner, __visitor)), &nothing);
    let type_name = arms(quote!(type_name(__inner)), &|name| quote!(#name));
    let extra_repr = arms(quote!(extra_repr(__inner)), &|_| {
        quote!(::std::string::String::new())
    });
    let local_training = arms(quote!(local_training(__inner)), &|_| {
        quote!(::core::option::Option::None)
    });
    let set_local_training = arms(quote!(set_local_training(__inner, __training)), &nothing);
    quote! {
        fn visit<'__a>(&'__a self, __visitor: &mut dyn #private::Visitor<'__a>) {
            #visit
        }

        fn visit_mut(&mut self, __visitor: &mut dyn #private::VisitorMut) {
            #visit_mut
        }

        fn type_name(&self) -> &'static str {
            #type_name
        }

        fn extra_repr(&self) -> ::std::string::String {
            #extra_repr
        }

        fn local_training(&self) -> ::core::option::Option<bool> {
            #local_training
        }

        fn set_local_training(&mut self, __training: bool) {
            #set_local_training
        }
    }
}
