// Parsing of `#[config(..)]` attributes into typed, duplicate-checked values.
//
// Entry points: `ContainerAttrs::from_attrs`, `FieldAttrs::from_attrs`,
// `VariantAttrs::from_attrs`, `docs`.
// Error policy: every problem goes into `Ctxt` spanned on the offending key or value, and
// parsing carries on with the next key (an unknown key's value is skipped), so one compile
// reports every bad attribute.

use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned;
use syn::{Expr, RangeLimits};

use super::symbol::*;
use crate::attr::{Attr, skip_value, unknown_key};
use crate::ctxt::Ctxt;

/// A value rule as written, with the span of its key for later errors.
pub struct Rule {
    pub key: Span,
    pub kind: RuleKind,
}

pub enum RuleKind {
    Min(Expr),
    Max(Expr),
    Range {
        start: Expr,
        end: Expr,
        inclusive: bool,
    },
    NonEmpty,
    OneOf(Vec<Expr>),
    Validate(syn::Path),
}

impl RuleKind {
    pub fn key(&self) -> &'static str {
        match self {
            RuleKind::Min(_) => MIN,
            RuleKind::Max(_) => MAX,
            RuleKind::Range { .. } => RANGE,
            RuleKind::NonEmpty => NON_EMPTY,
            RuleKind::OneOf(_) => ONE_OF,
            RuleKind::Validate(_) => VALIDATE,
        }
    }
}

pub struct FieldAttrs {
    pub default: Option<Expr>,
    pub rules: Vec<Rule>,
}

impl FieldAttrs {
    pub fn from_attrs(cx: &Ctxt, attrs: &[syn::Attribute]) -> Self {
        let mut default = Attr::none(CONFIG, DEFAULT);
        let mut min = Attr::none(CONFIG, MIN);
        let mut max = Attr::none(CONFIG, MAX);
        let mut range = Attr::none(CONFIG, RANGE);
        let mut non_empty = Attr::none(CONFIG, NON_EMPTY);
        let mut one_of = Attr::none(CONFIG, ONE_OF);
        let mut validate = Attr::none(CONFIG, VALIDATE);

        for attr in attrs.iter().filter(|a| a.path().is_ident(CONFIG)) {
            let parsed = attr.parse_nested_meta(|meta| {
                let key = &meta.path;
                let rule = |kind| Rule {
                    key: key.span(),
                    kind,
                };
                if key.is_ident(DEFAULT) {
                    // #[config(default = vec![128])]
                    default.set(cx, key, meta.value()?.parse::<Expr>()?);
                } else if key.is_ident(MIN) {
                    // #[config(min = 1)]
                    min.set(cx, key, rule(RuleKind::Min(meta.value()?.parse()?)));
                } else if key.is_ident(MAX) {
                    // #[config(max = 1.0)]
                    max.set(cx, key, rule(RuleKind::Max(meta.value()?.parse()?)));
                } else if key.is_ident(RANGE) {
                    // #[config(range = 0.0..1.0)] or #[config(range = 1..=8)]
                    let value: Expr = meta.value()?.parse()?;
                    range.set(cx, key, rule(parse_range(value)?));
                } else if key.is_ident(NON_EMPTY) {
                    // #[config(non_empty)]
                    non_empty.set(cx, key, rule(RuleKind::NonEmpty));
                } else if key.is_ident(ONE_OF) {
                    // #[config(one_of = [1, 2, 4])]
                    let value: Expr = meta.value()?.parse()?;
                    one_of.set(cx, key, rule(parse_one_of(value)?));
                } else if key.is_ident(VALIDATE) {
                    // #[config(validate = path::to::fn)]
                    validate.set(cx, key, rule(RuleKind::Validate(meta.value()?.parse()?)));
                } else {
                    unknown_key(cx, &meta, "config field", FIELD_KEYS);
                }
                Ok(())
            });
            if let Err(err) = parsed {
                cx.syn_error(err);
            }
        }

        let rules = [min, max, range, non_empty, one_of, validate]
            .into_iter()
            .filter_map(Attr::take)
            .collect();
        FieldAttrs {
            default: default.take(),
            rules,
        }
    }
}

