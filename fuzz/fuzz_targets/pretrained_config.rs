//! `from_pretrained` on a directory whose `config.json` is arbitrary bytes beside valid
//! weights (issue 16's inputs: a reordered or reformatted config, an omitted default, another
//! model's config). A directory that loads holds exactly the saved weights.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use minitrainer::prelude::*;

/// The saved directory and the bits of the weights saved in it.
fn saved() -> &'static (&'static Path, Vec<Vec<u32>>) {
    static SAVED: OnceLock<(&'static Path, Vec<Vec<u32>>)> = OnceLock::new();
    SAVED.get_or_init(|| {
        let dir = fuzz_support::scratch_dir("pretrained_config");
        let model = fuzz_support::net(5);
        model.save_pretrained(dir).expect("a model saves");
        (dir, bits(&model))
    })
}

fn bits(model: &dyn Module) -> Vec<Vec<u32>> {
    model
        .state_dict()
        .iter()
        .map(|(_, t)| t.to_vec().iter().map(|v| v.to_bits()).collect())
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let (dir, saved_bits) = saved();
    std::fs::write(dir.join("config.json"), data).expect("a writable scratch file");
    match minitrainer::from_pretrained(dir) {
        Ok(model) => assert_eq!(&bits(&*model), saved_bits, "loaded other weights"),
        Err(error) => {
            let _ = error.to_string();
        }
    }
    match fuzz_support::FuzzNet::from_pretrained(dir) {
        Ok(model) => assert_eq!(&bits(&model), saved_bits, "loaded other weights"),
        Err(error) => {
            let _ = error.to_string();
        }
    }
});
