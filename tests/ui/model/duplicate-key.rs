use minitrainer::model;

#[model(name = "mlp", config = MlpConfig, name = "mlp2")]
pub struct Mlp;

fn main() {}
