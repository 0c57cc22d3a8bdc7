// Parsing of `#[model(...)]`'s arguments into `ModelArgs`.
//
// Accepted keys (each at most once):
//   #[model(name = "mlp")]            the registered name: a string literal, identifier-like
//   #[model(config = MlpConfig)]      the config type: the `type Config` of `impl Build`
//   #[model(crate = ::minitrainer_core)]  where the runtime lives, for users of core alone
// Error policy: every bad key or value goes into `cx` and parsing goes on, so one compile shows
// every mistake. Missing required keys are reported by `ast.rs`, which knows the item.

use proc_macro2::{Span, TokenStream};
use syn::meta::ParseNestedMeta;
use syn::parse::Parser;

use crate::attr::{Attr, skip_value};
use crate::ctxt::Ctxt;
use crate::paths::check_crate_override;
use crate::suggest::{did_you_mean, unknown_key_message};

/// The attribute, for messages.
const MODEL: &str = "model";
pub const NAME: &str = "name";
pub const CONFIG: &str = "config";
pub const CRATE: &str = "crate";
const KEYS: &[&str] = &[NAME, CONFIG, CRATE];

/// The raw arguments; a slot holds no value where its key was absent or its value unusable.
pub struct ModelArgs {
    pub name: Attr<syn::LitStr>,
    pub config: Attr<syn::Type>,
    pub crate_path: Attr<syn::Path>,
    /// Keys that an unknown key was probably meant to be.
    pub misspelt: Vec<&'static str>,
}

impl ModelArgs {
    /// Whether the user wrote `key`, or tried to (a typo already reported): a key given with a
    /// bad value or misspelt is not also "missing".
    pub fn attempted(&self, key: &str) -> bool {
        let given = match key {
            NAME => self.name.is_claimed(),
            CONFIG => self.config.is_claimed(),
            CRATE => self.crate_path.is_claimed(),
            _ => false,
        };
        given || self.misspelt.contains(&key)
    }

    pub fn parse(cx: &Ctxt, args: TokenStream) -> ModelArgs {
        let mut parsed = ModelArgs {
            name: Attr::none(MODEL, NAME),
            config: Attr::none(MODEL, CONFIG),
            crate_path: Attr::none(MODEL, CRATE),
            misspelt: Vec::new(),
        };
        let parser = syn::meta::parser(|meta| {
            parsed.parse_key(cx, meta);
            Ok(())
        });
        // Errors from the closure went to `cx`; what remains is malformed syntax
        // (e.g. `model(name "mlp")`), which ends parsing.
        if let Err(error) = parser.parse2(args) {
            cx.syn_error(error);
        }
        parsed
    }

    fn parse_key(&mut self, cx: &Ctxt, meta: ParseNestedMeta) {
        let key = meta
            .path
            .get_ident()
            .map(|ident| ident.to_string())
            .unwrap_or_default();
        let Some(&known) = KEYS.iter().find(|k| **k == key) else {
            let shown = if key.is_empty() {
                let path = &meta.path;
                quote::quote!(#path).to_string()
            } else {
                key
            };
            cx.error_spanned_by(&meta.path, unknown_key_message(MODEL, &shown, KEYS));
            // A typo of a required key is one mistake, not also a missing key.
            if let Some(close) = did_you_mean(&shown, KEYS) {
                self.misspelt.push(close);
            }
            skip_value(&meta);
            return;
        };
        // Claimed before the value is parsed: a repeat is a duplicate even if the first
        // value was bad, and the repeat's own value is not looked at.
        let claimed = match known {
            NAME => self.name.claim(cx, &meta.path),
            CONFIG => self.config.claim(cx, &meta.path),
            _ => self.crate_path.claim(cx, &meta.path),
        };
        if !claimed {
            skip_value(&meta);
            return;
        }
        let value = match meta.value() {
            Ok(value) => value,
            Err(_) => {
                cx.error_spanned_by(
                    &meta.path,
                    format!("`{known}` needs a value: `{known} = ...`"),
                );
                return;
            }
        };
        match known {
            // name = "mlp"
            NAME => match value.parse::<syn::Expr>().map(ungroup) {
                Ok(syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(lit),
                    ..
                })) => self.name.fill(lit),
                Ok(other) => cx.error_spanned_by(
                    other,
                    "`name` must be a string literal, e.g. `name = \"mlp\"`; the registry \
                     needs it at compile time",
                ),
                Err(error) => cx.syn_error(error),
            },
            // config = MlpConfig
            CONFIG => match value.parse::<syn::Type>() {
                Ok(ty) => self.config.fill(ty),
                Err(error) => cx.syn_error(error),
            },
            // crate = ::minitrainer_core
            _ => match value.parse::<syn::Path>() {
                Ok(path) => match check_crate_override(&path) {
                    Ok(()) => self.crate_path.fill(path),
                    Err(error) => cx.syn_error(error),
                },
                Err(error) => cx.syn_error(error),
            },
        }
    }
}

/// A name usable in the compact form `name(...)`: ASCII letters, digits and `_`, not starting
/// with a digit. Returns what is wrong, if anything.
pub fn check_name(name: &str) -> Option<&'static str> {
    let mut chars = name.chars();
    match chars.next() {
        None => Some("must not be empty"),
        Some(c) if c.is_ascii_digit() => Some("must not start with a digit"),
        _ if !name.chars().all(|c| c == '_' || c.is_ascii_alphanumeric()) => {
            Some("may only hold ASCII letters, digits and `_`")
        }
        _ => None,
    }
}

/// The span of the whole attribute when a required key is missing.
pub fn attribute_span() -> Span {
    Span::call_site()
}

/// Looks through the invisible groups `macro_rules!` wraps around substituted fragments, so
/// `#[model(name = $name, ...)]` inside a user's macro sees the literal `$name` stands for.
fn ungroup(expr: syn::Expr) -> syn::Expr {
    match expr {
        syn::Expr::Group(group) => ungroup(*group.expr),
        other => other,
    }
}
