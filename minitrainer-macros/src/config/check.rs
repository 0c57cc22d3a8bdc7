// Cross-attribute rules of `#[derive(Config)]` that can be decided from syntax alone, one
// function each. Rules needing type information (a `min` on a type alias of `String`, a
// default of the wrong type) are left to the generated code, where trait bounds and typed
// `let`s spanned on the user's tokens turn them into rustc errors at the same place.

use std::collections::HashMap;

use syn::{Expr, Lit, UnOp};

use super::ast::{Container, Data, Field, Shape, Variant};
use super::attr::RuleKind;
use crate::ctxt::Ctxt;

pub fn config(cx: &Ctxt, cont: &Container) {
    match &cont.data {
        Data::Struct(fields) => {
            for field in fields {
                rules_fit_the_type(cx, field);
                bounds_leave_room(cx, field);
                range_excludes_min_max(cx, field);
            }
        }
        Data::Enum(variants) => variant_spellings_are_unique(cx, variants),
    }
}

// Why: a spelling (a name, after `rename`, or an `alias`) read back as two variants would make
// decoding depend on declaration order, and a written name that decodes to another variant
// would break the round trip. Reported at the second occurrence.
fn variant_spellings_are_unique(cx: &Ctxt, variants: &[Variant]) {
    let mut seen: HashMap<&str, &syn::Ident> = HashMap::new();
    for variant in variants {
        let spellings = std::iter::once((&variant.name, variant.name_span))
            .chain(variant.aliases.iter().map(|(alias, span)| (alias, *span)));
        for (spelling, span) in spellings {
            match seen.get(spelling.as_str()) {
                Some(first) if *first == variant.ident => cx.error_at(
                    span,
                    format!("`{spelling}` is already a spelling of `{first}`; remove it"),
                ),
                Some(first) => cx.error_at(
                    span,
                    format!(
                        "`{spelling}` is already a spelling of variant `{first}`; a spelling must \
                         name one variant, so give one of them another `rename` or `alias`"
                    ),
                ),
                None => {
                    seen.insert(spelling, variant.ident);
                }
            }
        }
    }
}

// A range on a `String` or `non_empty` on a number can never mean anything; saying so at the
// key beats rustc's "trait `Number` is not implemented" a line later.
fn rules_fit_the_type(cx: &Ctxt, field: &Field) {
    let shape = field.shape.rule_target();
    for rule in &field.rules {
        let key = rule.kind.key();
        let name = &field.name;
        match rule.kind {
            RuleKind::Min(_) | RuleKind::Max(_) | RuleKind::Range { .. }
                if matches!(shape, Shape::Bool | Shape::String | Shape::Vec) =>
            {
                cx.error_at(
                    rule.key,
                    format!(
                        "`{key}` needs a number, but `{name}` is {}; for strings and lists use `non_empty`, `one_of` or `validate`",
                        shape.describe()
                    ),
                );
            }
            RuleKind::NonEmpty if shape.is_number() || matches!(shape, Shape::Bool) => {
                cx.error_at(
                    rule.key,
                    format!(
                        "`non_empty` needs a `String` or a `Vec`, but `{name}` is {}; for numbers use `min`, `max` or `range`",
                        shape.describe()
                    ),
                );
            }
            _ => {}
        }
    }
}

// `min = 10, max = 1` or `range = 5..5` admit no value at all: every config would be
// rejected at run time, so it is a mistake in the source.
fn bounds_leave_room(cx: &Ctxt, field: &Field) {
    let literal = |kind: fn(&RuleKind) -> Option<&Expr>| {
        field
            .rules
            .iter()
            .find_map(|r| kind(&r.kind))
            .and_then(|e| literal_number(e).map(|v| (e, v)))
    };
    let min = literal(|k| match k {
        RuleKind::Min(e) => Some(e),
        _ => None,
    });
    let max = literal(|k| match k {
        RuleKind::Max(e) => Some(e),
        _ => None,
    });
    if let (Some((min_expr, min)), Some((_, max))) = (min, max)
        && min > max
    {
        cx.error_spanned_by(
            min_expr,
            format!("`min` ({min}) is greater than `max` ({max}); no value can satisfy both"),
        );
    }
    for rule in &field.rules {
        if let RuleKind::Range {
            start,
            end,
            inclusive,
        } = &rule.kind
            && let (Some(lo), Some(hi)) = (literal_number(start), literal_number(end))
            && (lo > hi || (lo == hi && !inclusive))
        {
            let dots = if *inclusive { "..=" } else { ".." };
            cx.error_spanned_by(
                start,
                format!("the range {lo}{dots}{hi} is empty; no value can satisfy it"),
            );
        }
    }
}

