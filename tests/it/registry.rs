//! The model registry as a user sees it: build by name (JSON or compact form), typed access,
//! downcasting, listing and describing, and every error path.

use std::sync::Arc;

use minitrainer::prelude::*;
use minitrainer::registry::{Registry, RegistryError};
use minitrainer::{Error, describe, list_models, load, load_seeded};
// Links the crate of test models, so that its `#[model]` types are registered. Nothing from it
// is named anywhere else in this file: the models are loaded by name only.
use minitrainer_test_models as _;

fn input(rows: usize, cols: usize) -> Tensor {
    let data = (0..rows * cols).map(|i| (i as f32 * 0.37).sin()).collect();
    Tensor::from_vec(data, &[rows, cols]).expect("shape fits")
}

fn message(result: Result<Box<dyn Model>, Error>) -> String {
    result.expect_err("an error").to_string()
}

#[test]
fn model_from_another_crate_loads_by_name_only() -> Result<(), Error> {
    let model = load("test_mlp(in_dim=4, hidden=[8, 6], out_dim=3)")?;
    assert_eq!(model.model_type(), "test_mlp");
    assert_eq!(model.type_path(), "minitrainer_test_models::TestMlp");
    let names: Vec<(String, Vec<usize>)> = model
        .named_parameters()
        .into_iter()
        .map(|(name, p)| (name, p.shape().to_vec()))
        .collect();
    assert_eq!(
        names,
        vec![
            ("layers.0.weight".to_string(), vec![8, 4]),
            ("layers.0.bias".to_string(), vec![8]),
            ("layers.1.weight".to_string(), vec![6, 8]),
            ("layers.1.bias".to_string(), vec![6]),
            ("head.weight".to_string(), vec![3, 6]),
            ("head.bias".to_string(), vec![3]),
        ]
    );
    assert_eq!(model.forward(input(5, 4)).shape(), &[5, 3]);
    assert_eq!(model.call(input(2, 4)).shape(), &[2, 3]);
    Ok(())
}

