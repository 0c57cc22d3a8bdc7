//! The IDX reader: `read_idx` on an image file and a label file, then `Mnist::from_files` on
//! the pair. Input: a little-endian `u16` length of the image file, its bytes, then the label
//! file's bytes (either may be gzipped).
#![no_main]

use libfuzzer_sys::fuzz_target;
use minitrainer::data::{Dataset, Mnist, read_idx};

fuzz_target!(|data: &[u8]| {
    let Some((len, rest)) = data.split_first_chunk::<2>() else {
        return;
    };
    let split = usize::from(u16::from_le_bytes(*len)).min(rest.len());
    let (images, labels) = rest.split_at(split);
    let images = fuzz_support::scratch_file("idx", "images-idx3-ubyte", images);
    let labels = fuzz_support::scratch_file("idx", "labels-idx1-ubyte", labels);
    for path in [&images, &labels] {
        match read_idx(path) {
            Ok(array) => {
                let count: usize = array.shape.iter().product();
                assert_eq!(count, array.data.len());
            }
            Err(error) => {
                let _ = error.to_string();
            }
        }
    }
    match Mnist::from_files(&images, &labels) {
        Ok(set) => {
            for i in 0..set.len() {
                set.get(i).expect("an index below len reads");
            }
            assert!(set.get(set.len()).is_err());
        }
        Err(error) => {
            let _ = error.to_string();
        }
    }
});
