// The IR of `#[derive(Config)]`: the input, resolved. Borrowed from syn where possible.
//
// Entry point: `Container::from_ast`. Structural misuse (a union, an enum with data, a tuple
// struct, generics) is reported into `Ctxt` here; `None` comes back only when there is nothing
// to generate, and then an error was always recorded.

use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::{Data as SynData, DeriveInput, Expr, Fields, Type};

use super::attr::{self, ContainerAttrs, FieldAttrs, Rule, VariantAttrs};
use crate::ctxt::Ctxt;

pub struct Container<'a> {
    pub ident: &'a syn::Ident,
    pub vis: &'a syn::Visibility,
    pub crate_path: Option<syn::Path>,
    pub checks: Vec<syn::Path>,
    pub docs: String,
    pub data: Data<'a>,
}

pub enum Data<'a> {
    Struct(Vec<Field<'a>>),
    Enum(Vec<Variant<'a>>),
}

pub struct Field<'a> {
    /// The field's identifier (possibly raw, `r#type`).
    pub ident: &'a syn::Ident,
    /// Its name in JSON and messages, unraw'd (`type`).
    pub name: String,
    pub ty: &'a Type,
    pub shape: Shape<'a>,
    pub default: Default,
    pub rules: Vec<Rule>,
    pub docs: String,
}

pub enum Default {
    /// Required: no default.
    None,
    /// `#[config(default = expr)]`.
    Expr(Expr),
    /// An `Option<T>` field without a default: `None`.
    OptionNone,
}

impl Default {
    pub fn is_required(&self) -> bool {
        matches!(self, Default::None)
    }
}

pub struct Variant<'a> {
    pub ident: &'a syn::Ident,
    /// The JSON name, written and read: `rename = ".."`, else the variant's name in
    /// snake_case (`LeakyRelu` → `leaky_relu`).
    pub name: String,
    /// Where the name comes from: the `rename` literal, else the variant's ident.
    pub name_span: Span,
    /// `alias = ".."` spellings, accepted when reading only, each with its literal's span.
    pub aliases: Vec<(String, Span)>,
    pub docs: String,
}

/// What a field type looks like syntactically: enough for the checks that can be made
/// without type information (a range on a `String`) and for friendlier setters. Anything
/// unrecognised is `Other` and left to the type-level checks in the generated code.
pub enum Shape<'a> {
    Int,
    Float,
    Bool,
    String,
    Vec,
    Option(&'a Type, Box<Shape<'a>>),
    Other,
}

impl<'a> Shape<'a> {
    fn of(ty: &'a Type) -> Self {
        let Type::Path(path) = ty else {
            return Shape::Other;
        };
        if path.qself.is_some() {
            return Shape::Other;
        }
        let Some(last) = path.path.segments.last() else {
            return Shape::Other;
        };
        let name = last.ident.to_string();
        match name.as_str() {
            "u8" | "u16" | "u32" | "u64" | "u128" | "usize" | "i8" | "i16" | "i32" | "i64"
            | "i128" | "isize" => Shape::Int,
            "f32" | "f64" => Shape::Float,
            "bool" => Shape::Bool,
            "String" => Shape::String,
            "Vec" => Shape::Vec,
            "Option" => match single_type_arg(&last.arguments) {
                Some(inner) => Shape::Option(inner, Box::new(Shape::of(inner))),
                None => Shape::Other,
            },
            _ => Shape::Other,
        }
    }

    /// The shape rules look at: the inside of an `Option`.
    pub fn rule_target(&self) -> &Shape<'a> {
        match self {
            Shape::Option(_, inner) => inner,
            other => other,
        }
    }

    pub fn is_number(&self) -> bool {
        matches!(self, Shape::Int | Shape::Float)
    }

    pub fn describe(&self) -> &'static str {
        match self {
            Shape::Int => "an integer",
            Shape::Float => "a float",
            Shape::Bool => "a `bool`",
            Shape::String => "a `String`",
            Shape::Vec => "a `Vec`",
            Shape::Option(..) => "an `Option`",
            Shape::Other => "not a number",
        }
    }
}

fn single_type_arg(args: &syn::PathArguments) -> Option<&Type> {
    let syn::PathArguments::AngleBracketed(args) = args else {
        return None;
    };
    match args.args.iter().collect::<Vec<_>>().as_slice() {
        [syn::GenericArgument::Type(ty)] => Some(ty),
        _ => None,
    }
}

