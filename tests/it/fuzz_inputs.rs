//! Inputs found by fuzzing (issue 16): each once made `load`, an error's message or
//! `from_pretrained` misbehave (a panic, an abort, a refusal, a slow path).

use minitrainer::prelude::*;
use minitrainer::pretrained::{CONFIG_FILE, PretrainedError};
use minitrainer::{Error, from_pretrained, load};

fn message(result: Result<Box<dyn Model>, Error>) -> String {
    result.expect_err("an error").to_string()
}

#[test]
fn a_syntax_error_far_into_the_text_displays_a_short_window() {
    // The caret's padding was a format width, and `fmt` panics above 65,535.
    let text = message(load(&format!("{}!", " ".repeat(65_535))));
    assert!(text.len() < 300, "{} bytes: {text:?}", text.len());
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "malformed model spec at column 65536: expected a model name, e.g. `mlp(in_dim=64)`"
    );
    assert_eq!(lines[1], format!("  …{}!", " ".repeat(60)));
    assert_eq!(lines[2], format!("  {}^", " ".repeat(61)));
}

#[test]
fn a_syntax_error_in_a_short_text_shows_it_whole() {
    let text = message(load("linear(in_features=4 out_features=2)"));
    assert_eq!(
        text,
        "malformed model spec at column 22: expected `,` or `)` after the value of `in_features`\n  \
         linear(in_features=4 out_features=2)\n                       ^"
    );
}

/// Checks a message for 40,000 unknown keys `k0`..`k39999` of a `linear` config: the first five
/// are listed, the rest counted, and the message stays short.
fn assert_lists_five_unknown_keys(text: &str) {
    assert!(text.len() < 600, "{} bytes: {text}", text.len());
    for key in ["k0", "k1", "k2", "k3", "k4"] {
        assert!(text.contains(&format!("unknown field \"{key}\"")), "{text}");
    }
    assert!(!text.contains("\"k5\""), "{text}");
    assert!(text.ends_with("… and 39995 more unknown keys"), "{text}");
}

#[test]
fn thousands_of_unknown_keys_are_listed_five_and_counted() {
    let keys: Vec<String> = (0..40_000).map(|i| format!("k{i}=1")).collect();
    let compact = format!("linear(in_features=4, out_features=2, {})", keys.join(", "));
    assert_lists_five_unknown_keys(&message(load(&compact)));

    let keys: Vec<String> = (0..40_000).map(|i| format!("\"k{i}\": 1")).collect();
    let fields = format!(
        "\"in_features\": 4, \"out_features\": 2, {}",
        keys.join(", ")
    );
    let json = format!("{{\"model_type\": \"linear\", {fields}}}");
    assert_lists_five_unknown_keys(&message(load(&json)));

    let error = LinearConfig::from_json(&format!("{{{fields}}}")).expect_err("unknown keys");
    assert_eq!(error.violations().len(), 5);
    let ConfigError::Invalid(violations) = &error else {
        panic!("expected an invalid config, got {error:?}");
    };
    assert_eq!(violations.unlisted_unknown_fields(), 39_995);
    assert_lists_five_unknown_keys(&error.to_string());
}

#[test]
fn a_few_unknown_keys_are_each_listed_with_a_suggestion() {
    let text = message(load("linear(in_featres=4, out_features=2, bais=true)"));
    assert_eq!(
        text,
        "unknown field \"in_featres\"; did you mean \"in_features\"?\n\
         unknown field \"bais\"; did you mean \"bias\"?\n\
         missing required field \"in_features\""
    );
}

/// A `linear(in_features=4, out_features=2)` (bias on, the default) saved to a fresh directory,
/// whose `config.json` is then replaced by `config`.
fn linear_saved_with_config(name: &str, config: &str) -> Result<std::path::PathBuf, Error> {
    let dir = crate::scratch_dir(name);
    load("linear(in_features=4, out_features=2, bias=true)")?.save_pretrained(&dir)?;
    std::fs::write(dir.join(CONFIG_FILE), config).expect("write config.json");
    Ok(dir)
}

#[test]
fn a_config_file_that_omits_a_default_matches_its_weights() -> Result<(), Error> {
    let dir = linear_saved_with_config(
        "omitted-default",
        r#"{"model_type": "linear", "in_features": 4, "out_features": 2}"#,
    )?;
    assert_eq!(from_pretrained(&dir)?.config_value()["bias"], true);
    assert!(Linear::from_pretrained(&dir)?.bias.is_some());
    Ok(())
}

