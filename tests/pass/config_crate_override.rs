// A crate that depends on minitrainer-core directly names the runtime with `crate = ..`.
use minitrainer_core::config::Config;

#[derive(minitrainer::Config)]
#[config(crate = ::minitrainer_core)]
struct CoreConfig {
    #[config(min = 1)]
    width: usize,
}

#[derive(minitrainer::Config)]
#[config(crate = ::minitrainer_core)]
enum Mode {
    Fast,
    Exact,
}

fn main() {
    let config = CoreConfig::from_json(r#"{"width": 2}"#).expect("valid");
    assert_eq!(config.width, 2);
    assert!(Mode::from_json(r#""fast""#).is_ok());
}