pub struct ContainerAttrs {
    pub crate_path: Option<syn::Path>,
    /// Cross-field check functions; `check` may be given several times.
    pub checks: Vec<syn::Path>,
}

impl ContainerAttrs {
    pub fn from_attrs(cx: &Ctxt, attrs: &[syn::Attribute]) -> Self {
        let mut crate_path = Attr::none(CONFIG, CRATE);
        let mut checks = Vec::new();
        for attr in attrs.iter().filter(|a| a.path().is_ident(CONFIG)) {
            let parsed = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident(CRATE) {
                    // #[config(crate = ::minitrainer_core)]
                    let path: syn::Path = meta.value()?.parse()?;
                    if let Err(err) = crate::paths::check_crate_override(&path) {
                        cx.syn_error(err);
                    }
                    crate_path.set(cx, &meta.path, path);
                } else if meta.path.is_ident(CHECK) {
                    // #[config(check = path::to::fn)]
                    checks.push(meta.value()?.parse()?);
                } else {
                    unknown_key(cx, &meta, "config container", CONTAINER_KEYS);
                }
                Ok(())
            });
            if let Err(err) = parsed {
                cx.syn_error(err);
            }
        }
        ContainerAttrs {
            crate_path: crate_path.take(),
            checks,
        }
    }
}

fn parse_range(value: Expr) -> syn::Result<RuleKind> {
    if let Expr::Range(range) = &value
        && let (Some(start), Some(end)) = (&range.start, &range.end)
    {
        return Ok(RuleKind::Range {
            start: (**start).clone(),
            end: (**end).clone(),
            inclusive: matches!(range.limits, RangeLimits::Closed(_)),
        });
    }
    Err(syn::Error::new_spanned(
        value,
        "expected `start..end` or `start..=end`; for a single bound use `min` or `max`",
    ))
}

fn parse_one_of(value: Expr) -> syn::Result<RuleKind> {
    match value {
        Expr::Array(array) if !array.elems.is_empty() => {
            Ok(RuleKind::OneOf(array.elems.into_iter().collect()))
        }
        other => Err(syn::Error::new_spanned(
            other,
            "expected a non-empty list of allowed values, e.g. `one_of = [1, 2, 4]`",
        )),
    }
}

/// `#[config(..)]` on a unit variant of a config enum.
pub struct VariantAttrs {
    /// `rename = "gelu-tanh"`: the spelling written and read instead of the snake_case name.
    pub rename: Option<syn::LitStr>,
    /// `alias = "old"`, repeatable: more spellings accepted when reading, never written.
    pub aliases: Vec<syn::LitStr>,
}

impl VariantAttrs {
    pub fn from_attrs(cx: &Ctxt, attrs: &[syn::Attribute]) -> Self {
        let mut rename = Attr::none(CONFIG, RENAME);
        let mut aliases = Vec::new();
        for attr in attrs.iter().filter(|a| a.path().is_ident(CONFIG)) {
            let parsed = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident(RENAME) {
                    // #[config(rename = "gelu-tanh")]
                    if rename.claim(cx, &meta.path) {
                        if let Some(name) = string_value(cx, &meta, RENAME)? {
                            rename.fill(name);
                        }
                    } else {
                        skip_value(&meta);
                    }
                } else if meta.path.is_ident(ALIAS) {
                    // #[config(alias = "old")], repeatable
                    aliases.extend(string_value(cx, &meta, ALIAS)?);
                } else {
                    unknown_key(cx, &meta, "config variant", VARIANT_KEYS);
                }
                Ok(())
            });
            if let Err(err) = parsed {
                cx.syn_error(err);
            }
        }
        VariantAttrs {
            rename: rename.take(),
            aliases,
        }
    }
}

/// The string literal after `key =`; anything else is reported at the value and skipped.
fn string_value(cx: &Ctxt, meta: &ParseNestedMeta, key: &str) -> syn::Result<Option<syn::LitStr>> {
    match meta.value()?.parse::<Expr>()? {
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(lit),
            ..
        }) => Ok(Some(lit)),
        other => {
            cx.error_spanned_by(
                other,
                format!("`{key}` takes a string literal, e.g. `{key} = \"gelu-tanh\"`"),
            );
            Ok(None)
        }
    }
}