#[test]
fn json_and_compact_forms_build_the_same_model() -> Result<(), Error> {
    let compact = load(r#"test_mlp(in_dim=4, out_dim=2, activation="tanh")"#)?;
    let json =
        load(r#"{"model_type": "test_mlp", "in_dim": 4, "out_dim": 2, "activation": "tanh"}"#)?;
    assert_eq!(compact.config_value(), json.config_value());
    // Same default seed, same weights.
    let x = input(3, 4);
    assert_eq!(
        compact.forward(x.clone()).to_vec(),
        json.forward(x).to_vec()
    );
    Ok(())
}

#[test]
fn config_comes_back_as_json_with_defaults_and_model_type() -> Result<(), Error> {
    let model = load("test_mlp(in_dim=4, out_dim=2)")?;
    assert_eq!(
        model.config_json(),
        serde_json::json!({
            "model_type": "test_mlp", "in_dim": 4, "hidden": [16], "out_dim": 2, "activation": "relu"
        })
    );
    Ok(())
}

#[test]
fn seeds_choose_the_initial_weights() -> Result<(), Error> {
    let spec = "test_mlp(in_dim=4, out_dim=2)";
    let weights = |seed| -> Result<Vec<f32>, Error> {
        Ok(load_seeded(spec, seed)?
            .state_dict()
            .get("head.weight")
            .expect("present")
            .to_vec())
    };
    assert_eq!(weights(7)?, weights(7)?);
    assert_ne!(weights(7)?, weights(8)?);
    Ok(())
}

#[test]
fn built_in_layers_are_registered() -> Result<(), Error> {
    let names = list_models()?;
    for name in [
        "linear",
        "embedding",
        "layer_norm",
        "batch_norm1d",
        "dropout",
        "relu",
        "gelu",
        "sigmoid",
        "tanh",
        "silu",
        "softmax",
        "test_mlp",
        "tiny_net",
    ] {
        assert!(names.contains(&name), "{name} missing from {names:?}");
    }
    let linear = load("linear(in_features=3, out_features=2, bias=false)")?;
    assert_eq!(linear.num_parameters(), 6);
    assert!(
        linear
            .repr()
            .contains("Linear(in_features=3, out_features=2, bias=false)"),
        "{}",
        linear.repr()
    );
    let gelu = load(r#"gelu(approximate="tanh")"#)?;
    assert_eq!(gelu.config_value()["approximate"], "tanh");
    // PyTorch accepts p = 1 (everything dropped); so do the layer and its config.
    assert!(load("dropout(p=1.0)").is_ok());
    assert!(load("dropout(p=1.5)").is_err());
    Ok(())
}

#[test]
fn describe_gives_the_config_schema() -> Result<(), Error> {
    let schema = describe("test_mlp")?;
    let fields: Vec<&str> = schema.fields().iter().map(|f| f.name()).collect();
    assert_eq!(fields, ["in_dim", "hidden", "out_dim", "activation"]);
    let error = describe("test_mpl").expect_err("unknown");
    assert!(
        error.to_string().contains("did you mean \"test_mlp\"?"),
        "{error}"
    );
    Ok(())
}

#[test]
fn typed_access_from_config_text_and_by_downcast() -> Result<(), Error> {
    use minitrainer_test_models::TestMlp;
    let typed = TestMlp::from_config_str("test_mlp(in_dim=4, out_dim=2)")?;
    assert_eq!(typed.config().in_dim, 4);
    // A bare config for a known type needs no model_type.
    let bare = TestMlp::from_config_str(r#"{"in_dim": 4, "out_dim": 2}"#)?;
    assert_eq!(bare.config(), typed.config());
    let error =
        TestMlp::from_config_str("linear(in_features=1, out_features=1)").expect_err("wrong type");
    assert!(
        matches!(
            error,
            Error::Registry(RegistryError::WrongModelType {
                expected: "test_mlp",
                ..
            })
        ),
        "{error}"
    );

    let mut boxed = load("test_mlp(in_dim=4, out_dim=2)")?;
    assert!(boxed.downcast_ref::<TestMlp>().is_some());
    assert!(boxed.downcast_ref::<Linear>().is_none());
    assert!(boxed.downcast_mut::<TestMlp>().is_some());
    let boxed = match boxed.into_typed::<Linear>() {
        Ok(_) => panic!("a TestMlp is not a Linear"),
        Err(unchanged) => unchanged,
    };
    let typed = boxed
        .into_typed::<TestMlp>()
        .map_err(|_| "a TestMlp")
        .expect("downcast");
    assert_eq!(typed.config().out_dim, 2);
    Ok(())
}

#[test]
fn a_config_changed_through_a_public_field_is_validated_again() -> Result<(), Error> {
    use minitrainer_test_models::{TestMlp, TestMlpConfig};
    let mut config = TestMlpConfig::builder().in_dim(4).out_dim(2).build()?;
    config.in_dim = 0;
    let error = TestMlp::from_config(config, &mut Init::default()).expect_err("in_dim = 0");
    assert!(error.to_string().contains("in_dim"), "{error}");
    Ok(())
}

#[test]
fn trait_object_supports_train_eval_state_dict_and_tree_print() -> Result<(), Error> {
    let mut a = load_seeded("test_mlp(in_dim=4, out_dim=2)", 1)?;
    let b = load_seeded("test_mlp(in_dim=4, out_dim=2)", 2)?;
    a.eval();
    assert!(!a.is_training());
    a.train();
    assert!(a.is_training());
    let x = input(3, 4);
    assert_ne!(a.forward(x.clone()).to_vec(), b.forward(x.clone()).to_vec());
    a.load_state_dict(&b.state_dict(), true)?;
    assert_eq!(a.forward(x.clone()).to_vec(), b.forward(x).to_vec());
    let repr = format!("{a:?}");
    assert!(repr.starts_with("TestMlp("), "{repr}");
    assert!(
        repr.contains("(head): Linear(in_features=16, out_features=2, bias=true)"),
        "{repr}"
    );
    Ok(())
}

#[test]
fn unknown_model_type_suggests_and_lists() {
    let text = message(load("test_mpl(in_dim=4)"));
    assert!(
        text.contains("unknown model type \"test_mpl\"; did you mean \"test_mlp\"?"),
        "{text}"
    );
    assert!(
        text.contains("\"linear\"") && text.contains("\"test_mlp\""),
        "{text}"
    );
    let count = list_models().expect("no duplicates").len();
    assert!(text.contains(&format!(" ({count} registered: ")), "{text}");
}

#[test]
fn unknown_model_type_without_suggestion_explains_linking() {
    let text = message(load(r#"{"model_type": "transformer"}"#));
    assert!(text.contains("use that_crate as _;"), "{text}");
    assert!(text.contains("register_models!"), "{text}");
}

#[test]
fn missing_model_type_is_reported_with_the_keys_found() {
    let text = message(load(r#"{"in_dim": 4, "out_dim": 2}"#));
    assert!(text.contains("missing \"model_type\""), "{text}");
    assert!(text.contains("\"in_dim\", \"out_dim\""), "{text}");
}

#[test]
fn malformed_text_reports_the_position() {
    let text = message(load("test_mlp(in_dim=4 out_dim=2)"));
    assert!(
        text.starts_with(
            "malformed model spec at column 19: expected `,` or `)` after the value of `in_dim`"
        ),
        "{text}"
    );
    let text = message(load("{\"model_type\": \"test_mlp\",\n  \"in_dim\": 4,,}"));
    assert!(text.contains("line 2 column"), "{text}");
    let text = message(load("test_mlp(in_dim=[4)"));
    assert!(text.contains("expected `]`"), "{text}");
}

#[test]
fn config_errors_pass_through() {
    let text = message(load("test_mlp(in_dm=4, out_dim=2)"));
    assert!(text.contains("did you mean \"in_dim\"?"), "{text}");
    let text = message(load("test_mlp(in_dim=0, out_dim=2)"));
    assert!(text.contains("in_dim") && text.contains(">= 1"), "{text}");
    let text = message(load(r#"test_mlp(in_dim="four", out_dim=2)"#));
    assert!(text.contains("in_dim"), "{text}");
    let text = message(load("test_mlp(out_dim=2)"));
    assert!(
        text.contains("in_dim"),
        "missing required field named: {text}"
    );
    let text = message(load(r#"test_mlp(in_dim=1, out_dim=2, activation="relux")"#));
    assert!(text.contains("\"relu\""), "{text}");
    assert!(matches!(
        load("test_mlp(in_dim=0, out_dim=2)"),
        Err(Error::Config(_))
    ));
}

#[test]
fn layer_sizes_too_large_for_memory_are_config_errors_naming_the_fields() {
    // Each would panic inside ndarray if it reached `build`; validation refuses it first.
    let cases = [
        (
            "linear(in_features=4294967296, out_features=4294967296)",
            "in_features, out_features: in_features × out_features = 4294967296 × 4294967296",
        ),
        (
            "embedding(num_embeddings=18446744073709551615, embedding_dim=2)",
            "num_embeddings, embedding_dim: num_embeddings × embedding_dim = 18446744073709551615 × 2",
        ),
        (
            "batch_norm1d(num_features=18446744073709551615)",
            "num_features: num_features = 18446744073709551615",
        ),
        (
            "layer_norm(normalized_shape=18446744073709551615)",
            "normalized_shape: normalized_shape = 18446744073709551615",
        ),
    ];
    for (spec, expected) in cases {
        let result = load(spec);
        assert!(matches!(result, Err(Error::Config(_))), "{spec}");
        let text = message(result);
        assert!(text.contains(expected), "{spec}: {text}");
        assert!(text.contains("does not fit in memory"), "{spec}: {text}");
    }
    // The same sizes through JSON, the form config.json has.
    let text = message(load(
        r#"{"model_type": "linear", "in_features": 4294967296, "out_features": 4294967296}"#,
    ));
    assert!(text.contains("in_features × out_features"), "{text}");
}

#[test]
fn explicit_registry_holds_exactly_the_given_models() -> Result<(), Error> {
    use minitrainer_test_models::TestMlp;
    let registry = minitrainer::register_models![TestMlp, Linear];
    assert_eq!(registry.names(), ["linear", "test_mlp"]);
    let model = registry.load("test_mlp(in_dim=2, out_dim=1)")?;
    assert_eq!(model.model_type(), "test_mlp");
    let error = registry.load("relu()").expect_err("not in this registry");
    assert!(
        error
            .to_string()
            .contains("2 registered: \"linear\", \"test_mlp\""),
        "{error}"
    );
    let mut by_type = Registry::new();
    by_type.register_type::<TestMlp>();
    assert_eq!(by_type.names(), ["test_mlp"]);
    Ok(())
}

#[test]
fn registry_is_shared_and_usable_from_many_threads() -> Result<(), Error> {
    let first = Registry::global()? as *const Registry as usize;
    let expected = Arc::new(
        load("test_mlp(in_dim=4, out_dim=2)")?
            .forward(input(2, 4))
            .to_vec(),
    );
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let expected = Arc::clone(&expected);
            std::thread::spawn(move || -> Result<usize, Error> {
                for _ in 0..10 {
                    let model = load("test_mlp(in_dim=4, out_dim=2)")?;
                    assert_eq!(model.forward(input(2, 4)).to_vec(), *expected);
                }
                Ok(Registry::global()? as *const Registry as usize)
            })
        })
        .collect();
    for handle in handles {
        let address = handle.join().expect("thread did not panic")?;
        assert_eq!(address, first, "one registry, built once");
    }
    Ok(())
}

#[test]
fn a_loaded_model_can_be_hooked_by_path() -> Result<(), Error> {
    let model = Hooked::new(load("test_mlp(in_dim=4, hidden=[8, 6], out_dim=3)")?);
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    let handle = model.register_forward_hook("layers.1", move |path, _input, output| {
        let shape = output.tensor().map(|t| t.shape().to_vec());
        if let Ok(mut seen) = log.lock() {
            seen.push((path.to_string(), shape));
        }
    })?;
    let out = model.call(input(2, 4));
    assert_eq!(out.shape(), &[2, 3]);
    let seen = seen.lock().map(|s| s.clone()).unwrap_or_default();
    assert_eq!(seen, [("layers.1".to_string(), Some(vec![2, 6]))]);
    // The wrapper is transparent: same names as the loaded model.
    assert_eq!(model.named_parameters().len(), 6);
    handle.remove();
    Ok(())
}
