//! Reading what `save_pretrained` wrote without the registry: the typed config of a saved
//! directory, and a bare safetensors file into a module in one call.

use minitrainer::prelude::*;
use minitrainer::pretrained::read_config;
use minitrainer::weights::{IoError, load_weights, save_weights};
use minitrainer::{Error, load};

#[test]
fn from_json_reads_a_saved_config_json_with_its_model_type() -> Result<(), Error> {
    let model = load("linear(in_features=3, out_features=2, bias=false)")?;
    let dir = crate::scratch_dir("saved-config");
    model.save_pretrained(&dir)?;
    let text = std::fs::read_to_string(dir.join("config.json")).expect("saved");
    assert!(text.contains(r#""model_type": "linear""#), "{text}");
    let config = LinearConfig::from_json(&text)?;
    assert_eq!(
        config,
        LinearConfig {
            bias: false,
            ..LinearConfig::new(3, 2)
        }
    );
    // The same, in one call on the directory.
    assert_eq!(read_config::<LinearConfig>(&dir)?, config);
    Ok(())
}

#[test]
fn from_json_refuses_the_config_json_of_another_model_naming_both() {
    let error = LinearConfig::from_json(
        r#"{"model_type": "embedding", "in_features": 3, "out_features": 2}"#,
    )
    .expect_err("another model's config");
    assert_eq!(
        error.to_string(),
        r#"model_type: `LinearConfig` is the config of model type "linear", but the text is for model type "embedding""#
    );
    // A config shared by several model types accepts each of them.
    assert!(NoConfig::from_json(r#"{"model_type": "relu"}"#).is_ok());
    assert!(NoConfig::from_json(r#"{"model_type": "tanh"}"#).is_ok());
    let error = NoConfig::from_json(r#"{"model_type": 3}"#).expect_err("not a name");
    assert!(
        error
            .to_string()
            .contains(r#""relu" or "sigmoid" or "silu" or "tanh""#),
        "{error}"
    );
}

#[test]
fn a_config_of_no_registered_model_still_calls_model_type_unknown() {
    #[derive(Config, Clone, Debug, PartialEq)]
    struct Plain {
        #[config(default = 1)]
        width: usize,
    }
    let error = Plain::from_json(r#"{"model_type": "linear"}"#).expect_err("unknown");
    assert_eq!(error.to_string(), r#"unknown field "model_type""#);
}

#[test]
fn load_weights_fills_a_module_from_one_safetensors_file() -> Result<(), Error> {
    let mut init = Init::seeded(0);
    let source = Linear::build(&LinearConfig::new(3, 2), &mut init);
    let dir = crate::scratch_dir("saved-weights");
    let path = dir.join("linear.safetensors");
    save_weights(&source, &path)?;

    let mut target = Linear::build(&LinearConfig::new(3, 2), &mut init);
    assert_ne!(target.weight.to_vec(), source.weight.to_vec());
    load_weights(&mut target, &path)?;
    assert_eq!(target.weight.to_vec(), source.weight.to_vec());

    // Strict, naming the file and the keys; the module is unchanged.
    let mut wrong = Linear::build(&LinearConfig::new(4, 2), &mut init);
    let before = wrong.weight.to_vec();
    let error = load_weights(&mut wrong, &path).expect_err("shape mismatch");
    assert!(matches!(error, IoError::DoesNotFit { .. }));
    let text = error.to_string();
    assert!(
        text.contains("linear.safetensors") && text.contains("weight"),
        "{text}"
    );
    assert_eq!(wrong.weight.to_vec(), before);
    let missing = load_weights(&mut wrong, dir.join("absent.safetensors")).expect_err("no file");
    assert!(
        missing.to_string().contains("absent.safetensors"),
        "{missing}"
    );
    Ok(())
}

#[test]
fn ndarray_is_re_exported_at_the_version_the_api_uses() -> Result<(), Error> {
    let array = minitrainer::ndarray::arr2(&[[1.0f32, 2.0], [3.0, 4.0]]).into_dyn();
    let tensor = Tensor::from_array(array);
    assert_eq!(tensor.shape(), &[2, 2]);
    Ok(())
}
