//! Reading crafted good and bad safetensors files: every bad one is an error naming the file
//! and the problem, none panics.

use std::path::Path;

use super::*;
use crate::Tensor;

const PATH: &str = "weights/model.safetensors";

/// A safetensors file from a header and a data section, exactly as the format lays it out.
fn file(header: &str, data: &[u8]) -> Vec<u8> {
    let mut bytes = (header.len() as u64).to_le_bytes().to_vec();
    bytes.extend_from_slice(header.as_bytes());
    bytes.extend_from_slice(data);
    bytes
}

fn parse(bytes: &[u8]) -> Result<Vec<(String, Tensor)>, IoError> {
    parse_safetensors(bytes, Path::new(PATH))
}

fn error_of(bytes: &[u8]) -> String {
    let error = parse(bytes).expect_err("a bad file must be refused");
    let message = error.to_string();
    assert!(
        message.contains(PATH),
        "error does not name the file: {message}"
    );
    message
}

fn f32_bytes(values: &[f32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

#[test]
fn round_trip_keeps_names_shapes_and_values_in_order() -> Result<(), IoError> {
    let w = Tensor::from_vec(vec![1.0, -2.0, 3.5, 4.0, 0.1, 6.0], &[2, 3]).expect("shape fits");
    let b = Tensor::from_vec(vec![0.5, -0.5], &[2]).expect("shape fits");
    let bytes = serialize_safetensors(&[("net.0.weight".into(), w), ("net.0.bias".into(), b)])?;
    let read = parse(&bytes)?;
    let names: Vec<_> = read
        .iter()
        .map(|(k, t)| (k.as_str(), t.shape().to_vec()))
        .collect();
    assert!(names.contains(&("net.0.weight", vec![2, 3])));
    assert!(names.contains(&("net.0.bias", vec![2])));
    let weight = &read
        .iter()
        .find(|(k, _)| k == "net.0.weight")
        .expect("present")
        .1;
    assert_eq!(
        weight.to_array().iter().copied().collect::<Vec<_>>(),
        vec![1.0, -2.0, 3.5, 4.0, 0.1, 6.0]
    );
    Ok(())
}

#[test]
fn written_header_is_pytorch_style() -> Result<(), IoError> {
    let bytes = serialize_safetensors(&[("w".into(), Tensor::full(&[2], 1.5))])?;
    let header_len = u64::from_le_bytes(bytes[..8].try_into().expect("8 bytes")) as usize;
    let header: serde_json::Value =
        serde_json::from_slice(&bytes[8..8 + header_len]).expect("JSON header");
    assert_eq!(header["__metadata__"], serde_json::json!({"format": "pt"}));
    assert_eq!(header["w"]["dtype"], "F32");
    assert_eq!(header["w"]["shape"], serde_json::json!([2]));
    assert_eq!(
        &bytes[8 + header_len..],
        &f32_bytes(&[1.5, 1.5])[..],
        "little-endian f32"
    );
    Ok(())
}

#[test]
fn duplicate_names_are_refused_when_writing() {
    let t = Tensor::zeros(&[1]);
    let error = serialize_safetensors(&[("a".into(), t.clone()), ("a".into(), t)])
        .expect_err("duplicate key");
    assert!(
        matches!(error, IoError::DuplicateKey { ref key, .. } if key == "a"),
        "{error}"
    );
}

#[test]
fn f64_f16_and_bf16_are_converted_to_f32() -> Result<(), IoError> {
    let f64_data: Vec<u8> = [0.25f64, -3.0]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect();
    // 1.0 in f16 is 0x3c00; -2.0 in bf16 is 0xc000.
    let mut data = f64_data;
    data.extend_from_slice(&0x3c00u16.to_le_bytes());
    data.extend_from_slice(&0xc000u16.to_le_bytes());
    let header = r#"{"a":{"dtype":"F64","shape":[2],"data_offsets":[0,16]},
        "h":{"dtype":"F16","shape":[1],"data_offsets":[16,18]},
        "b":{"dtype":"BF16","shape":[1],"data_offsets":[18,20]}}"#;
    let read = parse(&file(header, &data))?;
    let values: Vec<(String, Vec<f32>)> = read
        .iter()
        .map(|(k, t)| (k.clone(), t.to_array().iter().copied().collect()))
        .collect();
    assert_eq!(
        values,
        vec![
            ("a".into(), vec![0.25, -3.0]),
            ("h".into(), vec![1.0]),
            ("b".into(), vec![-2.0])
        ]
    );
    Ok(())
}

/// One tensor per integer dtype (and BOOL), each holding its type's extremes, plus the 0-d I64
/// `num_batches_tracked` PyTorch writes for BatchNorm.
fn integer_file() -> Vec<u8> {
    let mut data = Vec::new();
    let mut header = Vec::new();
    let mut add = |name: &str, dtype: &str, shape: &str, bytes: Vec<u8>| {
        let start = data.len();
        data.extend_from_slice(&bytes);
        header.push(format!(
            r#""{name}":{{"dtype":"{dtype}","shape":{shape},"data_offsets":[{start},{}]}}"#,
            data.len()
        ));
    };
    add(
        "i8",
        "I8",
        "[2]",
        [i8::MIN, 7].iter().flat_map(|v| v.to_le_bytes()).collect(),
    );
    add("u8", "U8", "[2]", vec![u8::MAX, 0]);
    add(
        "i16",
        "I16",
        "[2]",
        [i16::MIN, -3]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect(),
    );
    add("u16", "U16", "[1]", u16::MAX.to_le_bytes().to_vec());
    add(
        "i32",
        "I32",
        "[2]",
        [-(1i32 << 24), 5]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect(),
    );
    add("u32", "U32", "[1]", u32::MAX.to_le_bytes().to_vec());
    add(
        "i64",
        "I64",
        "[2]",
        [i64::MIN, -1]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect(),
    );
    add("u64", "U64", "[1]", u64::MAX.to_le_bytes().to_vec());
    add("flags", "BOOL", "[3]", vec![1, 0, 1]);
    add(
        "bn.num_batches_tracked",
        "I64",
        "[]",
        12i64.to_le_bytes().to_vec(),
    );
    file(&format!("{{{}}}", header.join(",")), &data)
}

#[test]
fn integer_and_bool_dtypes_are_converted_to_f32() -> Result<(), IoError> {
    let read = parse(&integer_file())?;
    let values: Vec<(&str, Vec<usize>, Vec<f32>)> = read
        .iter()
        .map(|(k, t)| (k.as_str(), t.shape().to_vec(), t.to_vec()))
        .collect();
    assert_eq!(
        values,
        vec![
            ("i8", vec![2], vec![-128.0, 7.0]),
            ("u8", vec![2], vec![255.0, 0.0]),
            ("i16", vec![2], vec![-32768.0, -3.0]),
            ("u16", vec![1], vec![65535.0]),
            ("i32", vec![2], vec![-16777216.0, 5.0]),
            // Beyond 2^24 in magnitude: rounded to the nearest f32.
            ("u32", vec![1], vec![4294967296.0]),
            ("i64", vec![2], vec![-9223372036854775808.0, -1.0]),
            ("u64", vec![1], vec![18446744073709551616.0]),
            ("flags", vec![3], vec![1.0, 0.0, 1.0]),
            ("bn.num_batches_tracked", vec![], vec![12.0]),
        ]
    );
    Ok(())
}

#[test]
fn integer_tensor_with_a_partial_element_is_a_size_mismatch() {
    // Two I64 elements need 16 bytes; the header gives 12.
    let header = r#"{"step":{"dtype":"I64","shape":[2],"data_offsets":[0,12]}}"#;
    let error = parse(&file(header, &[0; 12])).expect_err("size lie");
    assert!(
        matches!(error, IoError::SizeMismatch { ref key, expected: 16, actual: 12, .. } if key == "step"),
        "{error}"
    );
}

#[test]
fn flipped_bytes_of_an_integer_file_never_panic() {
    let good = integer_file();
    for position in 0..good.len() {
        for value in [0u8, 0xff, b'"', b'9', b'{', b']'] {
            let mut bad = good.clone();
            bad[position] = value;
            // Either refused or read; what matters is that it returns.
            let _ = parse(&bad);
        }
    }
}

#[test]
fn every_prefix_of_an_integer_file_is_an_error_not_a_panic() {
    let good = integer_file();
    for cut in 0..good.len() {
        assert!(
            parse(&good[..cut]).is_err(),
            "prefix of {cut} bytes accepted"
        );
    }
}

#[test]
fn dtype_without_an_f32_conversion_is_refused_naming_key_and_dtype() {
    // Each shape is 8 bytes of its dtype, so only the dtype is wrong.
    for (dtype, len) in [("F8_E4M3", 8), ("C64", 1), ("F4", 16)] {
        let header =
            format!(r#"{{"w":{{"dtype":"{dtype}","shape":[{len}],"data_offsets":[0,8]}}}}"#);
        let message = error_of(&file(&header, &[0; 8]));
        assert!(
            message.contains("`w`") && message.contains(dtype),
            "{message}"
        );
    }
}

#[test]
fn empty_file_is_refused() {
    let message = error_of(&[]);
    assert!(message.contains("0 bytes"), "{message}");
}

#[test]
fn truncated_data_is_refused() {
    let good = file(
        r#"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#,
        &f32_bytes(&[1.0, 2.0]),
    );
    let message = error_of(&good[..good.len() - 3]);
    assert!(message.contains("truncated"), "{message}");
}

#[test]
fn truncated_header_is_refused() {
    let good = file(
        r#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#,
        &f32_bytes(&[1.0]),
    );
    let message = error_of(&good[..20]);
    assert!(message.contains("truncated"), "{message}");
}

#[test]
fn every_prefix_of_a_valid_file_is_an_error_not_a_panic() -> Result<(), IoError> {
    let good = serialize_safetensors(&[("w".into(), Tensor::ones(&[3, 2]))])?;
    for cut in 0..good.len() {
        assert!(
            parse(&good[..cut]).is_err(),
            "prefix of {cut} bytes accepted"
        );
    }
    Ok(())
}

#[test]
fn flipped_bytes_never_panic() -> Result<(), IoError> {
    let good = serialize_safetensors(&[
        ("w".into(), Tensor::ones(&[3, 2])),
        ("b".into(), Tensor::ones(&[2])),
    ])?;
    for position in 0..good.len() {
        for value in [0u8, 0xff, b'"', b'9', b'{'] {
            let mut bad = good.clone();
            bad[position] = value;
            // Either refused or read; what matters is that it returns.
            let _ = parse(&bad);
        }
    }
    Ok(())
}

#[test]
fn garbage_is_refused() {
    let message = error_of(b"this is not a safetensors file, just some text");
    assert!(
        message.contains("not a valid safetensors file"),
        "{message}"
    );
}

#[test]
fn huge_header_length_is_refused() {
    let mut bytes = u64::MAX.to_le_bytes().to_vec();
    bytes.extend_from_slice(b"{}");
    error_of(&bytes);
}

#[test]
fn header_that_is_not_json_is_refused() {
    let message = error_of(&file("{not json", &[]));
    assert!(message.contains("not a JSON object"), "{message}");
}

#[test]
fn header_lying_about_size_names_the_tensor() {
    // A [2, 3] F32 tensor needs 24 bytes; the header gives it 16.
    let header = r#"{"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,16]}}"#;
    let error = parse(&file(header, &[0; 16])).expect_err("size lie");
    assert!(
        matches!(error, IoError::SizeMismatch { ref key, expected: 24, actual: 16, .. } if key == "w"),
        "{error}"
    );
}

#[test]
fn header_lying_about_offsets_names_the_tensor() {
    let header = r#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},
        "b":{"dtype":"F32","shape":[1],"data_offsets":[2,6]}}"#;
    let message = error_of(&file(header, &[0; 6]));
    assert!(
        message.contains("lies about offsets") && message.contains("`b`"),
        "{message}"
    );
}

#[test]
fn trailing_bytes_are_refused() {
    let bytes = file(
        r#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#,
        &[0; 9],
    );
    let message = error_of(&bytes);
    assert!(
        message.contains("4 bytes of tensor data") && message.contains("9"),
        "{message}"
    );
}

#[test]
fn header_missing_a_field_names_the_tensor_and_field() {
    let message = error_of(&file(
        r#"{"w":{"dtype":"F32","data_offsets":[0,4]}}"#,
        &[0; 4],
    ));
    assert!(
        message.contains("`w`") && message.contains("`shape`"),
        "{message}"
    );
}

#[test]
fn unknown_dtype_is_refused() {
    let message = error_of(&file(
        r#"{"w":{"dtype":"Q4","shape":[1],"data_offsets":[0,4]}}"#,
        &[0; 4],
    ));
    assert!(
        message.contains("`w`") && message.contains("Q4"),
        "{message}"
    );
}

#[test]
fn overflowing_shape_is_refused() {
    let header = format!(
        r#"{{"w":{{"dtype":"F32","shape":[{},{}],"data_offsets":[0,4]}}}}"#,
        usize::MAX,
        4
    );
    error_of(&file(&header, &[0; 4]));
}

#[test]
fn missing_file_is_an_error_naming_it() {
    let error = read_safetensors("/nonexistent/model.safetensors").expect_err("no such file");
    assert!(
        error.to_string().contains("/nonexistent/model.safetensors"),
        "{error}"
    );
}

#[test]
fn pytorch_fixture_reads_with_its_names_and_shapes() -> Result<(), IoError> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/fixtures/torch_tinynet");
    let tensors = read_safetensors(dir.join("model.safetensors"))?;
    let mut shapes: Vec<(String, Vec<usize>)> = tensors
        .iter()
        .map(|(k, t)| (k.clone(), t.shape().to_vec()))
        .collect();
    shapes.sort();
    assert_eq!(
        shapes,
        vec![
            ("net.0.bias".into(), vec![32]),
            ("net.0.weight".into(), vec![32, 64]),
            ("net.2.bias".into(), vec![10]),
            ("net.2.weight".into(), vec![10, 32]),
        ]
    );
    Ok(())
}
