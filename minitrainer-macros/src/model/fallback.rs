// Output next to `#[model]`'s errors (thiserror's `fallback.rs` habit): the item is re-emitted
// by `mod.rs` in every case; here, when the item is a non-generic struct, a stub
// `impl Registered` joins the errors, so a typo in the attribute does not add "no function
// `from_config_str` found for `Mlp`" at every typed use. The stub assumes `Build` the way the
// real impl does (see `codegen.rs`), so it adds no error of its own; it is never run, since the
// crate does not compile.

use proc_macro2::TokenStream;
use quote::quote;

use super::ast::Model;
use crate::paths;

pub fn model(model: &Model, error: syn::Error) -> TokenStream {
    let errors = error.to_compile_error();
    // No stub for a generic struct (nothing to implement it for) or where the runtime's path
    // is unknown (a rejected `crate = ...`: the stub would name a path that may not exist).
    let item = model.item.filter(|item| item.generics.params.is_empty());
    let Some(item) = item.filter(|_| !model.crate_path_rejected) else {
        return errors;
    };
    let private = paths::private(model.crate_path.as_ref());
    let ident = &item.ident;
    quote! {
        #errors

        const _: () = {
            fn __minitrainer_unreachable(
                _: #private::JsonMap,
                _: &mut #private::Init,
            ) -> ::core::result::Result<::std::boxed::Box<dyn #private::Model>, #private::Error> {
                ::core::unreachable!()
            }

            impl #private::Registered for #ident
            where
                for<'__a> #ident: #private::Build,
            {
                const ENTRY: #private::ModelEntry = #private::ModelEntry {
                    name: "",
                    type_name: "",
                    build: __minitrainer_unreachable,
                    schema: #private::schema_of::<#ident>,
                };
            }
        };
    }
}
