//! Weights files: `weights::parse_safetensors` on arbitrary bytes, then `load_state_dict` of
//! what it read into a model (strict and not), and `from_pretrained` on a directory whose
//! `model.safetensors` holds the bytes (one directory reused for every run). A load either
//! fully succeeds or leaves the model untouched.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use minitrainer::prelude::*;
use minitrainer::weights::parse_safetensors;

fn pretrained_dir() -> &'static Path {
    static DIR: OnceLock<&'static Path> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = fuzz_support::scratch_dir("safetensors");
        fuzz_support::net(0)
            .save_pretrained(dir)
            .expect("a model saves");
        dir
    })
}

fn bits(model: &dyn Module) -> Vec<(String, Vec<u32>)> {
    model
        .state_dict()
        .iter()
        .map(|(k, t)| {
            (
                k.to_string(),
                t.to_vec().iter().map(|v| v.to_bits()).collect(),
            )
        })
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let dir = pretrained_dir();
    match parse_safetensors(data, Path::new("fuzz.safetensors")) {
        Ok(tensors) => {
            let state: StateDict = tensors.into_iter().collect();
            for strict in [true, false] {
                let mut model = fuzz_support::net(0);
                let before = bits(&model);
                match model.load_state_dict(&state, strict) {
                    Ok(_) => {}
                    Err(error) => {
                        let _ = error.to_string();
                        assert_eq!(bits(&model), before, "a refused load changed the model");
                    }
                }
            }
        }
        Err(error) => {
            let _ = error.to_string();
        }
    }
    std::fs::write(dir.join("model.safetensors"), data).expect("a writable scratch file");
    match minitrainer::from_pretrained(dir) {
        Ok(model) => {
            let _ = model.forward(Tensor::zeros(&[2, 4]));
        }
        Err(error) => {
            let _ = error.to_string();
        }
    }
});
