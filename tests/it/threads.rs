//! Models are `Send + Sync`: one model shared across threads for inference.

use std::sync::Arc;

use minitrainer::prelude::*;

/// Every built-in layer, including the ones with interior state (Dropout's generator,
/// BatchNorm's running statistics) and heterogeneous children (Sequential).
#[derive(Module)]
struct Everything {
    embed: Embedding,
    body: Sequential,
    norm: LayerNorm,
    bn: BatchNorm1d,
    drop: Dropout,
    head: Linear,
}

impl Forward for Everything {
    type Output = Tensor;
    fn forward(&self, ids: Tensor) -> Tensor {
        let x = self.embed.call(ids); // [batch, 8]
        let x = self.norm.call(self.body.call(x));
        self.head.call(self.drop.call(self.bn.call(x)))
    }
}

fn model() -> Everything {
    let mut init = Init::seeded(11);
    Everything {
        embed: Embedding::build(&EmbeddingConfig::new(10, 8), &mut init),
        body: Sequential::new()
            .push(Linear::build(&LinearConfig::new(8, 8), &mut init))
            .push(GELU::new())
            .push(Linear::build(&LinearConfig::new(8, 8), &mut init))
            .push(SiLU::new()),
        norm: LayerNorm::build(&LayerNormConfig::new(8), &mut Init::default()),
        bn: BatchNorm1d::build(&BatchNorm1dConfig::new(8), &mut Init::default()),
        drop: Dropout::build(&DropoutConfig { p: 0.5 }, &mut Init::seeded(3)),
        head: Linear::build(&LinearConfig::new(8, 2), &mut init),
    }
}

#[test]
fn models_are_send_and_sync() {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Everything>();
    assert_send_sync::<Hooked<Everything>>();
    assert_send_sync::<Box<dyn Layer>>();
    assert_send_sync::<Box<dyn Model>>();
}

#[test]
fn one_model_serves_inference_on_many_threads() -> Result<(), Box<dyn std::error::Error>> {
    let mut model = model();
    model.eval();
    let model = Arc::new(model);
    let ids = Tensor::from_vec(vec![1.0, 4.0, 9.0], &[3])?;
    let expected = {
        let _no_grad = no_grad();
        model.call(ids.clone()).to_vec()
    };
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let (model, ids) = (Arc::clone(&model), ids.clone());
            std::thread::spawn(move || {
                let _no_grad = no_grad(); // grad mode is per thread
                (0..10)
                    .map(|_| model.call(ids.clone()).to_vec())
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    for worker in workers {
        for output in worker.join().map_err(|_| "a worker panicked")? {
            assert_eq!(output, expected);
        }
    }
    Ok(())
}
