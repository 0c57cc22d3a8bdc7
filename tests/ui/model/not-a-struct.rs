use minitrainer::model;

#[model(name = "act", config = ActConfig)]
pub enum Act {
    Relu,
    Gelu,
}

fn main() {}
