//! `minitrainer::load` on arbitrary text: the JSON form with `model_type` and the compact
//! `name(k=v)` form, over every built-in model and the fuzz crate's nested `fuzz_net`.
//! Every error must display (issue 16: a caret padding once panicked in `fmt`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use minitrainer::registry::ModelSpec;

/// The integers of a spec, summed, that the fuzzer still builds (see `within_budget`).
const BUILD_BUDGET: u64 = 4096;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let spec = match ModelSpec::parse(text) {
        Ok(spec) => spec,
        Err(error) => {
            let _ = error.to_string();
            // `load` must refuse what `ModelSpec::parse` refuses.
            assert!(minitrainer::load(text).is_err());
            return;
        }
    };
    let _ = spec.to_json().to_string();
    if !fuzz_support::within_budget(
        &serde_json::Value::Object(spec.fields.clone()),
        BUILD_BUDGET,
    ) {
        return;
    }
    match minitrainer::load(text) {
        Ok(model) => {
            // A model that loads describes itself, and its config loads it again.
            let config = model.config_value();
            let mut again = config.clone();
            if let Some(object) = again.as_object_mut() {
                object.insert("model_type".into(), model.model_type().into());
            }
            let reloaded = minitrainer::load(&again.to_string());
            assert!(reloaded.is_ok(), "{again}: {:?}", reloaded.err());
        }
        Err(error) => {
            let _ = error.to_string();
        }
    }
});
