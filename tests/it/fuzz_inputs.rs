//! Inputs found by fuzzing (issue 16): each once made `load`, an error's message or
//! `from_pretrained` misbehave (a panic, an abort, a refusal, a slow path).

use minitrainer::Error;
use minitrainer::load;
use minitrainer::prelude::*;

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
