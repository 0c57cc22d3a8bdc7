//! Two types registered under one name: every use of the registry fails, naming both, instead
//! of one silently winning by link order.

use minitrainer::prelude::*;
use minitrainer_test_models as _; // links the crate, whose TestMlp is "test_mlp"

/// Config of the impostor.
#[derive(Config, Clone, Debug, PartialEq)]
pub struct ImpostorConfig {}

/// A second type claiming "test_mlp".
#[derive(Module)]
#[model(name = "test_mlp", config = ImpostorConfig)]
pub struct Impostor {}

impl Build for Impostor {
    type Config = ImpostorConfig;
    fn build(_: &ImpostorConfig, _: &mut Init) -> Self {
        Impostor {}
    }
}

impl Forward for Impostor {
    type Output = Tensor;
    fn forward(&self, input: Tensor) -> Tensor {
        input
    }
}

#[test]
fn duplicate_names_are_reported_naming_both_types_on_every_use() {
    let attempts = [
        minitrainer::load("test_mlp(in_dim=4, out_dim=2)").map(|_| ()),
        minitrainer::load("linear(in_features=1, out_features=1)").map(|_| ()),
        minitrainer::list_models().map(|_| ()),
        minitrainer::describe("relu").map(|_| ()),
    ];
    for attempt in attempts {
        let message = attempt.expect_err("duplicate registration").to_string();
        assert!(
            message.contains("\"test_mlp\" is registered by 2 types"),
            "{message}"
        );
        assert!(message.contains("`duplicate::Impostor`"), "{message}");
        assert!(
            message.contains("`minitrainer_test_models::TestMlp`"),
            "{message}"
        );
    }
}

#[test]
fn an_explicit_registry_without_the_duplicate_still_works() -> Result<(), minitrainer::Error> {
    let registry = minitrainer::register_models![Impostor, Linear];
    let model = registry.load("test_mlp()")?;
    assert_eq!(model.type_path(), "duplicate::Impostor");
    Ok(())
}
