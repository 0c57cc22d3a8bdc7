// The IR of `#[model]`: the annotated struct and its resolved arguments.
//
// `Model::from_ast` checks what can be seen in the tokens: the item is a struct, not generic,
// and `name` (well-formed) and `config` are given. Whether `config` really is the model's
// `Build::Config` needs types, so the generated code asserts it (see `codegen.rs`).

use proc_macro2::TokenStream;

use super::attr::{self, ModelArgs};
use crate::ctxt::Ctxt;

pub struct Model {
    pub ident: syn::Ident,
    pub name: syn::LitStr,
    pub config: syn::Type,
    pub crate_path: Option<syn::Path>,
}

impl Model {
    /// `None` only after an error was pushed to `cx`.
    pub fn from_ast(cx: &Ctxt, args: TokenStream, item: &syn::Item) -> Option<Model> {
        let args = ModelArgs::parse(cx, args);
        let ident = struct_ident(cx, item);

        let name = args.name.get().cloned();
        if let Some(name) = &name
            && let Some(problem) = attr::check_name(&name.value())
        {
            cx.error_spanned_by(
                name,
                format!(
                    "model name {problem}; the compact form `name(field=value)` must be able to \
                     spell it, e.g. `name = \"mlp\"`"
                ),
            );
        }
        if !args.attempted(attr::NAME) {
            cx.error_at(
                attr::attribute_span(),
                "missing `name`: #[model] registers the type under a name, e.g. \
                 #[model(name = \"mlp\", config = MlpConfig)]",
            );
        }
        if !args.attempted(attr::CONFIG) {
            cx.error_at(
                attr::attribute_span(),
                "missing `config`: name the config type the model is built from, e.g. \
                 #[model(name = \"mlp\", config = MlpConfig)]",
            );
        }
        Some(Model {
            ident: ident?,
            name: name?,
            config: args.config.take()?,
            crate_path: args.crate_path.take(),
        })
    }
}

/// The struct's name, after checking that `#[model]` can register it.
fn struct_ident(cx: &Ctxt, item: &syn::Item) -> Option<syn::Ident> {
    let syn::Item::Struct(item) = item else {
        cx.error_spanned_by(
            item_keyword(item),
            "#[model] registers a struct that implements `Build`; put it on the model's struct",
        );
        return None;
    };
    // Why: the registry builds one concrete type per name from a config alone; nothing would
    // choose the type parameters.
    if !item.generics.params.is_empty() {
        cx.error_spanned_by(
            &item.generics,
            format!(
                "#[model] can't register a generic struct: the registry must build `{}` from \
                 its config alone, with nothing to choose the generic parameters; register a \
                 non-generic struct that holds `{}<...>` with concrete parameters",
                item.ident, item.ident
            ),
        );
        return None;
    }
    Some(item.ident.clone())
}

/// The tokens that best point at "this kind of item": its keyword and name.
fn item_keyword(item: &syn::Item) -> TokenStream {
    use quote::quote;
    match item {
        syn::Item::Enum(e) => {
            let (kw, ident) = (&e.enum_token, &e.ident);
            quote!(#kw #ident)
        }
        syn::Item::Fn(f) => {
            let (kw, ident) = (&f.sig.fn_token, &f.sig.ident);
            quote!(#kw #ident)
        }
        syn::Item::Union(u) => {
            let (kw, ident) = (&u.union_token, &u.ident);
            quote!(#kw #ident)
        }
        syn::Item::Trait(t) => {
            let (kw, ident) = (&t.trait_token, &t.ident);
            quote!(#kw #ident)
        }
        other => quote!(#other),
    }
}
