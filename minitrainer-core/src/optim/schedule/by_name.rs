//! Schedulers by name: `scheduler_from_str` reads the compact form
//! (`cosine_annealing_lr(t_max=100, eta_min=1e-5)`) or JSON
//! (`{"name": "step_lr", "step_size": 10}`) and builds the scheduler from its config.
//!
//! Names are PyTorch's class names in snake_case; each may be written without its `_lr`
//! (`cosine_annealing`, `reduce_on_plateau`). Errors: unknown names with a did-you-mean and
//! the list; config errors naming the field (`ScheduleError::Config`).

use serde_json::{Map, Value};

use super::chainable::{Chainable, LrRule};
use super::{
    CosineAnnealingLrConfig, ExponentialLrConfig, LinearLrConfig, LrScheduler, MultiStepLrConfig,
    OneCycleLrConfig, ReduceLrOnPlateau, ReduceLrOnPlateauConfig, ScheduleError, SequentialLr,
    SequentialLrConfig, StepLrConfig,
};
use crate::config::{Config, parse_call};

/// Every scheduler [`scheduler_from_str`] knows, by its full name.
pub const SCHEDULER_NAMES: [&str; 8] = [
    "step_lr",
    "multi_step_lr",
    "exponential_lr",
    "cosine_annealing_lr",
    "linear_lr",
    "one_cycle_lr",
    "sequential_lr",
    "reduce_lr_on_plateau",
];

const EXAMPLE: &str = "step_lr(step_size=10)";

/// Builds a scheduler from its name and config, for an optimizer whose rates are `base_lrs`
/// (one per parameter group); write its [`last_lr`](LrScheduler::last_lr) to the optimizer
/// once, then step it (see the [module docs](super)).
///
/// Forms: compact, `name(key=value, ...)` with JSON values; or a JSON object with a `"name"`.
/// `sequential_lr` takes `"schedulers"`, a list of specs (objects or compact strings), and
/// `"milestones"`.
///
/// ```
/// use minitrainer_core::optim::schedule::scheduler_from_str;
/// let cosine = scheduler_from_str("cosine_annealing_lr(t_max=100, eta_min=1e-5)", &[0.1, 0.01])?;
/// assert_eq!(cosine.name(), "cosine_annealing_lr");
/// let warmup_cosine = scheduler_from_str(
///     r#"{"name": "sequential_lr", "milestones": [5], "schedulers": [
///         {"name": "linear_lr", "start_factor": 0.1, "total_iters": 5},
///         "cosine_annealing(t_max=95)"]}"#,
///     &[0.1],
/// )?;
/// assert!((warmup_cosine.last_lr()[0] - 0.01).abs() < 1e-12);
/// let err = scheduler_from_str("step_lr(step_sise=10)", &[0.1]).err().unwrap();
/// assert!(err.to_string().contains(r#"did you mean "step_size"?"#));
/// # Ok::<(), minitrainer_core::optim::schedule::ScheduleError>(())
/// ```
///
/// # Errors
/// [`ScheduleError::Syntax`] / [`ScheduleError::Json`] for malformed text,
/// [`ScheduleError::MissingName`], [`ScheduleError::UnknownScheduler`] (with a suggestion and
/// the list), [`ScheduleError::Config`] naming the field, and the scheduler's own
/// construction errors.
pub fn scheduler_from_str(
    text: &str,
    base_lrs: &[f64],
) -> Result<Box<dyn LrScheduler>, ScheduleError> {
    let (name, fields) = spec(text)?;
    let name = known_name(&name)?;
    match name {
        "reduce_lr_on_plateau" => {
            let config = decode::<ReduceLrOnPlateauConfig>(fields, name)?;
            Ok(Box::new(ReduceLrOnPlateau::new(config, base_lrs)?))
        }
        "sequential_lr" => Ok(Box::new(sequential(fields, base_lrs)?)),
        _ => Ok(Box::new(Chainable::new(rule(name, fields)?, base_lrs)?)),
    }
}

/// The name and fields of a spec in either form.
fn spec(text: &str) -> Result<(String, Map<String, Value>), ScheduleError> {
    if text.trim_start().starts_with('{') {
        let value = serde_json::from_str(text).map_err(ScheduleError::Json)?;
        spec_of_value(value)
    } else {
        Ok(parse_call(text, "scheduler", EXAMPLE)?)
    }
}

