// Parsing of `#[model(...)]`'s arguments into `ModelArgs`.
//
// Accepted keys (each at most once):
//   #[model(name = "mlp")]            the registered name: a string literal, identifier-like
//   #[model(config = MlpConfig)]      the config type: the `type Config` of `impl Build`
//   #[model(crate = ::minitrainer_core)]  where the runtime lives, for users of core alone
// Error policy: every bad key or value goes into `cx` and parsing goes on, so one compile shows
// every mistake. Missing required keys and ill-formed names are reported by `check.rs`.

use proc_macro2::TokenStream;
use syn::meta::ParseNestedMeta;
use syn::parse::Parser;

use crate::attr::{Attr, skip_value, unknown_key};
use crate::ctxt::Ctxt;
use crate::paths::check_crate_override;

/// The attribute, for messages.
pub const MODEL: &str = "model";
pub const NAME: &str = "name";
pub const CONFIG: &str = "config";
pub const CRATE: &str = "crate";
const KEYS: &[&str] = &[NAME, CONFIG, CRATE];

/// The raw arguments; a slot holds no value where its key was absent or its value unusable.
pub struct ModelArgs {
    pub name: Attr<syn::LitStr>,
    pub config: Attr<syn::Type>,
    pub crate_path: Attr<syn::Path>,
    /// Keys that an unknown key was probably meant to be (`nmae` → `name`).
    misspelt: Vec<&'static str>,
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
        let Some(&known) = KEYS.iter().find(|k| meta.path.is_ident(k)) else {
            // A typo of a required key is one mistake, not also a missing key.
            self.misspelt.extend(unknown_key(cx, &meta, MODEL, KEYS));
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
        let Ok(value) = meta.value() else {
            cx.error_spanned_by(
                &meta.path,
                format!("`{known}` needs a value: `{known} = ...`"),
            );
            return;
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

/// Looks through the invisible groups `macro_rules!` wraps around substituted fragments, so
/// `#[model(name = $name, ...)]` inside a user's macro sees the literal `$name` stands for.
fn ungroup(expr: syn::Expr) -> syn::Expr {
    match expr {
        syn::Expr::Group(group) => ungroup(*group.expr),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    fn parse(args: TokenStream) -> (ModelArgs, Vec<String>) {
        let cx = Ctxt::new();
        let parsed = ModelArgs::parse(&cx, args);
        let errors = match cx.check() {
            Ok(()) => Vec::new(),
            Err(err) => err.into_iter().map(|e| e.to_string()).collect(),
        };
        (parsed, errors)
    }

    #[test]
    fn every_key_is_parsed_into_its_slot() {
        let (args, errors) = parse(quote!(name = "mlp", config = MlpConfig, crate = ::core_rt));
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            args.name.get().map(syn::LitStr::value).as_deref(),
            Some("mlp")
        );
        assert!(args.config.get().is_some());
        assert!(args.crate_path.get().is_some());
    }

    #[test]
    fn a_misspelt_key_counts_as_attempted() {
        let (args, errors) = parse(quote!(nmae = "mlp"));
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].contains("did you mean `name`?"), "{errors:?}");
        assert!(args.attempted(NAME));
        assert!(!args.attempted(CONFIG));
    }

    #[test]
    fn a_name_that_is_no_string_literal_is_reported_at_the_value() {
        let (args, errors) = parse(quote!(name = mlp));
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].starts_with("`name` must be a string literal"));
        assert!(args.attempted(NAME));
        assert!(args.name.get().is_none());
    }
}
