//! Compile-fail (and must-compile) tests of the macros' error messages, via trybuild.
//! Regenerate snapshots with `TRYBUILD=overwrite cargo test --test compiletest`.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*/*.rs");
    t.pass("tests/pass/*.rs");
}
