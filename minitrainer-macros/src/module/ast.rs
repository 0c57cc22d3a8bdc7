// The IR of `#[derive(Module)]`: the input resolved into what codegen needs (state-dict names
// unraw'd and renamed, skip decided), borrowing syn and keeping spans for the checks.
//
// Entry point: `Container::from_ast`. Shape errors (unions, enum variants with several fields)
// are reported here because the IR can't represent them; attribute errors come from `attr`.

use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::spanned::Spanned;

use super::attr::{self, ContainerAttrs, FieldAttrs};
use crate::ctxt::Ctxt;

pub struct Container<'a> {
    pub ident: &'a syn::Ident,
    pub generics: &'a syn::Generics,
    pub data: Data<'a>,
    pub crate_path: Option<syn::Path>,
}

pub enum Data<'a> {
    Struct(Vec<Field<'a>>),
    Enum(Vec<Variant<'a>>),
}

pub struct Field<'a> {
    /// `self.<member>`: an ident, or an index for tuple structs.
    pub member: syn::Member,
    /// State-dict name: `rename`, else the unraw'd field name or the index.
    pub name: String,
    /// Where a problem with `name` is reported: the `rename` literal, else the field.
    pub name_span: Span,
    pub aliases: Vec<syn::LitStr>,
    pub ty: &'a syn::Type,
    pub skip: bool,
    pub attrs: FieldAttrs,
}

pub struct Variant<'a> {
    pub ident: &'a syn::Ident,
    /// The one field of a newtype variant; `None` for a unit variant (a module with nothing).
    pub field: Option<VariantField<'a>>,
}

pub struct VariantField<'a> {
    pub member: syn::Member,
    pub ty: &'a syn::Type,
}

impl<'a> Container<'a> {
    /// `None` only for a union (an error has then been pushed).
    pub fn from_ast(cx: &Ctxt, input: &'a syn::DeriveInput) -> Option<Self> {
        let ContainerAttrs { crate_path } = attr::container(cx, &input.attrs);
        let data = match &input.data {
            syn::Data::Struct(data) => Data::Struct(fields(cx, &data.fields)),
            syn::Data::Enum(data) => {
                Data::Enum(data.variants.iter().map(|v| variant(cx, v)).collect())
            }
            syn::Data::Union(data) => {
                cx.error_spanned_by(
                    data.union_token,
                    "`Module` can't be derived for a union; use a struct, or an enum whose \
                     variants each hold one module",
                );
                return None;
            }
        };
        Some(Container {
            ident: &input.ident,
            generics: &input.generics,
            data,
            crate_path: crate_path.take(),
        })
    }
}

fn fields<'a>(cx: &Ctxt, fields: &'a syn::Fields) -> Vec<Field<'a>> {
    fields
        .iter()
        .enumerate()
        .map(|(index, field)| {
            let attrs = attr::field(cx, &field.attrs);
            let (member, default_name) = match &field.ident {
                Some(ident) => (syn::Member::Named(ident.clone()), ident.unraw().to_string()),
                None => (
                    syn::Member::Unnamed(syn::Index {
                        index: index as u32,
                        span: field.ty.span(),
                    }),
                    index.to_string(),
                ),
            };
            let (name, name_span) = match attrs.rename.get() {
                Some(lit) => (lit.value(), lit.span()),
                None => (default_name, field_span(field)),
            };
            Field {
                member,
                name,
                name_span,
                aliases: attrs.aliases.iter().map(|(_, lit)| lit.clone()).collect(),
                ty: &field.ty,
                skip: attrs.skip.get().is_some(),
                attrs,
            }
        })
        .collect()
}

fn field_span(field: &syn::Field) -> Span {
    match &field.ident {
        Some(ident) => ident.span(),
        None => field.ty.span(),
    }
}

fn variant<'a>(cx: &Ctxt, variant: &'a syn::Variant) -> Variant<'a> {
    attr::reject(cx, &variant.attrs, "enum variants");
    for field in &variant.fields {
        attr::reject(cx, &field.attrs, "enum variant fields");
    }
    let field = match variant.fields.len() {
        0 => None,
        1 => variant.fields.iter().next().map(|field| VariantField {
            member: match &field.ident {
                Some(ident) => syn::Member::Named(ident.clone()),
                None => syn::Member::Unnamed(syn::Index {
                    index: 0,
                    span: field.ty.span(),
                }),
            },
            ty: &field.ty,
        }),
        n => {
            cx.error_spanned_by(
                &variant.fields,
                format!(
                    "enum variant `{}` has {n} fields; a module enum's variants hold exactly one \
                     module each (or none); wrap the fields in a `#[derive(Module)]` struct",
                    variant.ident
                ),
            );
            None
        }
    };
    Variant {
        ident: &variant.ident,
        field,
    }
}
