use minitrainer::model;

#[model(name = "my-mlp", config = MlpConfig)]
pub struct Mlp;

fn main() {}
