//! `from_json` (and `from_value` after `parse_call`, the compact form) of a derived config
//! with nested configs, a list of them, an optional one, enums with a rename and an alias,
//! and rules of every kind. A config that parses survives a round trip through its JSON.
#![no_main]

use fuzz_support::FuzzNetConfig;
use libfuzzer_sys::fuzz_target;
use minitrainer::config::{Config, parse_call};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = if text.trim_start().starts_with('{') {
        FuzzNetConfig::from_json(text)
    } else {
        match parse_call(text, "model", "fuzz_net(in_dim=4, classes=2)") {
            Ok((_, fields)) => FuzzNetConfig::from_value(serde_json::Value::Object(fields)),
            Err(error) => {
                let _ = error.to_string();
                return;
            }
        }
    };
    match parsed {
        Ok(config) => {
            config.validate().expect("a parsed config is valid");
            let json = config.to_json();
            let again = FuzzNetConfig::from_json(&json).expect("its own JSON parses");
            assert_eq!(again, config, "{json}");
            assert_eq!(
                FuzzNetConfig::from_value(config.to_value()).ok(),
                Some(config)
            );
        }
        Err(error) => {
            let _ = error.to_string();
            let _ = error.violations().len();
        }
    }
});
