use minitrainer::prelude::*;

#[derive(Config)]
struct TrainConfig {
    #[config(range = 0.0..)]
    lr: f64,
}

fn main() {}
