// Generated code must not depend on the names in the user's scope: shadow the prelude types
// and give fields names that clash with generated locals and markers.
#![allow(dead_code, non_camel_case_types)]


type Result = ();
struct Option;
struct Vec;
struct String;
struct Some;
struct None;
struct Ok;
struct Err;
struct Box;

#[derive(minitrainer::Config)]
struct ShadowConfig {
    #[config(min = 1)]
    value: usize,
    #[config(default = ::std::vec![1, 2], non_empty)]
    widths: ::std::vec::Vec<u32>,
    r#type: ::std::string::String,
    #[config(default = ::std::string::String::from("x"))]
    __builder: ::std::string::String,
    seed: ::std::option::Option<u64>,
}

fn main() {
    let config = ShadowConfig::builder()
        .value(3)
        .r#type("mlp")
        .build()
        .expect("valid");
    let text = minitrainer::config::Config::to_json(&config);
    assert!(text.contains("\"type\": \"mlp\""));
}
