use minitrainer::model;

const NAME: &str = "mlp";

#[model(name = NAME, config = MlpConfig)]
pub struct Mlp;

fn main() {}
