//! Resource limits when reading files: a header claiming 100 GB — in a weights file, an
//! optimizer state, an IDX file, a checkpoint — is refused before anything is allocated for
//! it. The checks run in a child process whose address space is capped at 1 GiB, so a reader
//! that obeyed a header would abort there rather than pass thanks to overcommit.

use std::path::Path;
use std::time::Duration;

use minitrainer::data::{DataError, Mnist, read_idx};
use minitrainer::optim::OptimizerState;
use minitrainer::weights::{MAX_HEADER_BYTES, parse_safetensors, read_safetensors};

use super::{in_child, run_child_within};
use crate::scratch_dir;

/// 100 GB, the claim every hostile header below makes.
const HUNDRED_GB: u64 = 100_000_000_000;

/// A safetensors file whose one F32 tensor claims `elements` (its data is 4 real bytes).
fn claiming_tensor(elements: u64) -> Vec<u8> {
    let header = format!(
        r#"{{"w":{{"dtype":"F32","shape":[{elements}],"data_offsets":[0,{}]}}}}"#,
        elements * 4
    );
    let mut bytes = (header.len() as u64).to_le_bytes().to_vec();
    bytes.extend_from_slice(header.as_bytes());
    bytes.extend_from_slice(&[0; 4]);
    bytes
}

/// An IDX file of unsigned bytes whose dimensions claim `shape`, with 16 bytes of data.
fn claiming_idx(shape: &[u32]) -> Vec<u8> {
    let mut bytes = vec![0, 0, 8, shape.len() as u8];
    for d in shape {
        bytes.extend_from_slice(&d.to_be_bytes());
    }
    bytes.extend_from_slice(&[7; 16]);
    bytes
}

fn safetensors_claims(dir: &Path) {
    let path = Path::new("claims.safetensors");
    // The header length itself: 100 GB of JSON.
    let mut bytes = HUNDRED_GB.to_le_bytes().to_vec();
    bytes.extend_from_slice(b"{}");
    let message = parse_safetensors(&bytes, path).unwrap_err().to_string();
    assert!(
        message.contains(&format!("over the {MAX_HEADER_BYTES}-byte limit")),
        "{message}"
    );
    // One past the limit is refused; the limit itself is only refused for lying about the
    // bytes that follow.
    let mut bytes = (MAX_HEADER_BYTES + 1).to_le_bytes().to_vec();
    bytes.extend_from_slice(b"{}");
    assert!(
        parse_safetensors(&bytes, path)
            .unwrap_err()
            .to_string()
            .contains("limit")
    );
    // A tensor of 25 G floats (100 GB) with 4 bytes behind it.
    let bytes = claiming_tensor(HUNDRED_GB / 4);
    let message = parse_safetensors(&bytes, path).unwrap_err().to_string();
    assert!(message.contains("claims.safetensors"), "{message}");
    // From a file, through from_pretrained and as an optimizer state.
    let file = dir.join("model.safetensors");
    std::fs::write(&file, &bytes).expect("write");
    assert!(read_safetensors(&file).is_err());
    minitrainer::load("linear(in_features=2, out_features=2)")
        .expect("a small model")
        .save_pretrained(dir)
        .expect("saved");
    std::fs::write(&file, &bytes).expect("write");
    assert!(minitrainer::from_pretrained(dir).is_err());
    assert!(OptimizerState::from_bytes(&bytes, Path::new("optimizer.safetensors")).is_err());
}

fn idx_claims(dir: &Path) {
    let images = dir.join("images-idx3-ubyte");
    let labels = dir.join("labels-idx1-ubyte");
    // 100 × 1000 × 1,000,000 = 100 GB of pixels claimed, 16 bytes present.
    std::fs::write(&images, claiming_idx(&[100, 1000, 1_000_000])).expect("write");
    std::fs::write(&labels, claiming_idx(&[100_000])).expect("write");
    let error = read_idx(&images).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("needs 100000000000 bytes of data but 16 follow it"),
        "{error}"
    );
    // Four u32 dimensions overflow even u64: still refused, not wrapped.
    std::fs::write(&images, claiming_idx(&[u32::MAX; 4])).expect("write");
    assert!(
        read_idx(&images)
            .unwrap_err()
            .to_string()
            .contains("more than 2^64")
    );
    assert!(matches!(
        Mnist::from_files(&images, &labels),
        Err(DataError::Idx { .. })
    ));
}

fn model_claims() {
    // Valid configs asking for 100 GB of weights: an allocation error, not an abort.
    for spec in [
        "linear(in_features=100000, out_features=250000)",
        "embedding(num_embeddings=25000000000, embedding_dim=1)",
    ] {
        let message = minitrainer::load(spec).map(drop).unwrap_err().to_string();
        assert!(
            message.starts_with("cannot allocate 100000"),
            "{spec}: {message}"
        );
    }
}

#[test]
#[ignore = "run in a memory-capped child process by `headers_claiming_100_gb_are_refused_before_allocating`"]
fn child_reads_headers_claiming_100_gb() {
    assert!(in_child(), "run by its parent test");
    let dir = scratch_dir("limits-child");
    safetensors_claims(&dir);
    idx_claims(&dir);
    model_claims();
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn headers_claiming_100_gb_are_refused_before_allocating() {
    if !cfg!(unix) {
        return; // the cap is `ulimit -v`
    }
    run_child_within(
        "hostile::limits::child_reads_headers_claiming_100_gb",
        Duration::from_secs(60),
        Some(1 << 20),
    );
}
