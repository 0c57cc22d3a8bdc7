use minitrainer::model;

#[model(name = "residual", config = ResidualConfig)]
pub struct Residual<M> {
    inner: M,
}

fn main() {}
