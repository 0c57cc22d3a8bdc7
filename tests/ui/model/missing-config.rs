use minitrainer::model;

#[model(name = "mlp")]
pub struct Mlp;

fn main() {}
