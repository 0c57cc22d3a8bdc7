use minitrainer::model;

#[model(nmae = "mlp", config = MlpConfig)]
pub struct Mlp;

fn main() {}