// `range` already sets both bounds; a `min` or `max` next to it is either redundant or
// contradicts it, and which one wins would be a guess.
fn range_excludes_min_max(cx: &Ctxt, field: &Field) {
    if !field
        .rules
        .iter()
        .any(|r| matches!(r.kind, RuleKind::Range { .. }))
    {
        return;
    }
    for rule in &field.rules {
        if let RuleKind::Min(_) | RuleKind::Max(_) = rule.kind {
            cx.error_at(
                rule.key,
                format!(
                    "`{}` can't be combined with `range`; `range` already sets both bounds",
                    rule.kind.key()
                ),
            );
        }
    }
}

/// The value of a numeric literal, possibly negated (`-1`, `0.5`, `1e-3`).
fn literal_number(expr: &Expr) -> Option<f64> {
    match expr {
        Expr::Lit(lit) => match &lit.lit {
            Lit::Int(int) => int.base10_parse().ok(),
            Lit::Float(float) => float.base10_parse().ok(),
            _ => None,
        },
        Expr::Unary(unary) if matches!(unary.op, UnOp::Neg(_)) => {
            literal_number(&unary.expr).map(|v| -v)
        }
        Expr::Group(group) => literal_number(&group.expr),
        Expr::Paren(paren) => literal_number(&paren.expr),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    fn errors(input: syn::DeriveInput) -> Vec<String> {
        let cx = Ctxt::new();
        if let Some(cont) = Container::from_ast(&cx, &input) {
            config(&cx, &cont);
        }
        match cx.check() {
            Ok(()) => Vec::new(),
            Err(e) => e.into_iter().map(|e| e.to_string()).collect(),
        }
    }

    #[test]
    fn a_spelling_shared_by_two_variants_is_reported_at_the_second() {
        let found = errors(parse_quote! {
            enum Act {
                #[config(rename = "gelu")]
                GeluTanh,
                Gelu,
                #[config(alias = "gelu", alias = "old", alias = "old")]
                Relu,
            }
        });
        assert_eq!(found.len(), 3, "{found:#?}");
        assert!(found[0].starts_with("`gelu` is already a spelling of variant `GeluTanh`"));
        assert!(found[1].starts_with("`gelu` is already a spelling of variant `GeluTanh`"));
        assert!(found[2].starts_with("`old` is already a spelling of `Relu`; remove it"));
    }

    #[test]
    fn literal_numbers_include_negatives_and_floats() {
        assert_eq!(literal_number(&parse_quote!(-2)), Some(-2.0));
        assert_eq!(literal_number(&parse_quote!(1e-3)), Some(1e-3));
        assert_eq!(literal_number(&parse_quote!(LIMIT)), None);
    }

    #[test]
    fn empty_bounds_and_misplaced_rules_are_reported_together() {
        let found = errors(parse_quote! {
            struct C {
                #[config(min = 10, max = 1)] a: u32,
                #[config(range = 1.0..1.0)] b: f32,
                #[config(non_empty)] c: usize,
                #[config(min = 1)] d: Option<String>,
                #[config(range = 0..3, max = 2)] e: u8,
            }
        });
        assert_eq!(found.len(), 5, "{found:#?}");
        assert!(found[0].starts_with("`min` (10) is greater than `max` (1)"));
        assert!(found[1].starts_with("the range 1..1 is empty"));
        assert!(found[2].starts_with("`non_empty` needs a `String` or a `Vec`"));
        assert!(found[3].starts_with("`min` needs a number, but `d` is a `String`"));
        assert!(found[4].starts_with("`max` can't be combined with `range`"));
    }
}
