use minitrainer::model;

#[model(name = "mlp", config = MlpConfig, crate = minitrainer_core)]
pub struct Mlp;

fn main() {}
