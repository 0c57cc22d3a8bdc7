// `#[derive(Module)]`: parse → IR → check → codegen (STYLE.md 6.2).
//
// attr.rs   `#[module(...)]` keys into typed slots (duplicates, unknown keys)
// ast.rs    the IR: container, fields with resolved names, enum variants
// check.rs  cross-field rules (skip conflicts, name collisions, lifetimes)
// codegen.rs the `Module` and `ModuleField` impls
// fallback.rs  stub impls emitted next to errors
// symbol.rs the attribute keys

mod ast;
mod attr;
mod check;
mod codegen;
mod fallback;
mod symbol;

use proc_macro2::TokenStream;

use crate::ctxt::Ctxt;

pub use fallback::module as fallback;

/// Expands `#[derive(Module)]`, or returns every error found.
pub fn expand(input: &syn::DeriveInput) -> syn::Result<TokenStream> {
    let cx = Ctxt::new();
    let Some(cont) = ast::Container::from_ast(&cx, input) else {
        // Internal invariant: `None` means an error was pushed.
        cx.check()?;
        return Err(syn::Error::new_spanned(
            &input.ident,
            "minitrainer-macros internal error: no IR and no error",
        ));
    };
    check::module(&cx, &cont);
    cx.check()?;
    Ok(codegen::module(&cont))
}

#[cfg(test)]
mod tests {
    use super::expand;

    fn errors(input: syn::DeriveInput) -> String {
        match expand(&input) {
            Ok(_) => String::new(),
            Err(err) => err
                .into_iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }

    #[test]
    fn accumulates_every_attribute_error() {
        let errors = errors(syn::parse_quote! {
            struct Net {
                #[module(skp)]
                a: Linear,
                #[module(rename = "b.c")]
                b: Linear,
                #[module(skip, skip)]
                c: usize,
            }
        });
        assert!(errors.contains("unknown module attribute `skp`; did you mean `skip`?"));
        assert!(errors.contains("can't contain `.`"));
        assert!(errors.contains("duplicate module attribute `skip`"));
    }

    #[test]
    fn renamed_field_colliding_with_another_is_an_error() {
        let errors = errors(syn::parse_quote! {
            struct Net {
                head: Linear,
                #[module(rename = "head")]
                other: Linear,
            }
        });
        assert!(errors.contains("two fields are named `head`"), "{errors}");
    }

    #[test]
    fn raw_identifiers_are_unraw_ed_and_tuple_fields_are_indexed() {
        let tokens = expand(&syn::parse_quote! {
            struct Net(Linear, #[module(rename = "r#type")] Linear);
        })
        .map(|t| t.to_string())
        .unwrap_or_default();
        assert!(tokens.contains("\"0\""), "{tokens}");
        let tokens = expand(&syn::parse_quote! { struct Net { r#type: Linear } })
            .map(|t| t.to_string())
            .unwrap_or_default();
        assert!(tokens.contains("\"type\""), "{tokens}");
    }
}