#[test]
fn a_config_file_reordered_and_reformatted_matches_its_weights() -> Result<(), Error> {
    let dir = linear_saved_with_config(
        "reordered",
        "{\n\t\"bias\" : true,\n  \"out_features\":2, \"model_type\":\"linear\",\"in_features\":   4 }",
    )?;
    from_pretrained(&dir)?;
    Linear::from_pretrained(&dir)?;
    Ok(())
}

#[test]
fn a_config_file_of_another_config_is_still_refused() -> Result<(), Error> {
    let config = r#"{"model_type": "linear", "in_features": 4, "out_features": 3}"#;
    let dir = linear_saved_with_config("real-mismatch", config)?;
    for error in [
        from_pretrained(&dir)
            .map(drop)
            .expect_err("out_features 3 vs 2"),
        Linear::from_pretrained(&dir)
            .map(drop)
            .expect_err("out_features 3 vs 2"),
    ] {
        let text = error.to_string();
        assert!(
            matches!(
                error,
                Error::Pretrained(PretrainedError::MismatchedFiles { .. })
            ),
            "{error:?}"
        );
        assert!(
            text.contains("was saved with a different config than"),
            "{text}"
        );
        assert!(text.contains(r#""out_features":2"#), "{text}");
    }
    // Leaving out a field whose default differs from what was saved is a mismatch too.
    let dir = crate::scratch_dir("default-differs");
    load("linear(in_features=4, out_features=2, bias=false)")?.save_pretrained(&dir)?;
    std::fs::write(
        dir.join(CONFIG_FILE),
        r#"{"model_type": "linear", "in_features": 4, "out_features": 2}"#,
    )
    .expect("write config.json");
    let text = from_pretrained(&dir)
        .map(drop)
        .expect_err("bias")
        .to_string();
    assert!(
        text.contains("was saved with a different config than"),
        "{text}"
    );
    Ok(())
}

#[test]
fn a_layer_too_large_for_memory_is_an_error_not_an_abort() {
    // Passes validation (2^61 - 1 elements: its bytes fit in isize), then no allocator can
    // give 8 EiB.
    let text = message(load(
        "linear(in_features=1, out_features=2305843009213693951)",
    ));
    assert_eq!(
        text,
        "cannot allocate 9223372036854775804 bytes for linear.weight \
         [2305843009213693951, 1]: out of memory"
    );
    let text = message(load(
        "embedding(num_embeddings=2305843009213693951, embedding_dim=1)",
    ));
    assert!(
        text.starts_with("cannot allocate 9223372036854775804 bytes for embedding.weight"),
        "{text}"
    );
    for (spec, what) in [
        (
            "layer_norm(normalized_shape=2305843009213693951)",
            "layer_norm.weight",
        ),
        (
            "batch_norm1d(num_features=2305843009213693951)",
            "batch_norm1d.weight",
        ),
    ] {
        let text = message(load(spec));
        assert!(text.contains(&format!("bytes for {what} [")), "{text}");
    }
}

#[test]
fn try_build_returns_an_allocation_failure_and_build_panics_naming_it() {
    let config = LinearConfig::new(1, 2_305_843_009_213_693_951);
    let error = Linear::try_build(&config, &mut Init::seeded(0)).map(drop);
    let error = error.expect_err("does not fit");
    assert!(
        matches!(
            error,
            Error::Tensor(minitrainer::tensor::TensorError::OutOfMemory { bytes: Some(_), .. })
        ),
        "{error:?}"
    );
    let panic = std::panic::catch_unwind(|| Linear::build(&config, &mut Init::seeded(0)));
    let message = panic
        .err()
        .and_then(|payload| payload.downcast::<String>().ok())
        .map(|message| *message)
        .unwrap_or_default();
    assert!(
        message.starts_with("cannot allocate 9223372036854775804 bytes for linear.weight"),
        "{message}"
    );
    // The same `Init` builds normally afterwards.
    let mut init = Init::seeded(0);
    assert!(Linear::try_build(&config, &mut init).is_err());
    assert!(Linear::try_build(&LinearConfig::new(2, 3), &mut init).is_ok());
}
