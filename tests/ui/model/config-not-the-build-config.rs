use minitrainer::prelude::*;

#[derive(Config, Clone, Debug, PartialEq)]
pub struct ScaleConfig {
    #[config(default = 2.0)]
    pub factor: f32,
}

#[derive(Config, Clone, Debug, PartialEq)]
pub struct OtherConfig {}

#[derive(Module)]
#[model(name = "scale", config = OtherConfig)]
pub struct Scale {
    factor: f32,
}

impl Build for Scale {
    type Config = ScaleConfig;
    fn build(config: &ScaleConfig, _init: &mut Init) -> Self {
        Scale { factor: config.factor }
    }
}

impl Forward for Scale {
    type Output = Tensor;
    fn forward(&self, x: Tensor) -> Tensor {
        x.mul_scalar(self.factor)
    }
}

fn main() {}
