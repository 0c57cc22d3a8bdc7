//! The Trainer's checkpoint reader: `Trainer::resume` on a valid checkpoint whose
//! `trainer.json` is replaced by arbitrary bytes, then (when it resumes) `fit` to the end of
//! a short run. The weights, optimizer and generator files stay valid, so the fuzzer reaches
//! the run state: position, history, scheduler and callback states.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use fuzz_support::trainer::{loader, options, trainer, write_checkpoint};
use libfuzzer_sys::fuzz_target;

fn checkpoint() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| write_checkpoint(&fuzz_support::scratch_dir("trainer_resume").join("run")))
}

fuzz_target!(|data: &[u8]| {
    let dir = checkpoint();
    std::fs::write(dir.join("trainer.json"), data).expect("a writable scratch file");
    let mut trainer = trainer(2, options(6, None));
    match trainer.resume(dir) {
        Ok(_) => {
            let train = loader();
            match trainer.fit(&train, None) {
                Ok(history) => {
                    let _ = history.epochs.len();
                }
                Err(error) => {
                    let _ = error.to_string();
                }
            }
        }
        Err(error) => {
            let _ = error.to_string();
        }
    }
});
