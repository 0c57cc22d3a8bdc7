//! Unit tests of the CSV reader (parsing from text; gzip files are tested in `tests/it`).

use ndarray::{ArrayD, IxDyn};

use super::Csv;
use crate::data::{DataError, Dataset, Target};

const IRIS: &str = "\
sepal,petal,species
5.1,1.4,setosa

6.3,4.9,virginica
5.8,4.0,versicolor
";

#[test]
fn string_labels_become_classes_in_sorted_order() -> Result<(), DataError> {
    let set = Csv::new("iris.csv").classes("species").parse(IRIS)?;
    assert_eq!(set.len(), 3);
    assert_eq!(
        set.class_names(),
        Some(
            &[
                "setosa".to_string(),
                "versicolor".into(),
                "virginica".into()
            ][..]
        )
    );
    assert_eq!(set.feature_names(), &["sepal".to_string(), "petal".into()]);
    let example = set.get(1)?;
    assert_eq!(example.features.as_slice(), Some(&[6.3, 4.9][..]));
    assert_eq!(example.target, Target::Class(2));
    Ok(())
}

#[test]
fn numeric_labels_are_the_class_indices() -> Result<(), DataError> {
    let set = Csv::new("d.csv").classes("y").parse("a,y\n1,3\n2,0\n")?;
    assert_eq!(set.get(0)?.target, Target::Class(3));
    assert_eq!(set.class_names(), None);
    Ok(())
}

#[test]
fn regression_targets_and_chosen_features() -> Result<(), DataError> {
    let set = Csv::new("h.csv")
        .values(["price"])
        .features(["rooms"])
        .parse("rooms,age,price\n3,10,2.5\n")?;
    let example = set.get(0)?;
    assert_eq!(example.features.as_slice(), Some(&[3.0][..]));
    assert_eq!(
        example.target,
        Target::Values(ArrayD::from_elem(IxDyn(&[1]), 2.5))
    );
    Ok(())
}

#[test]
fn a_ragged_row_names_file_and_line() {
    let error = Csv::new("r.csv").parse("a,b,c\n1,2,3\n4,5\n").unwrap_err();
    assert_eq!(
        error.to_string(),
        "`r.csv` line 3: 2 fields but the header has 3; every row needs one field per header column"
    );
}

#[test]
fn a_non_number_names_file_line_and_column_and_quotes_the_text() {
    let error = Csv::new("n.csv").parse("a,b\n1,2\n3,x7\n").unwrap_err();
    assert_eq!(
        error.to_string(),
        "`n.csv` line 3, column 2 (`b`): `x7` is not a number"
    );
}

#[test]
fn a_quoted_field_is_refused_with_its_position() {
    let error = Csv::new("q.csv").parse("a,b\n1,\"2\"\n").unwrap_err();
    assert!(
        matches!(
            error,
            DataError::QuotedField {
                line: 2,
                column: 2,
                ..
            }
        ),
        "{error}"
    );
}

#[test]
fn a_missing_target_column_suggests_the_closest_header_name() {
    let error = Csv::new("iris.csv")
        .classes("specis")
        .parse(IRIS)
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "`iris.csv` has no column `specis` (did you mean `species`?); \
         the header has `sepal`, `petal`, `species`"
    );
    let error = Csv::new("iris.csv")
        .features(["sepla"])
        .parse(IRIS)
        .unwrap_err();
    assert!(matches!(error, DataError::MissingColumn { suggestion: Some(s), .. } if s == "sepal"));
}

#[test]
fn a_fractional_or_negative_numeric_label_is_refused() {
    for bad in ["1.5", "-1"] {
        let text = format!("a,y\n1,0\n2,{bad}\n");
        let error = Csv::new("l.csv").classes("y").parse(&text).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "`l.csv` line 3, column 2 (`y`): class label `{bad}` is not a whole non-negative \
                 number; use 0, 1, 2, ... or names for every row"
            )
        );
    }
}

#[test]
fn a_file_without_rows_or_header_is_empty() {
    for text in ["", "\n\n", "a,b\n"] {
        let error = Csv::new("e.csv").parse(text).unwrap_err();
        assert!(matches!(error, DataError::Empty { .. }), "{error}");
        assert!(
            error.to_string().starts_with("`e.csv` holds no sample"),
            "{error}"
        );
    }
}

#[test]
fn a_fixed_class_list_numbers_a_file_lacking_classes_like_the_training_file() {
    let train = Csv::new("train.csv")
        .classes("kind")
        .parse("x,kind\n1,a\n2,c\n3,b\n")
        .unwrap();
    let names = train.class_names().unwrap().to_vec();
    assert_eq!(names, ["a", "b", "c"]);
    // Only `c` in the test file: derived afresh it would be class 0; fixed, it stays 2.
    let test_text = "x,kind\n4,c\n";
    let derived = Csv::new("test.csv")
        .classes("kind")
        .parse(test_text)
        .unwrap();
    let fixed = Csv::new("test.csv")
        .classes("kind")
        .class_names(names.clone());
    let fixed = fixed.parse(test_text).unwrap();
    assert_eq!(derived.inner().get(0).unwrap().target, Target::Class(0));
    assert_eq!(fixed.inner().get(0).unwrap().target, Target::Class(2));
    assert_eq!(fixed.class_names(), Some(&names[..]));

    let error = Csv::new("test.csv").classes("kind").class_names(names);
    let error = error.parse("x,kind\n4,c\n5,d\n").unwrap_err();
    assert_eq!(
        error.to_string(),
        "`test.csv` line 3, column 2 (`kind`): class `d` is not one of the model's classes \
         (a, b, c)"
    );
}
