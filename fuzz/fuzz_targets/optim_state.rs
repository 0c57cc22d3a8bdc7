//! Optimizer state files: `OptimizerState::from_bytes` on arbitrary bytes, then
//! `load_state_dict` into each optimizer over a fixed model. A refused load changes nothing;
//! an accepted one is followed by a training step, which must not panic.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use minitrainer::optim::{OPTIMIZERS, OptimizerState, optimizer_from_str};

fuzz_target!(|data: &[u8]| {
    let state = match OptimizerState::from_bytes(data, Path::new("optimizer.safetensors")) {
        Ok(state) => state,
        Err(error) => {
            let _ = error.to_string();
            return;
        }
    };
    for name in OPTIMIZERS {
        let model = fuzz_support::net(0);
        let mut opt = optimizer_from_str(name, &model).expect("a known optimizer");
        let before = opt.state_dict().to_bytes().expect("a state serializes");
        match opt.load_state_dict(&state) {
            Ok(()) => {
                fuzz_support::seeds::train_step(&model, &mut *opt);
                let _ = opt.state_dict().to_bytes();
            }
            Err(error) => {
                let _ = error.to_string();
                let after = opt.state_dict().to_bytes().expect("a state serializes");
                assert!(before == after, "a refused load changed the {name} state");
            }
        }
    }
});
