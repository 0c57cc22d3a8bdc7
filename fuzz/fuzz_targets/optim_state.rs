//! Optimizer state files: `OptimizerState::from_bytes` on arbitrary bytes, then
//! `load_state_dict` into each optimizer over a fixed model. A refused load changes nothing;
//! an accepted one is followed by a training step, which must not panic.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use minitrainer::optim::{GroupState, OPTIMIZERS, OptimizerState, optimizer_from_str};

/// Everything a state holds, comparable (its bytes are not: the metadata map's order varies).
type Snapshot = (
    String,
    Vec<GroupState>,
    Vec<(String, u64)>,
    Vec<(String, Vec<u32>)>,
);

fn snapshot(state: &OptimizerState) -> Snapshot {
    (
        state.optimizer.clone(),
        state.groups.clone(),
        state.steps.iter().map(|(k, v)| (k.clone(), *v)).collect(),
        state
            .tensors
            .iter()
            .map(|(k, t)| (k.clone(), t.to_vec().iter().map(|v| v.to_bits()).collect()))
            .collect(),
    )
}

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
        let before = snapshot(&opt.state_dict());
        match opt.load_state_dict(&state) {
            Ok(()) => {
                fuzz_support::seeds::train_step(&model, &mut *opt);
                let _ = opt.state_dict().to_bytes();
            }
            Err(error) => {
                let _ = error.to_string();
                let after = snapshot(&opt.state_dict());
                assert!(before == after, "a refused load changed the {name} state");
            }
        }
    }
});
