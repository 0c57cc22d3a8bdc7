//! `data::Csv` on arbitrary bytes written to a file (so gzip detection and UTF-8 decoding run
//! too). The first byte picks the target: class labels, regression values, none, or named
//! features. Every sample of a set that loads can be read.
#![no_main]

use libfuzzer_sys::fuzz_target;
use minitrainer::data::{Csv, Dataset};

fuzz_target!(|data: &[u8]| {
    let Some((&mode, content)) = data.split_first() else {
        return;
    };
    let path = fuzz_support::scratch_file("csv", "data.csv", content);
    let csv = match mode % 4 {
        0 => Csv::new(&path).classes("label"),
        1 => Csv::new(&path).classes("label").features(["b", "a"]),
        2 => Csv::new(&path).values(["label", "b"]),
        _ => Csv::new(&path),
    };
    match csv.load() {
        Ok(set) => {
            for i in 0..set.len() {
                set.get(i).expect("an index below len reads");
            }
            assert!(set.get(set.len()).is_err());
            let _ = (set.feature_names(), set.class_names());
        }
        Err(error) => {
            let _ = error.to_string();
        }
    }
});
