//! A model whose forward is not Tensor → Tensor: registered, built by name, saved, reloaded and
//! downcast; a Tensor → Tensor model stays callable straight from the box.

use minitrainer::prelude::*;
use minitrainer::registry::RegistryError;
use minitrainer::{Error, from_pretrained, load};

#[derive(Config, Clone, Debug, PartialEq)]
pub struct PairConfig {
    #[config(min = 1)]
    pub vocab: usize,
    #[config(min = 1)]
    pub width: usize,
}

/// Takes `(token_ids, mask)` and returns two tensors: per-token features and a pooled vector.
#[derive(Module)]
#[model(name = "pair_encoder", config = PairConfig)]
pub struct PairEncoder {
    embed: Embedding,
    proj: Linear,
}

impl Build for PairEncoder {
    type Config = PairConfig;
    fn build(config: &PairConfig, init: &mut Init) -> Self {
        PairEncoder {
            embed: Embedding::build(&EmbeddingConfig::new(config.vocab, config.width), init),
            proj: Linear::build(&LinearConfig::new(config.width, config.width), init),
        }
    }
}

impl Forward<(Tensor, Tensor)> for PairEncoder {
    type Output = (Tensor, Tensor);

    /// `ids [n]`, `mask [n, 1]` → `(features [n, width], pooled [width])`.
    fn forward(&self, (ids, mask): (Tensor, Tensor)) -> (Tensor, Tensor) {
        let features = self.proj.call(self.embed.call(ids)).mul(&mask);
        let pooled = features.sum_axis(0, false);
        (features, pooled)
    }
}

fn inputs() -> Result<(Tensor, Tensor), Error> {
    let ids = Tensor::from_vec(vec![1.0, 4.0, 2.0], &[3])?;
    let mask = Tensor::from_vec(vec![1.0, 1.0, 0.0], &[3, 1])?;
    Ok((ids, mask))
}

#[test]
fn a_two_input_model_loads_by_name_saves_reloads_and_downcasts() -> Result<(), Error> {
    let model = load("pair_encoder(vocab=5, width=3)")?;
    assert_eq!(model.model_type(), "pair_encoder");
    let encoder = model.downcast_ref::<PairEncoder>().expect("a PairEncoder");
    let (features, pooled) = encoder.forward(inputs()?);
    assert_eq!((features.shape(), pooled.shape()), (&[3, 3][..], &[3][..]));
    // The masked row is zero.
    assert_eq!(features.to_vec()[6..], [0.0; 3]);

    let dir = crate::scratch_dir("multi-save");
    model.save_pretrained(&dir)?;
    let reloaded = from_pretrained(&dir)?;
    let again = reloaded
        .downcast_ref::<PairEncoder>()
        .expect("a PairEncoder");
    assert_eq!(again.forward(inputs()?).1.to_vec(), pooled.to_vec());

    // Typed, straight to the type.
    let typed = PairEncoder::from_pretrained(&dir)?;
    assert_eq!(typed.forward(inputs()?).0.to_vec(), features.to_vec());
    let owned = reloaded
        .into_typed::<PairEncoder>()
        .map_err(|_| "not a PairEncoder");
    assert_eq!(owned.map(|m| m.config().width), Ok(3));
    Ok(())
}

#[test]
fn a_two_input_model_is_not_callable_as_a_tensor_model() -> Result<(), Error> {
    let model = load("pair_encoder(vocab=5, width=3)")?;
    assert!(model.as_layer().is_none());
    let error = model
        .try_forward(Tensor::ones(&[3]))
        .expect_err("not Tensor → Tensor");
    assert!(matches!(
        error,
        RegistryError::NotATensorModel {
            model_type: "pair_encoder",
            ..
        }
    ));
    let text = error.to_string();
    assert!(
        text.contains("does not map a Tensor to a Tensor") && text.contains("downcast"),
        "{text}"
    );
    let panic = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        model.forward(Tensor::ones(&[3]))
    }));
    let message = panic
        .err()
        .and_then(|payload| payload.downcast::<String>().ok())
        .map(|message| *message)
        .unwrap_or_default();
    assert!(
        message.contains(r#"model type "pair_encoder""#),
        "{message}"
    );
    Ok(())
}

#[test]
fn a_tensor_model_is_callable_from_the_box_and_as_a_layer() -> Result<(), Error> {
    let model = load("linear(in_features=3, out_features=2)")?;
    let x = Tensor::ones(&[4, 3]);
    let direct = model.forward(x.clone()).to_vec();
    assert_eq!(model.try_forward(x.clone())?.to_vec(), direct);
    let layer = model.as_layer().expect("Linear maps a tensor to a tensor");
    assert_eq!(layer.forward(x.clone()).to_vec(), direct);
    // `Box<dyn Model>` is itself a `Layer`: it fits where a `&dyn Layer` is wanted.
    let boxed: &dyn Layer = &model;
    assert_eq!(boxed.call(x).to_vec(), direct);
    Ok(())
}
