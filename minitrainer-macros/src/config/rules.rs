// Value rules → generated validation code and the typed bound functions it shares with the
// schema.
//
// Each bound (`min = 1`) becomes `fn __min_in_dim() -> <usize as RuleValue>::Item { 1 }`, the
// user's expression spanned as written: a bound of the wrong type is one rustc error at the
// expression, however many places use it. Each rule call is spanned on its key, so a rule on a
// type it can't apply to (the `Number`/`HasLen` bounds) is reported at the key.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Expr, Lit};

use super::Gen;
use super::ast::{Field, Shape};
use super::attr::{Rule, RuleKind};

pub fn bound_fn_ident(field: &Field, rule: &Rule) -> syn::Ident {
    format_ident!("__{}_{}", rule.kind.key(), field.name)
}

pub fn gen_bound_fns(g: &Gen) -> TokenStream {
    let rt = &g.rt;
    let fns = g.fields.iter().flat_map(|field| {
        field.rules.iter().filter_map(move |rule| {
            let ident = bound_fn_ident(field, rule);
            let ty = field.ty;
            let item = quote_spanned!(rule.key=> <#ty as #rt::rules::RuleValue>::Item);
            let float = matches!(field.shape.rule_target(), Shape::Float);
            let (ret, body) = match &rule.kind {
                RuleKind::Min(bound) | RuleKind::Max(bound) => (quote!(#item), typed(bound, float)),
                RuleKind::Range {
                    start,
                    end,
                    inclusive,
                } => {
                    let (start, end) = (typed(start, float), typed(end, float));
                    (
                        quote!((#item, #item, bool)),
                        quote!((#start, #end, #inclusive)),
                    )
                }
                RuleKind::OneOf(values) => {
                    let values = values.iter().map(|v| match v {
                        // `one_of = ["adam", "sgd"]` on a `String` field.
                        Expr::Lit(lit) if matches!(lit.lit, Lit::Str(_)) => {
                            quote_spanned!(v.span()=> ::core::convert::From::from(#v))
                        }
                        other => typed(other, float),
                    });
                    (
                        quote!(::std::vec::Vec<#item>),
                        quote!(::std::vec![#(#values),*]),
                    )
                }
                RuleKind::NonEmpty | RuleKind::Validate(_) => return None,
            };
            Some(quote! {
                #[allow(clippy::all)]
                fn #ident() -> #ret {
                    #body
                }
            })
        })
    });
    quote!(#(#fns)*)
}

/// The user's bound expression, spanned as written; an unsuffixed integer literal on a float
/// field is read as a float (`min = 0` on an `f32` means `0.0`).
fn typed(expr: &Expr, float: bool) -> TokenStream {
    match expr {
        Expr::Lit(lit) if float => match &lit.lit {
            Lit::Int(int) if int.suffix().is_empty() => {
                let float = syn::LitFloat::new(&format!("{}.0", int.base10_digits()), int.span());
                quote!(#float)
            }
            _ => quote!(#expr),
        },
        Expr::Unary(unary) if float && matches!(unary.op, syn::UnOp::Neg(_)) => {
            let inner = typed(&unary.expr, float);
            let op = &unary.op;
            quote!(#op #inner)
        }
        _ => quote_spanned!(expr.span()=> #expr),
    }
}

/// `validate_nested`: each field's rules, then nested configs, then (only if all of that held)
/// the cross-field checks.
pub fn gen_validate_nested(g: &Gen) -> TokenStream {
    let rt = &g.rt;
    let fields = g.fields.iter().map(|field| {
        let name = &field.name;
        let member = field.ident;
        let rules = field.rules.iter().map(|rule| {
            let bound = bound_fn_ident(field, rule);
            let call = match &rule.kind {
                RuleKind::Min(_) => quote!(min(&self.#member, #bound(), &__field, __errors)),
                RuleKind::Max(_) => quote!(max(&self.#member, #bound(), &__field, __errors)),
                RuleKind::Range { .. } => {
                    quote!(range(&self.#member, #bound(), &__field, __errors))
                }
                RuleKind::OneOf(_) => quote!(one_of(&self.#member, &#bound(), &__field, __errors)),
                RuleKind::NonEmpty => quote!(non_empty(&self.#member, &__field, __errors)),
                RuleKind::Validate(path) => {
                    let path = quote_spanned!(path.span()=> #path);
                    quote!(validate(&self.#member, #path, &__field, __errors))
                }
            };
            quote_spanned!(rule.key=> #rt::rules::#call;)
        });
        let ty = field.ty;
        let nested = quote_spanned!(ty.span()=> <#ty as #rt::ConfigValue>::validate_nested);
        quote! {
            {
                let __field = __path.field(#name);
                #(#rules)*
                #nested(&self.#member, &__field, __errors);
            }
        }
    });
    let checks = g.cont.checks.iter().map(|check| {
        let check = quote_spanned!(check.span()=>
            let __check: fn(&Self) -> ::core::result::Result<(), #rt::CheckError> = #check;
        );
        quote! {{
            #check
            if let ::core::result::Result::Err(__error) = __check(self) {
                __errors.check(__path, __error);
            }
        }}
    });
    quote! {
        fn validate_nested(&self, __path: &#rt::FieldPath<'_>, __errors: &mut #rt::Violations) {
            let __before = __errors.len();
            #(#fields)*
            if __errors.len() == __before {
                #(#checks)*
            }
        }
    }
}
