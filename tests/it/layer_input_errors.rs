//! A built-in layer given the wrong input panics naming itself, what it expected and what it
//! got — and, when it runs inside a model's `call`, its dotted path in that model.

use std::panic::{AssertUnwindSafe, catch_unwind};

use minitrainer::prelude::*;

#[derive(Module)]
struct Stack<M> {
    layers: Vec<M>,
}

#[derive(Module)]
struct Model<M> {
    encoder: Stack<M>,
}

impl<M: Layer> Forward for Stack<M> {
    type Output = Tensor;
    fn forward(&self, x: Tensor) -> Tensor {
        self.layers.iter().fold(x, |h, layer| layer.call(h))
    }
}

impl<M: Layer> Forward for Model<M> {
    type Output = Tensor;
    fn forward(&self, x: Tensor) -> Tensor {
        self.encoder.call(x)
    }
}

fn model<M>(layers: Vec<M>) -> Model<M> {
    Model {
        encoder: Stack { layers },
    }
}

fn linear(in_features: usize, out_features: usize) -> Linear {
    let config = LinearConfig {
        in_features,
        out_features,
        bias: true,
    };
    Linear::build(&config, &mut Init::seeded(0))
}

fn embedding(num_embeddings: usize, embedding_dim: usize) -> Embedding {
    let config = EmbeddingConfig {
        num_embeddings,
        embedding_dim,
    };
    Embedding::build(&config, &mut Init::seeded(0))
}

/// The message of the panic `f` raises (`""` when it does not panic).
fn panic_message(f: impl FnOnce()) -> String {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(()) => String::new(),
        Err(payload) => payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_else(|| "<not a string>".to_owned()),
    }
}

// ---- each layer called directly: no path ---------------------------------------------------

#[test]
#[should_panic(
    expected = "Linear(in_features=3, out_features=3, bias=true): expected input of shape \
                [..., 3], got [2, 4]"
)]
fn linear_called_directly_names_itself_and_both_shapes() {
    linear(3, 3).forward(Tensor::ones(&[2, 4]));
}

#[test]
#[should_panic(expected = "Embedding(5, 3): expected whole-number indices in 0..5, got 7")]
fn embedding_called_directly_names_the_index_out_of_range() {
    embedding(5, 3).forward(Tensor::ones(&[2]).mul_scalar(7.0));
}

#[test]
#[should_panic(expected = "Embedding(5, 3): expected whole-number indices in 0..5, got 1.5")]
fn embedding_rejects_a_fractional_index() {
    embedding(5, 3).forward(Tensor::scalar(1.5));
}

#[test]
#[should_panic(
    expected = "LayerNorm((4,), eps=1e-5, elementwise_affine=true): expected input of shape \
                [..., 4], got [2, 3]"
)]
fn layer_norm_called_directly_names_itself_and_both_shapes() {
    LayerNorm::build(
        &LayerNormConfig {
            normalized_shape: 4,
            eps: 1e-5,
        },
        &mut Init::seeded(0),
    )
    .forward(Tensor::ones(&[2, 3]));
}

fn batch_norm(num_features: usize) -> BatchNorm1d {
    BatchNorm1d::build(&BatchNorm1dConfig::new(num_features), &mut Init::seeded(0))
}

#[test]
#[should_panic(
    expected = "BatchNorm1d(2, eps=1e-5, momentum=0.1, affine=true, track_running_stats=true): \
                expected input of shape [N, 2] or [N, 2, L], got [4, 3]"
)]
fn batch_norm_called_directly_names_itself_and_both_shapes() {
    batch_norm(2).forward(Tensor::ones(&[4, 3]));
}

#[test]
#[should_panic(
    expected = "expected more than 1 value per channel in training mode, got input of shape \
                [1, 2]"
)]
fn batch_norm_in_training_refuses_a_single_value_per_channel() {
    batch_norm(2).forward(Tensor::ones(&[1, 2]));
}

#[test]
fn a_direct_call_has_no_path_in_front() {
    let message = panic_message(|| {
        linear(3, 2).call(Tensor::ones(&[4]));
    });
    assert_eq!(
        message,
        "Linear(in_features=3, out_features=2, bias=true): expected input of shape [..., 3], got [4]"
    );
}

// ---- inside a model: the path comes first ---------------------------------------------------

#[test]
#[should_panic(
    expected = "encoder.layers.1 (Linear(in_features=3, out_features=3, bias=true)): expected \
                input of shape [..., 3], got [2, 4]"
)]
fn linear_inside_a_model_is_named_by_its_path() {
    model(vec![linear(4, 4), linear(3, 3)]).call(Tensor::ones(&[2, 4]));
}

#[test]
#[should_panic(
    expected = "encoder.layers.0 (Embedding(5, 3)): expected whole-number indices \
                           in 0..5, got 9"
)]
fn embedding_inside_a_model_is_named_by_its_path() {
    model(vec![embedding(5, 3)]).call(Tensor::scalar(9.0));
}

#[test]
#[should_panic(expected = "encoder.layers.1 (LayerNorm((3,), eps=1e-5, \
                           elementwise_affine=true)): expected input of shape [..., 3], got [2, 4]")]
fn layer_norm_inside_a_model_is_named_by_its_path() {
    let norm = |d| {
        let config = LayerNormConfig {
            normalized_shape: d,
            eps: 1e-5,
        };
        LayerNorm::build(&config, &mut Init::seeded(0))
    };
    model(vec![norm(4), norm(3)]).call(Tensor::ones(&[2, 4]));
}

#[test]
#[should_panic(expected = "encoder.layers.0 (BatchNorm1d(3, eps=1e-5, momentum=0.1, \
                           affine=true, track_running_stats=true)): expected input of shape \
                           [N, 3] or [N, 3, L], got [2, 4]")]
fn batch_norm_inside_a_model_is_named_by_its_path() {
    model(vec![batch_norm(3)]).call(Tensor::ones(&[2, 4]));
}

#[test]
fn the_path_is_found_through_hooked_wrappers_and_sequential() {
    let net = Hooked::new(model(vec![
        Sequential::new().push(linear(4, 4)).push(ReLU::new()),
        Sequential::new().push(linear(4, 4)).push(linear(3, 1)),
    ]));
    let message = panic_message(|| {
        net.call(Tensor::ones(&[2, 4]));
    });
    assert_eq!(
        message,
        "encoder.layers.1.1 (Linear(in_features=3, out_features=1, bias=true)): expected input \
         of shape [..., 3], got [2, 4]"
    );
    // The next call starts afresh: a direct call names no path.
    let message = panic_message(|| {
        linear(3, 1).forward(Tensor::ones(&[5]));
    });
    assert!(message.starts_with("Linear("), "{message}");
}

// ---- other panics pass through untouched ---------------------------------------------------

#[derive(Debug, PartialEq)]
struct Code(u32);

#[derive(Module)]
struct Boom {
    head: Linear,
}

impl Forward for Boom {
    type Output = Tensor;
    fn forward(&self, x: Tensor) -> Tensor {
        let y = self.head.call(x);
        std::panic::panic_any(Code(y.numel() as u32))
    }
}

#[test]
fn other_panics_keep_their_payload() {
    let model = Boom { head: linear(2, 2) };
    let payload = catch_unwind(AssertUnwindSafe(|| {
        model.call(Tensor::ones(&[1, 2]));
    }));
    let code = payload.err().and_then(|p| p.downcast::<Code>().ok());
    assert_eq!(code.map(|c| *c), Some(Code(2)));
}
