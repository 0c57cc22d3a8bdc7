//! Unit tests of the IDX reader on tiny crafted files (the real MNIST files: `tests/it`).

use std::path::PathBuf;

use super::{Mnist, read_idx};
use crate::data::{DataError, Dataset, Target};

/// A scratch file named `name` holding `bytes`.
fn file(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("minitrainer-idx-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write scratch file");
    path
}

/// An IDX header of unsigned bytes with these sizes.
fn header(shape: &[u32]) -> Vec<u8> {
    let mut bytes = vec![0, 0, 0x08, shape.len() as u8];
    for size in shape {
        bytes.extend_from_slice(&size.to_be_bytes());
    }
    bytes
}

#[test]
fn reads_shape_and_bytes() -> Result<(), DataError> {
    let mut bytes = header(&[2, 3]);
    bytes.extend_from_slice(&[1, 2, 3, 4, 5, 6]);
    let array = read_idx(&file("ok.idx", &bytes))?;
    assert_eq!(array.shape, vec![2, 3]);
    assert_eq!(array.data, vec![1, 2, 3, 4, 5, 6]);
    Ok(())
}

#[test]
fn a_header_that_disagrees_with_the_length_names_the_file() {
    let mut bytes = header(&[2, 3]);
    bytes.extend_from_slice(&[1, 2, 3, 4, 5]);
    let path = file("short.idx", &bytes);
    let message = read_idx(&path).unwrap_err().to_string();
    assert_eq!(
        message,
        format!(
            "`{}` is not a valid IDX file: the header's shape [2, 3] needs 6 bytes of data but 5 follow it",
            path.display()
        )
    );
}

#[test]
fn a_header_claiming_100_gb_is_refused_without_allocating_it() {
    // 100_000 × 1000 × 1000 bytes = 100 GB claimed by a 20-byte file: reading must fail at
    // once (an allocation of that size would abort the test process).
    let mut bytes = header(&[100_000, 1000, 1000]);
    bytes.extend_from_slice(&[0; 4]);
    let error = read_idx(&file("huge.idx", &bytes)).unwrap_err();
    assert!(
        matches!(&error, DataError::Idx { reason, .. } if reason.contains("100000000000 bytes")),
        "{error}"
    );
}

#[test]
fn a_header_whose_product_overflows_is_refused() {
    let bytes = header(&[u32::MAX, u32::MAX, u32::MAX, u32::MAX]);
    let error = read_idx(&file("overflow.idx", &bytes)).unwrap_err();
    assert!(error.to_string().contains("more than 2^64"), "{error}");
}

#[test]
fn a_wrong_magic_or_element_type_is_refused() {
    let error = read_idx(&file("text.idx", b"hello world")).unwrap_err();
    assert!(error.to_string().contains("IDX magic number"), "{error}");
    let mut bytes = header(&[1]);
    bytes[2] = 0x0d; // float
    bytes.extend_from_slice(&[0; 4]);
    let error = read_idx(&file("float.idx", &bytes)).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("element type 0x0d is not supported"),
        "{error}"
    );
    let error = read_idx(&file("tiny.idx", &[0, 0])).unwrap_err();
    assert!(matches!(error, DataError::Idx { .. }));
}

#[test]
fn mnist_pairs_images_with_labels_and_scales_pixels_to_unit_range() -> Result<(), DataError> {
    let mut images = header(&[2, 1, 2]);
    images.extend_from_slice(&[0, 255, 51, 102]);
    let mut labels = header(&[2]);
    labels.extend_from_slice(&[7, 3]);
    let set = Mnist::from_files(&file("img.idx", &images), &file("lbl.idx", &labels))?;
    assert_eq!(set.len(), 2);
    let example = set.get(1)?;
    assert_eq!(example.features.shape(), &[1, 2]);
    assert_eq!(
        example.features.as_slice(),
        Some(&[51.0 / 255.0, 102.0 / 255.0][..])
    );
    assert_eq!(example.target, Target::Class(3));
    assert!(matches!(
        set.get(2),
        Err(DataError::IndexOutOfRange { index: 2, .. })
    ));
    Ok(())
}

#[test]
fn mnist_refuses_image_and_label_counts_that_differ() {
    let mut images = header(&[2, 1, 1]);
    images.extend_from_slice(&[0, 0]);
    let mut labels = header(&[1]);
    labels.push(0);
    let error =
        Mnist::from_files(&file("img2.idx", &images), &file("lbl2.idx", &labels)).unwrap_err();
    assert!(
        matches!(
            error,
            DataError::CountMismatch {
                left: 2,
                right: 1,
                ..
            }
        ),
        "{error}"
    );
}

#[test]
fn mnist_refuses_files_without_images() {
    let images = header(&[0, 28, 28]);
    let labels = header(&[0]);
    let error =
        Mnist::from_files(&file("img0.idx", &images), &file("lbl0.idx", &labels)).unwrap_err();
    assert!(matches!(error, DataError::Empty { .. }), "{error}");
}
