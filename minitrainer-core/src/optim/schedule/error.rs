//! `ScheduleError`: building a scheduler (by name or from a config), stepping it, and restoring
//! its state.

use crate::config::{CallSyntaxError, ConfigError};

/// A learning-rate scheduler could not be built, stepped or restored.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ScheduleError {
    /// The compact form (`step_lr(step_size=10)`) is malformed.
    #[error(transparent)]
    Syntax(#[from] CallSyntaxError),

    /// The JSON form is not valid JSON.
    #[error("malformed JSON scheduler spec: {0}")]
    Json(#[source] serde_json::Error),

    /// A spec (JSON, or a child of `sequential_lr`) is not an object with a `"name"` string.
    #[error(
        "a scheduler spec must be an object with a \"name\" string, e.g. \
         {{\"name\": \"step_lr\", \"step_size\": 10}}, or a compact spec such as \
         `step_lr(step_size=10)`; got {found}"
    )]
    MissingName {
        /// What was given instead.
        found: String,
    },

    /// No scheduler has this name.
    #[error("{}", unknown_scheduler(.name, .suggestion.as_deref(), .known))]
    UnknownScheduler {
        /// The name asked for.
        name: String,
        /// The closest known name, when one is close enough to be a typo.
        suggestion: Option<&'static str>,
        /// Every known name.
        known: Vec<&'static str>,
    },

    /// A scheduler's config broke one of its rules (the error names each field).
    #[error("invalid `{scheduler}` config: {source}")]
    Config {
        /// The scheduler's name (`"step_lr"`).
        scheduler: &'static str,
        /// Every violation, each naming its field.
        #[source]
        source: ConfigError,
    },

    /// A per-group list, or the optimizer stepped, has the wrong number of parameter groups.
    #[error(
        "`{field}` has {found} entries, but the scheduler was built for {expected} parameter \
         groups; give one per group"
    )]
    GroupCount {
        /// What has the wrong length (`"max_lrs"`, `"the optimizer's learning rates"`).
        field: String,
        /// The number of groups the scheduler was built for.
        expected: usize,
        /// The number found.
        found: usize,
    },

    /// A scheduler was built for no parameter group at all.
    #[error("a scheduler needs at least one learning rate (one per parameter group), got none")]
    NoGroups,

    /// `sequential_lr`'s children and milestones do not fit together.
    #[error("invalid `sequential_lr`: {0}")]
    Sequential(String),

    /// `one_cycle_lr` was stepped more times than its `total_steps` allow.
    #[error(
        "`one_cycle_lr` was stepped {step} times, but its total_steps is {total_steps}; \
         raise total_steps (or epochs × steps_per_epoch) to cover the run"
    )]
    PastTotalSteps {
        /// The step that was refused.
        step: i64,
        /// The configured number of steps.
        total_steps: usize,
    },

    /// `step` without a metric on a scheduler that needs one (`reduce_lr_on_plateau`).
    #[error(
        "`{scheduler}` decides from a metric: call `step_with_metric(target, metric)`, not `step`"
    )]
    MetricRequired {
        /// The scheduler's name.
        scheduler: &'static str,
    },

    /// A saved state is of another scheduler.
    #[error("this state is of scheduler \"{found}\", but it is loaded into a `{expected}`")]
    StateKind {
        /// The scheduler loading the state.
        expected: &'static str,
        /// The `"scheduler"` the state names.
        found: String,
    },

    /// A saved state is malformed.
    #[error("malformed scheduler state: `{field}` {problem}")]
    State {
        /// The field (dotted for a child of `sequential_lr`: `children.1.last_epoch`).
        field: String,
        /// What is wrong with it.
        problem: String,
    },
}

fn unknown_scheduler(name: &str, suggestion: Option<&str>, known: &[&str]) -> String {
    let mut message = format!("unknown scheduler \"{name}\"");
    if let Some(suggestion) = suggestion {
        message += &format!("; did you mean \"{suggestion}\"?");
    }
    let known = known
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ");
    message + &format!(" (known: {known})")
}
