//! The ready-made data sets end to end: CSV files (plain and gzipped) and their error messages,
//! the splits' guarantees, scaling fitted on train, digits, and the real MNIST files.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

use minitrainer::data::{
    Csv, DataError, Dataset, DatasetExt, Digits, Example, Mnist, Scaler, Target,
};

type Result<T = (), E = Box<dyn std::error::Error>> = std::result::Result<T, E>;

/// The MNIST files, shared by the workspace checkouts (`../shared/data/mnist` from the root).
const MNIST: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/mnist");

fn gzip(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?)
}

fn all(set: &impl Dataset<Item = Example, Error = DataError>) -> Result<Vec<Example>, DataError> {
    (0..set.len()).map(|i| set.get(i)).collect()
}

#[test]
fn gzipped_and_plain_csv_give_the_same_data() -> Result {
    let dir = crate::scratch_dir("datasets-gzip");
    let text = "x0,x1,label\n0.5,1,cat\n-2,3e2,dog\n4,0.25,cat\n";
    std::fs::write(dir.join("pets.csv"), text)?;
    std::fs::write(dir.join("pets.csv.gz"), gzip(text.as_bytes())?)?;
    let plain = Csv::new(dir.join("pets.csv")).classes("label").load()?;
    let gz = Csv::new(dir.join("pets.csv.gz")).classes("label").load()?;
    assert_eq!(all(&plain)?, all(&gz)?);
    assert_eq!(gz.get(1)?.features.as_slice(), Some(&[-2.0, 300.0][..]));
    assert_eq!(gz.get(1)?.target, Target::Class(1));
    Ok(())
}

#[test]
fn csv_errors_reach_the_crate_error_naming_file_line_and_column() -> Result {
    let dir = crate::scratch_dir("datasets-errors");
    let path = dir.join("bad.csv.gz");
    std::fs::write(&path, gzip(b"a,b,target\n1,2,0\n1,oops,1\n")?)?;
    let error: minitrainer::Error = Csv::new(&path).classes("target").load().unwrap_err().into();
    let message = error.to_string();
    assert!(
        message.contains("bad.csv.gz` line 3, column 2 (`b`): `oops` is not a number"),
        "{message}"
    );

    let error = Csv::new(&path).classes("taget").load().unwrap_err();
    assert!(
        error
            .to_string()
            .contains("no column `taget` (did you mean `target`?)"),
        "{error}"
    );

    let ragged = dir.join("ragged.csv");
    std::fs::write(&ragged, "a,b,c,target\n1,2,3,0\n1,2,0\n")?;
    let error = Csv::new(&ragged).classes("target").load().unwrap_err();
    assert!(
        matches!(
            error,
            DataError::RaggedRow {
                line: 3,
                expected: 4,
                found: 3,
                ..
            }
        ),
        "{error}"
    );

    let missing = dir.join("missing.csv");
    let error = Csv::new(&missing).load().unwrap_err();
    assert!(error.to_string().starts_with("cannot read `"), "{error}");
    Ok(())
}

#[test]
fn random_splits_are_reproducible_per_seed_disjoint_and_cover_the_set() -> Result {
    let indices = |seed| -> Result<(Vec<usize>, Vec<usize>), DataError> {
        let (a, b) = Digits::load().random_split(0.8, seed)?;
        Ok((a.indices().to_vec(), b.indices().to_vec()))
    };
    let (train, valid) = indices(7)?;
    assert_eq!((train.len(), valid.len()), (1438, 359));
    assert_eq!(indices(7)?, (train.clone(), valid.clone()));
    assert_ne!(indices(8)?.0, train);
    let union: BTreeSet<usize> = train.iter().chain(&valid).copied().collect();
    assert_eq!(union.len(), 1797, "disjoint and covering");
    assert_eq!(union, (0..1797).collect());
    Ok(())
}

#[test]
fn stratified_split_keeps_class_proportions() -> Result {
    let digits = Digits::load();
    let classes =
        |set: &dyn Fn(usize) -> Result<Target, DataError>, len: usize| -> Result<[usize; 10]> {
            let mut counts = [0usize; 10];
            for i in 0..len {
                if let Target::Class(c) = set(i)? {
                    counts[c] += 1;
                }
            }
            Ok(counts)
        };
    let whole = classes(&|i| Ok(digits.get(i)?.target), digits.len())?;
    let (train, test) = digits.stratified_split(0.75, 3)?;
    let in_train = classes(&|i| Ok(train.get(i)?.target), train.len())?;
    let in_test = classes(&|i| Ok(test.get(i)?.target), test.len())?;
    for class in 0..10 {
        let expected = (0.75 * whole[class] as f64).round() as usize;
        assert_eq!(in_train[class], expected, "class {class}");
        assert_eq!(in_train[class] + in_test[class], whole[class]);
    }
    let (again, _) = Digits::load().stratified_split(0.75, 3)?;
    assert_eq!(again.indices(), train.indices());
    let union: BTreeSet<usize> = train
        .indices()
        .iter()
        .chain(test.indices())
        .copied()
        .collect();
    assert_eq!(union.len(), 1797);
    Ok(())
}

#[test]
fn range_splits_refuse_ranges_past_the_end() {
    let error = Digits::load()
        .split_ranges(&[0..10, 1790..1800])
        .unwrap_err();
    assert!(error.to_string().contains("1790..1800"), "{error}");
}

#[test]
fn scaler_fitted_on_digits_train_standardises_train_and_applies_to_test() -> Result {
    let (train, test) = Digits::train_test();
    let scaler = Scaler::fit_standard(&train)?;
    let scaled = scaler.apply(train)?;
    // Every non-constant feature of the scaled training split has mean 0 and std 1.
    let rows = all(&scaled)?;
    let n = rows.len() as f64;
    for feature in [10, 20, 36] {
        let values: Vec<f64> = rows
            .iter()
            .map(|e| f64::from(e.features[[feature]]))
            .collect();
        let mean = values.iter().sum::<f64>() / n;
        let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
        assert!(
            mean.abs() < 1e-5 && (var - 1.0).abs() < 1e-4,
            "feature {feature}: {mean} {var}"
        );
    }
    // Feature 0 is always 0 in digits: constant, so it maps to 0, not NaN.
    assert!(rows.iter().all(|e| e.features[[0]] == 0.0));
    let saved = Scaler::from_json(&scaler.to_json())?;
    assert_eq!(
        all(&saved.apply(test.clone())?)?,
        all(&scaler.apply(test)?)?
    );
    Ok(())
}

#[test]
fn mnist_train_and_test_load_with_the_known_label_counts() -> Result {
    if !Path::new(MNIST).exists() {
        return Err(format!("MNIST files expected at {MNIST}").into());
    }
    let count = |labels: &[u8]| {
        let mut counts = [0usize; 10];
        labels.iter().for_each(|&l| counts[usize::from(l)] += 1);
        counts
    };
    let train = Mnist::train(MNIST)?;
    assert_eq!(train.len(), 60_000);
    assert_eq!(
        count(train.labels()),
        [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
    );
    let test = Mnist::test(MNIST)?;
    assert_eq!(test.len(), 10_000);
    assert_eq!(
        count(test.labels()),
        [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    );
    let first = train.get(0)?;
    assert_eq!(first.features.shape(), &[28, 28]);
    assert_eq!(first.target, Target::Class(5));
    assert!(first.features.iter().all(|&p| (0.0..=1.0).contains(&p)));
    assert!(first.features.iter().any(|&p| p == 1.0));
    Ok(())
}
