//! One RNG story: a model with dropout, trained for a while, captured, and resumed in a freshly
//! built model, draws the same masks as the run that never stopped — bit for bit.

use minitrainer::module::GeneratorState;
use minitrainer::prelude::*;
use minitrainer::{Error, load_seeded};

#[derive(Config, Clone, Debug, PartialEq)]
pub struct DropNetConfig {
    #[config(default = 0.5, range = 0.0..=1.0)]
    pub p: f32,
}

#[derive(Module)]
#[model(name = "drop_net", config = DropNetConfig)]
pub struct DropNet {
    hidden: Linear,
    drop: Dropout,
    encoder: Vec<Dropout>,
    out: Linear,
}

impl Build for DropNet {
    type Config = DropNetConfig;
    fn build(config: &DropNetConfig, init: &mut Init) -> Self {
        let drop = DropoutConfig { p: config.p };
        DropNet {
            hidden: Linear::build(&LinearConfig::new(4, 8), init),
            drop: Dropout::build(&drop, init),
            encoder: vec![Dropout::build(&drop, init)],
            out: Linear::build(&LinearConfig::new(8, 1), init),
        }
    }
}

impl Forward for DropNet {
    type Output = Tensor;
    fn forward(&self, x: Tensor) -> Tensor {
        let h = self.drop.call(self.hidden.call(x).relu());
        self.out.call(self.encoder[0].call(h))
    }
}

/// `steps` plain SGD steps on a fixed batch; the losses, bit for bit.
fn train(model: &dyn Model, steps: usize) -> Vec<u32> {
    let x = Tensor::from_vec((0..32).map(|i| (i as f32 * 0.3).sin()).collect(), &[8, 4])
        .expect("shape fits");
    let y = Tensor::from_vec((0..8).map(|i| (i as f32 * 0.7).cos()).collect(), &[8, 1])
        .expect("shape fits");
    (0..steps)
        .map(|_| {
            let loss = model.forward(x.clone()).sub(&y).powf(2.0).mean();
            loss.backward();
            for p in model.trainable_parameters() {
                let grad = p.grad().expect("a gradient");
                p.update_data(|v| v.scaled_add(-0.1, &grad));
                p.zero_grad();
            }
            loss.item().to_bits()
        })
        .collect()
}

#[test]
fn resuming_with_the_generator_states_repeats_an_uninterrupted_run() -> Result<(), Error> {
    let uninterrupted = load_seeded("drop_net(p=0.5)", 7)?;
    let full = train(uninterrupted.as_ref(), 10);

    let first = load_seeded("drop_net(p=0.5)", 7)?;
    assert_eq!(train(first.as_ref(), 4), full[..4]);
    // A checkpoint: weights and generator states.
    let weights = first.state_dict();
    let states: Vec<(String, GeneratorState)> = first.generator_states();
    let paths: Vec<&str> = states.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(paths, ["drop.rng", "encoder.0.rng"]);
    // Through text, as a checkpoint file would hold them.
    let saved: Vec<(String, String)> = states
        .iter()
        .map(|(p, s)| (p.clone(), s.to_string()))
        .collect();

    // Resume in a model built with another seed: every random draw comes from the checkpoint.
    let mut resumed = load_seeded("drop_net(p=0.5)", 99)?;
    resumed.load_state_dict(&weights, true)?;
    let restored: Vec<(String, GeneratorState)> = saved
        .iter()
        .map(|(p, s)| Ok((p.clone(), s.parse()?)))
        .collect::<Result<_, minitrainer::module::ParseGeneratorStateError>>()
        .expect("state text round-trips");
    resumed.load_generator_states(&restored)?;
    assert_eq!(train(resumed.as_ref(), 6), full[4..]);
    Ok(())
}

#[test]
fn generator_states_that_do_not_fit_are_refused_and_change_nothing() -> Result<(), Error> {
    let model = load_seeded("drop_net", 1)?;
    let states = model.generator_states();
    let before = model.generator_states();
    let error = model
        .load_generator_states(&states[..1])
        .expect_err("one state missing");
    assert!(
        error.to_string().contains("missing `encoder.0.rng`"),
        "{error}"
    );
    let mut extra = states.clone();
    extra.push(("head.rng".to_string(), states[0].1));
    let error = model.load_generator_states(&extra).expect_err("unexpected");
    assert!(
        error.to_string().contains("unexpected `head.rng`"),
        "{error}"
    );
    assert_eq!(model.generator_states(), before);
    Ok(())
}

#[test]
fn the_same_seed_builds_the_same_masks_and_another_seed_other_masks() -> Result<(), Error> {
    let a = load_seeded("drop_net", 3)?;
    let b = load_seeded("drop_net", 3)?;
    let c = load_seeded("drop_net", 4)?;
    assert_eq!(a.generator_states(), b.generator_states());
    assert_ne!(a.generator_states(), c.generator_states());
    Ok(())
}
