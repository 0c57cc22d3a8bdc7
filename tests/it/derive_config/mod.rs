//! `#[derive(Config)]` as a user sees it.

use minitrainer::config::{CheckError, Constraint, ViolationKind};
use minitrainer::prelude::*;
use proptest::prelude::*;
use serde_json::json;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// How a layer transforms its input.
#[derive(Config, Clone, Copy, Debug, PartialEq)]
pub enum Activation {
    /// max(0, x).
    Relu,
    Gelu,
    LeakyRelu,
}

/// A multi-layer perceptron.
#[derive(Config, Clone, Debug, PartialEq)]
pub struct MlpConfig {
    /// Number of input features.
    #[config(min = 1)]
    pub in_dim: usize,
    /// Hidden layer widths.
    #[config(default = vec![128], non_empty)]
    pub hidden: Vec<usize>,
    #[config(min = 1)]
    pub out_dim: usize,
    /// Probability of zeroing an activation.
    #[config(default = 0.0, range = 0.0..1.0)]
    pub dropout: f32,
    #[config(default = Activation::Relu)]
    pub activation: Activation,
}

fn positive_lr(lr: &f64) -> Result<(), String> {
    if *lr > 0.0 {
        Ok(())
    } else {
        Err("must be positive".to_owned())
    }
}

/// One field per rule kind; every default satisfies every rule.
#[derive(Config, Clone, Debug, PartialEq)]
pub struct RulesConfig {
    #[config(default = 1, min = 1)]
    pub at_least_one: u32,
    #[config(default = 10, max = 10)]
    pub at_most_ten: i64,
    #[config(default = 0.5, range = 0.0..1.0)]
    pub fraction: f32,
    #[config(default = 8, range = 1..=8)]
    pub heads: u8,
    #[config(default = String::from("x"), non_empty)]
    pub name: String,
    #[config(default = vec![1], non_empty)]
    pub widths: Vec<usize>,
    #[config(default = 2, one_of = [1, 2, 4])]
    pub bits: u8,
    #[config(default = String::from("adam"), one_of = ["adam", "sgd"])]
    pub optimizer: String,
    #[config(default = Activation::Relu, one_of = [Activation::Relu, Activation::Gelu])]
    pub activation: Activation,
    #[config(default = 0.001, validate = positive_lr)]
    pub lr: f64,
    #[config(min = 1)]
    pub seed: Option<u64>,
}

#[derive(Config, Clone, Debug, PartialEq)]
pub struct OptimizerConfig {
    #[config(range = 0.0..=1.0)]
    pub lr: f64,
    #[config(default = 0.9, range = 0.0..1.0)]
    pub momentum: f64,
}

#[derive(Config, Clone, Debug, PartialEq)]
pub struct LayerConfig {
    #[config(min = 1)]
    pub width: usize,
    #[config(default = Activation::Relu)]
    pub activation: Activation,
}

fn heads_divide_width(c: &AttentionConfig) -> Result<(), CheckError> {
    if c.d_model.is_multiple_of(c.n_heads) {
        Ok(())
    } else {
        Err(CheckError::new(
            ["d_model", "n_heads"],
            format!(
                "d_model ({}) must be divisible by n_heads ({})",
                c.d_model, c.n_heads
            ),
        ))
    }
}

#[derive(Config, Clone, Debug, PartialEq)]
#[config(check = heads_divide_width)]
pub struct AttentionConfig {
    #[config(min = 1)]
    pub d_model: usize,
    #[config(min = 1)]
    pub n_heads: usize,
}

#[derive(Config, Clone, Debug, PartialEq)]
pub struct TrainConfig {
    pub optimizer: OptimizerConfig,
    #[config(default = vec![])]
    pub layers: Vec<LayerConfig>,
    pub attention: Option<AttentionConfig>,
}

/// Floats in every position a field can hold one, none with a rule.
#[derive(Config, Clone, Debug, PartialEq)]
pub struct FiniteConfig {
    pub clip: f32,
    #[config(default = vec![])]
    pub scales: Vec<f64>,
    pub limit: Option<f64>,
    pub optimizer: Option<OptimizerConfig>,
}

/// Every supported field type.
#[derive(Config, Clone, Debug, PartialEq)]
pub struct EveryTypeConfig {
    pub a_u8: u8,
    pub a_u16: u16,
    pub a_u32: u32,
    pub a_u64: u64,
    pub a_u128: u128,
    pub a_usize: usize,
    pub a_i8: i8,
    pub a_i16: i16,
    pub a_i32: i32,
    pub a_i64: i64,
    pub a_i128: i128,
    pub a_isize: isize,
    pub a_f32: f32,
    pub a_f64: f64,
    pub a_bool: bool,
    pub a_string: String,
    pub a_vec: Vec<f32>,
    pub an_option: Option<i32>,
    pub a_nested: LayerConfig,
    pub an_enum: Activation,
    pub nested_list: Vec<LayerConfig>,
}

fn messages(err: &ConfigError) -> Vec<String> {
    err.violations().iter().map(ToString::to_string).collect()
}

mod builder;
mod json;
mod rules;
mod schema;
