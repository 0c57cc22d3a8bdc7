// `#[model(name = "...", config = ...)]`: registers a model type with the runtime's registry.
//
// parse → IR → check → codegen, as `module/` and `config/` (STYLE.md 6.2):
// attr.rs     the arguments into typed slots (duplicates, unknown keys, bad values)
// ast.rs      the IR: the item and its arguments; `registration()` is codegen's checked view
// check.rs    the rules: a struct, not generic, a well-formed name, the required keys
// codegen.rs  the build fn, `impl Registered` and `inventory::submit!`
// fallback.rs a stub `impl Registered` next to the errors
// The item is always re-emitted unchanged, also next to errors, so a mistake in the attribute
// does not cascade into "cannot find type `Mlp`" everywhere it is used.

mod ast;
mod attr;
mod check;
mod codegen;
mod fallback;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ctxt::Ctxt;

/// Expands `#[model(..)]`: the item, then the registration or the errors.
pub fn expand(args: TokenStream, input: TokenStream) -> TokenStream {
    let item: syn::Item = match syn::parse2(input.clone()) {
        Ok(item) => item,
        // Not an item at all: rustc will report the tokens itself; add ours.
        Err(error) => {
            let error = error.to_compile_error();
            return quote!(#input #error);
        }
    };
    let cx = Ctxt::new();
    // 1. parse: arguments and item → IR; errors go into `cx`, parsing goes on.
    let model = ast::Model::from_ast(&cx, args, &item);
    // 2. check: the rules, also into `cx`; then every error at once.
    check::model(&cx, &model);
    let generated = match (cx.check(), model.registration()) {
        // 3. codegen: infallible.
        (Ok(()), Some(registration)) => codegen::generate(&registration),
        (Err(error), _) => fallback::model(&model, error),
        // Internal invariant: the checks report every missing part.
        (Ok(()), None) => quote! {
            ::core::compile_error!("minitrainer-macros internal error: #[model] found no error but no model");
        },
    };
    quote!(#item #generated)
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::expand;

    fn errors(args: proc_macro2::TokenStream, item: proc_macro2::TokenStream) -> String {
        expand(args, item).to_string()
    }

    #[test]
    fn generates_entry_build_fn_and_submit() {
        let out = expand(
            quote!(name = "mlp", config = MlpConfig),
            quote!(
                pub struct Mlp {
                    w: u8,
                }
            ),
        )
        .to_string();
        assert!(out.contains("pub struct Mlp"), "{out}");
        assert!(out.contains("fn __minitrainer_build_Mlp"), "{out}");
        assert!(out.contains("inventory :: submit !"), "{out}");
        assert!(out.contains("model_entry :: < Mlp , MlpConfig >"), "{out}");
        assert!(!out.contains("compile_error"), "{out}");
    }

    #[test]
    fn reports_every_mistake_at_once() {
        let out = errors(
            quote!(colour = "red", config = A, config = B),
            quote!(
                struct M;
            ),
        );
        assert!(out.contains("unknown model attribute `colour`"), "{out}");
        assert!(out.contains("duplicate model attribute `config`"), "{out}");
        assert!(out.contains("missing `name`"), "{out}");
        assert!(out.contains("struct M"), "the item is kept: {out}");
    }

    #[test]
    fn rejects_names_the_compact_form_cannot_spell() {
        for bad in ["", "my-model", "1mlp"] {
            let out = errors(
                quote!(name = #bad, config = C),
                quote!(
                    struct M;
                ),
            );
            assert!(out.contains("model name"), "{bad}: {out}");
        }
    }

    #[test]
    fn raw_identifiers_are_unraw_in_generated_names() {
        let out = expand(
            quote!(name = "ty", config = C),
            quote!(
                struct r#type;
            ),
        )
        .to_string();
        assert!(out.contains("__minitrainer_build_type"), "{out}");
    }

    #[test]
    fn a_misspelt_required_key_is_not_also_missing() {
        let out = expand(
            quote!(nme = "mlp", config = A),
            quote!(
                struct M;
            ),
        )
        .to_string();
        assert!(out.contains("did you mean `name`?"), "{out}");
        assert!(!out.contains("missing `name`"), "{out}");
    }
}