/// The doc comment of an item: its `#[doc = ".."]` lines, each stripped of the one leading
/// space `///` leaves, joined with newlines and trimmed.
pub fn docs(attrs: &[syn::Attribute]) -> String {
    let lines: Vec<String> = attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .map(|line| {
            line.strip_prefix(' ')
                .unwrap_or(&line)
                .trim_end()
                .to_owned()
        })
        .collect();
    lines.join("\n").trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    fn field_attrs(attrs: Vec<syn::Attribute>) -> (FieldAttrs, syn::Result<()>) {
        let cx = Ctxt::new();
        let parsed = FieldAttrs::from_attrs(&cx, &attrs);
        (parsed, cx.check())
    }

    #[test]
    fn parses_every_rule_kind() {
        let (attrs, result) = field_attrs(vec![parse_quote!(
            #[config(default = 0.5, min = 0.0, max = 1.0, non_empty, one_of = [1, 2], validate = f)]
        )]);
        assert!(result.is_ok());
        assert!(attrs.default.is_some());
        let keys: Vec<_> = attrs.rules.iter().map(|r| r.kind.key()).collect();
        assert_eq!(keys, [MIN, MAX, NON_EMPTY, ONE_OF, VALIDATE]);
    }

    #[test]
    fn range_records_inclusiveness() {
        let (attrs, result) = field_attrs(vec![parse_quote!(#[config(range = 1..=8)])]);
        assert!(result.is_ok());
        assert!(matches!(
            attrs.rules[0].kind,
            RuleKind::Range {
                inclusive: true,
                ..
            }
        ));
    }

    #[test]
    fn duplicate_and_unknown_keys_are_all_reported() {
        let (_, result) = field_attrs(vec![
            parse_quote!(#[config(min = 1, mni = 2)]),
            parse_quote!(#[config(min = 3)]),
        ]);
        let messages: Vec<String> = result
            .err()
            .into_iter()
            .flat_map(|e| e.into_iter().map(|e| e.to_string()).collect::<Vec<_>>())
            .collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[0].contains("did you mean `min`?"));
        assert!(messages[1].contains("duplicate config attribute `min`"));
    }

    #[test]
    fn variant_rename_and_repeated_aliases_are_collected() {
        let cx = Ctxt::new();
        let attrs: Vec<syn::Attribute> = vec![
            parse_quote!(#[config(rename = "gelu-tanh", alias = "a")]),
            parse_quote!(#[config(alias = "b")]),
        ];
        let parsed = VariantAttrs::from_attrs(&cx, &attrs);
        assert!(cx.check().is_ok());
        assert_eq!(
            parsed.rename.map(|l| l.value()).as_deref(),
            Some("gelu-tanh")
        );
        let aliases: Vec<String> = parsed.aliases.iter().map(syn::LitStr::value).collect();
        assert_eq!(aliases, ["a", "b"]);
    }

    #[test]
    fn variant_keys_reject_non_strings_and_unknown_keys_and_go_on() {
        let cx = Ctxt::new();
        let attrs: Vec<syn::Attribute> =
            vec![parse_quote!(#[config(rename = 1, renam = "x", alias = "ok")])];
        let parsed = VariantAttrs::from_attrs(&cx, &attrs);
        let messages: Vec<String> = cx
            .check()
            .err()
            .into_iter()
            .flat_map(|e| e.into_iter().map(|e| e.to_string()).collect::<Vec<_>>())
            .collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[0].starts_with("`rename` takes a string literal"));
        assert!(
            messages[1].contains("did you mean `rename`?"),
            "{messages:?}"
        );
        assert_eq!(parsed.aliases.len(), 1);
    }

    #[test]
    fn docs_are_joined_and_trimmed() {
        let attrs: Vec<syn::Attribute> = vec![
            parse_quote!(#[doc = " Hidden widths."]),
            parse_quote!(#[doc = " Second."]),
        ];
        assert_eq!(docs(&attrs), "Hidden widths.\nSecond.");
    }
}