/// The name and fields of a spec given as a JSON value: an object with a `"name"`, or a
/// string in the compact form.
fn spec_of_value(value: Value) -> Result<(String, Map<String, Value>), ScheduleError> {
    match value {
        Value::String(text) => Ok(parse_call(&text, "scheduler", EXAMPLE)?),
        Value::Object(mut fields) => match fields.remove("name") {
            Some(Value::String(name)) => Ok((name, fields)),
            other => Err(ScheduleError::MissingName {
                found: match other {
                    Some(name) => format!("\"name\": {name}"),
                    None => Value::Object(fields).to_string(),
                },
            }),
        },
        other => Err(ScheduleError::MissingName {
            found: other.to_string(),
        }),
    }
}

/// The full name for `name` (or its short form without `_lr`).
fn known_name(name: &str) -> Result<&'static str, ScheduleError> {
    let matches = |n: &&'static str| *n == name || n.replace("_lr", "") == name;
    if let Some(full) = SCHEDULER_NAMES.iter().copied().find(matches) {
        return Ok(full);
    }
    Err(ScheduleError::UnknownScheduler {
        name: name.to_string(),
        suggestion: crate::suggest::did_you_mean(name, SCHEDULER_NAMES),
        known: SCHEDULER_NAMES.to_vec(),
    })
}

fn decode<C: Config>(
    fields: Map<String, Value>,
    scheduler: &'static str,
) -> Result<C, ScheduleError> {
    C::from_value(Value::Object(fields))
        .map_err(|source| ScheduleError::Config { scheduler, source })
}

/// The rule of a chainable scheduler.
fn rule(name: &'static str, fields: Map<String, Value>) -> Result<Box<dyn LrRule>, ScheduleError> {
    Ok(match name {
        "step_lr" => Box::new(decode::<StepLrConfig>(fields, name)?),
        "multi_step_lr" => Box::new(decode::<MultiStepLrConfig>(fields, name)?),
        "exponential_lr" => Box::new(decode::<ExponentialLrConfig>(fields, name)?),
        "cosine_annealing_lr" => Box::new(decode::<CosineAnnealingLrConfig>(fields, name)?),
        "linear_lr" => Box::new(decode::<LinearLrConfig>(fields, name)?),
        "one_cycle_lr" => Box::new(decode::<OneCycleLrConfig>(fields, name)?),
        other => {
            return Err(ScheduleError::Sequential(format!(
                "`{other}` can't be a child scheduler: `reduce_lr_on_plateau` needs a metric, \
                 and a `sequential_lr` can't nest"
            )));
        }
    })
}

fn sequential(
    mut fields: Map<String, Value>,
    base_lrs: &[f64],
) -> Result<SequentialLr, ScheduleError> {
    let children = match fields.remove("schedulers") {
        Some(Value::Array(children)) => children,
        Some(other) => {
            return Err(ScheduleError::Sequential(format!(
                "\"schedulers\" must be a list of scheduler specs, got {other}"
            )));
        }
        None => {
            return Err(ScheduleError::Sequential(
                "\"schedulers\" is missing: give a list of scheduler specs, e.g. \
                 [\"linear_lr(total_iters=5)\", \"cosine_annealing_lr(t_max=95)\"]"
                    .into(),
            ));
        }
    };
    let rules = children
        .into_iter()
        .map(|child| {
            let (name, fields) = spec_of_value(child)?;
            rule(known_name(&name)?, fields)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let config = decode::<SequentialLrConfig>(fields, "sequential_lr")?;
    SequentialLr::new(config, rules, base_lrs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_names_get_a_suggestion_and_the_list() {
        let err = scheduler_from_str("cosine_anealing_lr(t_max=3)", &[0.1])
            .err()
            .unwrap();
        let message = err.to_string();
        assert!(
            message.starts_with(
                r#"unknown scheduler "cosine_anealing_lr"; did you mean "cosine_annealing_lr"?"#
            ),
            "{message}"
        );
        assert!(message.contains(r#""reduce_lr_on_plateau""#), "{message}");
    }

    #[test]
    fn short_names_and_both_forms_build_the_same_scheduler() -> Result<(), ScheduleError> {
        let compact = scheduler_from_str("step(step_size=3, gamma=0.5)", &[1.0])?;
        let json = scheduler_from_str(
            r#"{"name": "step_lr", "step_size": 3, "gamma": 0.5}"#,
            &[1.0],
        )?;
        assert_eq!(compact.state(), json.state());
        Ok(())
    }

    #[test]
    fn a_json_spec_without_a_name_is_refused() {
        let err = scheduler_from_str(r#"{"step_size": 3}"#, &[1.0])
            .err()
            .unwrap();
        assert!(matches!(err, ScheduleError::MissingName { .. }), "{err}");
    }
}
