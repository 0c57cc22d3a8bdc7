//! Without a reference to `minitrainer_test_models`, this binary does not link it (rustc links
//! only the dependencies a crate names), so its `#[model]` registrations never run: the model
//! is absent, and the error explains what to add.
//!
//! This file must never name `minitrainer_test_models`.

#[test]
fn models_of_an_unnamed_crate_are_not_registered_and_the_error_says_why() {
    let names = minitrainer::list_models().expect("no duplicates");
    assert!(!names.contains(&"test_mlp"), "{names:?}");
    assert!(
        names.contains(&"linear"),
        "built-in layers are in minitrainer itself: {names:?}"
    );

    let error = minitrainer::load("test_mlp(in_dim=4, out_dim=2)").expect_err("not linked");
    let message = error.to_string();
    assert!(
        message.contains("unknown model type \"test_mlp\""),
        "{message}"
    );
    assert!(
        message.contains(&format!("({} registered: ", names.len())),
        "{message}"
    );
    assert!(message.contains("use that_crate as _;"), "{message}");
}
