//! Freezing parameters by subtree or glob: frozen parameters get no gradient.

use minitrainer::module::{ModuleError, ParamSummary};
use minitrainer::prelude::*;

#[derive(Module)]
struct Encoder {
    layers: Vec<Linear>,
}

#[derive(Module)]
struct Classifier {
    encoder: Encoder,
    head: Linear,
}

impl Forward for Classifier {
    type Output = Tensor;
    fn forward(&self, x: Tensor) -> Tensor {
        let h = self.encoder.layers.iter().fold(x, |h, l| l.call(h).tanh());
        self.head.call(h)
    }
}

fn classifier() -> Classifier {
    let mut init = Init::seeded(0);
    Classifier {
        encoder: Encoder {
            layers: vec![
                Linear::build(&LinearConfig::new(3, 3), &mut init),
                Linear::build(&LinearConfig::new(3, 3), &mut init),
            ],
        },
        head: Linear::build(&LinearConfig::new(3, 2), &mut init),
    }
}

#[test]
fn frozen_subtree_gets_no_gradient_after_backward() -> Result<(), ModuleError> {
    let model = classifier();
    assert_eq!(model.freeze("encoder.*")?, 4);
    model.call(Tensor::ones(&[2, 3])).sum().backward();
    for (name, param) in model.named_parameters() {
        let frozen = name.starts_with("encoder.");
        assert_eq!(param.is_frozen(), frozen, "{name}");
        assert_eq!(param.grad().is_none(), frozen, "{name} grad");
    }
    assert_eq!(model.trainable_parameters().len(), 2);
    assert_eq!(
        model.param_summary(),
        ParamSummary {
            trainable_tensors: 2,
            trainable: 8,
            frozen_tensors: 4,
            frozen: 24
        }
    );
    assert_eq!(
        model.param_summary().to_string(),
        "trainable: 8 (2 tensors), frozen: 24 (4 tensors), total: 32"
    );
    Ok(())
}

#[test]
fn patterns_select_subtrees_globs_and_single_parameters() -> Result<(), ModuleError> {
    let model = classifier();
    assert_eq!(model.freeze("*.bias")?, 3);
    assert_eq!(model.unfreeze("encoder.layers.1")?, 2);
    assert_eq!(model.unfreeze("head.bias")?, 1);
    let frozen: Vec<String> = model
        .named_parameters()
        .into_iter()
        .filter(|(_, p)| p.is_frozen())
        .map(|(n, _)| n)
        .collect();
    assert_eq!(frozen, ["encoder.layers.0.bias"]);
    model.freeze_all();
    assert!(model.trainable_parameters().is_empty());
    model.unfreeze_all();
    assert_eq!(model.trainable_parameters().len(), 6);
    Ok(())
}

#[test]
fn a_pattern_matching_nothing_is_an_error_with_a_suggestion() {
    let err = classifier().freeze("encodr").err();
    assert_eq!(
        err,
        Some(ModuleError::NoMatch {
            pattern: "encodr".into(),
            suggestion: Some("encoder".into())
        })
    );
}

// ---- suggestions for patterns that match nothing ---------------------------------------------

#[derive(Module)]
struct Stacked {
    layers: Vec<Linear>,
    head: Linear,
}

fn stacked() -> Stacked {
    let mut init = Init::seeded(0);
    let mut linear = |in_features, out_features| {
        let config = LinearConfig {
            in_features,
            out_features,
            bias: true,
        };
        Linear::build(&config, &mut init)
    };
    Stacked {
        layers: vec![linear(3, 3), linear(3, 3)],
        head: linear(3, 1),
    }
}

fn suggestion(model: &dyn Module, pattern: &str) -> Option<String> {
    match model.freeze(pattern) {
        Err(ModuleError::NoMatch { suggestion, .. }) => suggestion,
        other => panic!("expected NoMatch for `{pattern}`, got {other:?}"),
    }
}

#[test]
fn a_misspelt_glob_suggests_a_glob_that_matches() {
    let model = stacked();
    assert_eq!(suggestion(&model, "layrs.*").as_deref(), Some("layers.*"));
    assert_eq!(suggestion(&model, "*.bais").as_deref(), Some("*.bias"));
    assert_eq!(
        suggestion(&model, "layers.?.wieght").as_deref(),
        Some("layers.?.weight")
    );
    // The suggestion really selects something, and nothing was frozen by the failed call.
    assert_eq!(model.param_summary().frozen_tensors, 0);
    assert_eq!(model.freeze("layers.*"), Ok(4));
}

#[test]
fn every_misspelt_segment_of_a_nested_glob_is_corrected() {
    let model = classifier();
    assert_eq!(
        suggestion(&model, "encodr.layrs.*").as_deref(),
        Some("encoder.layers.*")
    );
    // After a `*` a segment may sit at any depth: it is compared with every segment.
    assert_eq!(
        suggestion(&model, "encoder.*.wieght").as_deref(),
        Some("encoder.*.weight")
    );
}

#[test]
fn a_glob_is_not_suggested_unless_it_matches() {
    let model = stacked();
    // `head.*.bias` would need a segment between `head` and `bias`.
    assert_eq!(suggestion(&model, "head.*.bais"), None);
    // Indices are not typos: `layers.9` does not become `layers.0`.
    assert_eq!(suggestion(&model, "layers.9.*"), None);
    assert_eq!(suggestion(&model, "optimizer.*"), None);
}

#[test]
fn a_misspelt_plain_path_suggests_the_closest_path() {
    let model = classifier();
    assert_eq!(
        suggestion(&model, "encoder.layers.0.wieght").as_deref(),
        Some("encoder.layers.0.weight")
    );
    assert_eq!(suggestion(&model, "haed").as_deref(), Some("head"));
    // Several misspelt segments at once.
    assert_eq!(
        suggestion(&model, "encodr.layrs.1.bais").as_deref(),
        Some("encoder.layers.1.bias")
    );
}
