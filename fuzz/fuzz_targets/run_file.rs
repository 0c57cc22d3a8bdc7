//! The CLI's run-file parser on arbitrary input: lines starting `set ` are `--set` overrides,
//! the rest is the run file's JSON. Parsing, applying the overrides and decoding (which gathers
//! every problem, looping until no unknown key is left) must end with a run or an error that
//! displays — no panic, no hang.
#![no_main]

use std::path::{Path, PathBuf};

use libfuzzer_sys::fuzz_target;
use minitrainer_cli::run_file::{Override, apply_overrides, decode};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (sets, json): (Vec<&str>, Vec<&str>) = text.lines().partition(|l| l.starts_with("set "));
    let Ok(mut value) = serde_json::from_str::<serde_json::Value>(&json.join("\n")) else {
        return;
    };
    let mut overrides = Vec::new();
    for set in sets {
        match Override::parse(&set["set ".len()..]) {
            Ok(o) => overrides.push(o),
            Err(error) => {
                let _ = error.to_string();
                return;
            }
        }
    }
    if let Err(error) = apply_overrides(&mut value, &overrides) {
        let _ = error.to_string();
        return;
    }
    match decode(Path::new("fuzz.json"), value, PathBuf::from("/nonexistent")) {
        Ok(run) => {
            let _ = run.to_json().to_string();
        }
        Err(error) => {
            let _ = error.to_string();
        }
    }
});
