use minitrainer::prelude::*;

#[derive(Config)]
struct MlpConfig {
    #[config(defualt = 1)]
    in_dim: usize,
}

fn load() -> Result<MlpConfig, ConfigError> {
    MlpConfig::from_json("{}")
}

fn main() {
    let _ = load();
}