impl<'a> Container<'a> {
    pub fn from_ast(cx: &Ctxt, input: &'a DeriveInput) -> Option<Self> {
        let attrs = ContainerAttrs::from_attrs(cx, &input.attrs);
        if !input.generics.params.is_empty() {
            cx.error_spanned_by(
                &input.generics,
                "a config can't be generic; use concrete field types",
            );
        }
        let data = match &input.data {
            SynData::Struct(data) => match &data.fields {
                Fields::Named(fields) => Data::Struct(
                    fields
                        .named
                        .iter()
                        .filter_map(|f| Field::from_ast(cx, f))
                        .collect(),
                ),
                Fields::Unnamed(_) | Fields::Unit => {
                    cx.error_spanned_by(
                        &input.ident,
                        "#[derive(Config)] needs a struct with named fields; they become the JSON keys",
                    );
                    return None;
                }
            },
            SynData::Enum(data) => {
                if let Some(check) = attrs.checks.first() {
                    cx.error_spanned_by(check, "`check` applies to config structs, not enums");
                }
                Data::Enum(
                    data.variants
                        .iter()
                        .filter_map(|v| Variant::from_ast(cx, v))
                        .collect(),
                )
            }
            SynData::Union(data) => {
                cx.error_spanned_by(
                    data.union_token,
                    "#[derive(Config)] can't be used on a union; use a struct, or an enum of unit variants",
                );
                return None;
            }
        };
        Some(Container {
            ident: &input.ident,
            vis: &input.vis,
            crate_path: attrs.crate_path,
            checks: attrs.checks,
            docs: attr::docs(&input.attrs),
            data,
        })
    }
}

impl<'a> Field<'a> {
    fn from_ast(cx: &Ctxt, field: &'a syn::Field) -> Option<Self> {
        let ident = field.ident.as_ref()?;
        let attrs = FieldAttrs::from_attrs(cx, &field.attrs);
        let shape = Shape::of(&field.ty);
        let default = match (attrs.default, &shape) {
            (Some(expr), _) => Default::Expr(expr),
            (None, Shape::Option(..)) => Default::OptionNone,
            (None, _) => Default::None,
        };
        Some(Field {
            ident,
            name: ident.unraw().to_string(),
            ty: &field.ty,
            shape,
            default,
            rules: attrs.rules,
            docs: attr::docs(&field.attrs),
        })
    }
}

impl<'a> Variant<'a> {
    fn from_ast(cx: &Ctxt, variant: &'a syn::Variant) -> Option<Self> {
        if !matches!(variant.fields, Fields::Unit) {
            cx.error_spanned_by(
                &variant.fields,
                "a config enum may only have unit variants; they are written as strings (`\"relu\"`)",
            );
            return None;
        }
        let attrs = VariantAttrs::from_attrs(cx, &variant.attrs);
        let (name, name_span) = match &attrs.rename {
            Some(lit) => (lit.value(), lit.span()),
            None => (
                snake_case(&variant.ident.unraw().to_string()),
                variant.ident.span(),
            ),
        };
        Some(Variant {
            ident: &variant.ident,
            name,
            name_span,
            aliases: attrs
                .aliases
                .iter()
                .map(|lit| (lit.value(), lit.span()))
                .collect(),
            docs: attr::docs(&variant.attrs),
        })
    }
}

/// `LeakyRelu` → `leaky_relu`, `GELU` → `gelu`, `HTTPServer` → `http_server`, `Relu6` → `relu6`.
pub fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() {
            let prev = i.checked_sub(1).map(|p| chars[p]);
            let next = chars.get(i + 1);
            // A word starts at an upper-case letter after a lower-case one or a digit, or at
            // the last capital of an acronym followed by a lower-case letter (HTTP|Server).
            let starts_word = match prev {
                Some(p) if p.is_lowercase() || p.is_ascii_digit() => true,
                Some(p) if p.is_uppercase() => next.is_some_and(|n| n.is_lowercase()),
                _ => false,
            };
            if starts_word && !out.ends_with('_') {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    #[test]
    fn variant_names_are_snake_case() {
        assert_eq!(snake_case("Relu"), "relu");
        assert_eq!(snake_case("LeakyRelu"), "leaky_relu");
        assert_eq!(snake_case("GELU"), "gelu");
        assert_eq!(snake_case("HTTPServer"), "http_server");
        assert_eq!(snake_case("Relu6"), "relu6");
        assert_eq!(snake_case("Already_snake"), "already_snake");
    }

    #[test]
    fn raw_field_names_are_unrawed_and_options_default_to_none() {
        let input: DeriveInput = parse_quote! {
            struct C { r#type: String, seed: Option<u64>, width: usize }
        };
        let cx = Ctxt::new();
        let cont = Container::from_ast(&cx, &input);
        assert!(cx.check().is_ok());
        let Some(Container {
            data: Data::Struct(fields),
            ..
        }) = cont
        else {
            panic!("expected a struct");
        };
        assert_eq!(fields[0].name, "type");
        assert!(matches!(fields[1].default, Default::OptionNone));
        assert!(fields[2].default.is_required());
    }
}
