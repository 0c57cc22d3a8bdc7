use minitrainer::model;

#[model(config = MlpConfig)]
pub struct Mlp;

fn main() {}
