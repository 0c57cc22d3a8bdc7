//! Optimizer state keyed by parameter path, and its safetensors file.
//!
//! Entry points: [`OptimizerState`] (what `Optimizer::state_dict` returns and
//! `load_state_dict` takes), [`OptimizerState::write`] / [`OptimizerState::read`].
//!
//! The file: one F32 tensor per state buffer, named `<parameter path>.<buffer>`
//! (`layers.0.weight.exp_avg`, PyTorch's state keys), and in the safetensors metadata
//! `"optimizer"` (the name) and `"optimizer_state"`: JSON with each group's pattern,
//! hyperparameters and parameter paths, and each parameter's step count. Keyed by path, not
//! position (PyTorch's `state_dict` numbers parameters), so a model whose field order changes
//! still loads, and a mismatch can name what is wrong.
//!
//! Loading checks everything first — the optimizer's name, the groups, every buffer's
//! presence and shape — and changes nothing unless all of it fits.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::{Value, json};

use super::OptimError;
use super::engine::{Engine, Slot, decode_config};
use super::rule::Rule;
use crate::Tensor;
use crate::config::Config;
use crate::weights::{IoError, parse_safetensors};

const NAME_KEY: &str = "optimizer";
const STATE_KEY: &str = "optimizer_state";

/// A snapshot of an optimizer: hyperparameters per group, step counts and state buffers, each
/// keyed by parameter path.
#[derive(Clone, Debug)]
pub struct OptimizerState {
    /// The optimizer's name (`"adam"`); another optimizer refuses to load it.
    pub optimizer: String,
    /// The parameter groups, default group first.
    pub groups: Vec<GroupState>,
    /// Steps taken by each parameter, by path.
    pub steps: BTreeMap<String, u64>,
    /// State buffers, named `<parameter path>.<buffer>` (`head.weight.exp_avg`).
    pub tensors: Vec<(String, Tensor)>,
}

/// One parameter group in an [`OptimizerState`].
#[derive(Clone, Debug, PartialEq)]
pub struct GroupState {
    /// The group's pattern; `None` for the default group.
    pub pattern: Option<String>,
    /// The group's hyperparameters, as the optimizer's config writes them.
    pub config: Value,
    /// The paths of the group's parameters.
    pub params: Vec<String>,
}

impl OptimizerState {
    /// The bytes of a safetensors file holding this state.
    ///
    /// # Errors
    /// [`OptimError::Io`] when two buffers share a name.
    pub fn to_bytes(&self) -> Result<Vec<u8>, OptimError> {
        Ok(crate::weights::serialize_for(
            &self.tensors,
            Path::new(""),
            &self.metadata(),
        )?)
    }

    /// Writes the state to a safetensors file at `path`, atomically (see
    /// [`write_safetensors`](crate::weights::write_safetensors)).
    ///
    /// # Errors
    /// [`OptimError::Io`] naming the file.
    pub fn write(&self, path: impl AsRef<Path>) -> Result<(), OptimError> {
        let path = path.as_ref();
        let bytes = crate::weights::serialize_for(&self.tensors, path, &self.metadata())?;
        Ok(crate::weights::atomic::write_atomic(path, &bytes)?)
    }

    /// Reads a state written by [`OptimizerState::write`].
    ///
    /// # Errors
    /// [`OptimError::Io`] for an unreadable or malformed file;
    /// [`OptimError::MalformedState`] when its metadata is not an optimizer state.
    pub fn read(path: impl AsRef<Path>) -> Result<Self, OptimError> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|source| IoError::file("read", path, source))?;
        Self::from_bytes(&bytes, path)
    }

    /// Parses the bytes of a state file; `path` only names the file in errors.
    ///
    /// # Errors
    /// As [`OptimizerState::read`].
    pub fn from_bytes(bytes: &[u8], path: &Path) -> Result<Self, OptimError> {
        let tensors = parse_safetensors(bytes, path)?;
        // `parse_safetensors` accepted the layout, so the header reads.
        let metadata = safetensors::SafeTensors::read_metadata(bytes)
            .map_err(|e| IoError::malformed(path, e.to_string()))?
            .1;
        let entry = |key: &str| {
            metadata
                .metadata()
                .as_ref()
                .and_then(|m| m.get(key).cloned())
                .ok_or_else(|| {
                    OptimError::MalformedState(format!(
                        "{}: no `{key}` in the safetensors metadata (not an optimizer state file?)",
                        path.display()
                    ))
                })
        };
        let optimizer = entry(NAME_KEY)?;
        let text = entry(STATE_KEY)?;
        let malformed = |what: String| {
            OptimError::MalformedState(format!("{}: `{STATE_KEY}` {what}", path.display()))
        };
        let value: Value =
            serde_json::from_str(&text).map_err(|e| malformed(format!("is not JSON: {e}")))?;
        let (groups, steps) = decode_metadata(&value).ok_or_else(|| {
            malformed("does not have the form {\"groups\": [...], \"steps\": {...}}".into())
        })?;
        Ok(OptimizerState {
            optimizer,
            groups,
            steps,
            tensors,
        })
    }

    fn metadata(&self) -> Vec<(&'static str, String)> {
        let groups: Vec<Value> = self
            .groups
            .iter()
            .map(|g| json!({"pattern": g.pattern, "config": g.config, "params": g.params}))
            .collect();
        let state = json!({"groups": groups, "steps": self.steps});
        vec![
            (NAME_KEY, self.optimizer.clone()),
            (STATE_KEY, state.to_string()),
        ]
    }
}

fn decode_metadata(value: &Value) -> Option<(Vec<GroupState>, BTreeMap<String, u64>)> {
    let strings = |v: &Value| -> Option<Vec<String>> {
        v.as_array()?
            .iter()
            .map(|s| s.as_str().map(str::to_owned))
            .collect()
    };
    let groups = value
        .get("groups")?
        .as_array()?
        .iter()
        .map(|g| {
            Some(GroupState {
                pattern: match g.get("pattern")? {
                    Value::Null => None,
                    other => Some(other.as_str()?.to_owned()),
                },
                config: g.get("config")?.clone(),
                params: strings(g.get("params")?)?,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    let steps = value
        .get("steps")?
        .as_object()?
        .iter()
        .map(|(k, v)| Some((k.clone(), v.as_u64()?)))
        .collect::<Option<BTreeMap<_, _>>>()?;
    Some((groups, steps))
}

// The generic code is compiled once per rule (five times), so it only asks the rule for what
// differs (its name, configs and slot names) and hands the rest to plain functions.
impl<R: Rule> Engine<R> {
    /// A copy of the state (buffers copied, not shared).
    pub(crate) fn state_dict(&self) -> OptimizerState {
        let mut groups = Vec::with_capacity(self.groups.len());
        for g in &self.groups {
            groups.push(GroupView {
                pattern: &g.pattern,
                config: g.config.to_value(),
                params: &g.params,
                slots: R::slots(&g.config),
            });
        }
        state_of(R::NAME, groups)
    }

    /// Replaces the state with `state`, or changes nothing.
    pub(crate) fn load_state_dict(&mut self, state: &OptimizerState) -> Result<(), OptimError> {
        if state.optimizer != R::NAME {
            return Err(wrong_optimizer(R::NAME, state));
        }
        let configs = self.check_groups(state)?;
        let mut groups = Vec::with_capacity(self.groups.len());
        for (group, config) in self.groups.iter_mut().zip(&configs) {
            groups.push((&mut group.params, R::slots(config)));
        }
        load_buffers(state, groups)?;
        for (group, config) in self.groups.iter_mut().zip(configs) {
            group.config = config;
        }
        Ok(())
    }

    /// The saved groups' configs, when the groups hold the same parameters as ours.
    fn check_groups(&self, state: &OptimizerState) -> Result<Vec<R::Config>, OptimError> {
        check_group_count(state, self.groups.len())?;
        let mut problems = Vec::new();
        let mut configs = Vec::with_capacity(self.groups.len());
        for (i, (saved, ours)) in state.groups.iter().zip(&self.groups).enumerate() {
            check_group_params(i, saved, &ours.params, &mut problems);
            match decode_config::<R>(&saved.config) {
                Ok(config) => configs.push(config),
                Err(error) => problems.push(config_problem(i, &error)),
            }
        }
        if problems.is_empty() {
            Ok(configs)
        } else {
            Err(OptimError::StateMismatch { problems })
        }
    }
}

/// One group as the rule-independent code sees it.
struct GroupView<'a> {
    pattern: &'a Option<String>,
    config: Value,
    params: &'a [Slot],
    slots: &'static [&'static str],
}

/// The state of the optimizer `name` with `groups`.
fn state_of(name: &'static str, groups: Vec<GroupView<'_>>) -> OptimizerState {
    let mut steps = BTreeMap::new();
    let mut tensors = Vec::new();
    for group in &groups {
        for slot in group.params {
            steps.insert(slot.path.clone(), slot.step);
            for (name, buffer) in group.slots.iter().zip(&slot.state) {
                let array = ndarray::ArrayD::from_shape_vec(slot.param.shape(), buffer.clone())
                    .expect("a state buffer has its parameter's length");
                tensors.push((format!("{}.{name}", slot.path), Tensor::from_array(array)));
            }
        }
    }
    let groups = groups
        .into_iter()
        .map(|g| GroupState {
            pattern: g.pattern.clone(),
            config: g.config,
            params: g.params.iter().map(|s| s.path.clone()).collect(),
        })
        .collect();
    OptimizerState {
        optimizer: name.to_owned(),
        groups,
        steps,
        tensors,
    }
}

fn wrong_optimizer(expected: &'static str, state: &OptimizerState) -> OptimError {
    OptimError::WrongOptimizer {
        expected,
        found: state.optimizer.clone(),
    }
}

/// Checks every step count and buffer of `state` against `groups` (each group's slots and the
/// slot names of its saved config), then loads them — or changes nothing.
fn load_buffers(
    state: &OptimizerState,
    mut groups: Vec<(&mut Vec<Slot>, &'static [&'static str])>,
) -> Result<(), OptimError> {
    let tensors: BTreeMap<&str, &Tensor> =
        state.tensors.iter().map(|(k, t)| (k.as_str(), t)).collect();
    let mut problems = Vec::new();
    let mut expected = BTreeSet::new();
    for (params, slots) in &groups {
        for slot in params.iter() {
            let Some(&step) = state.steps.get(&slot.path) else {
                problems.push(format!("missing step count of `{}`", slot.path));
                continue;
            };
            if step == 0 {
                continue; // no buffers before the first step
            }
            for name in *slots {
                let key = format!("{}.{name}", slot.path);
                match tensors.get(key.as_str()) {
                    None => problems.push(format!("missing `{key}`")),
                    Some(t) if t.shape() != slot.param.shape() => problems.push(format!(
                        "`{key}` has shape {:?}, the parameter {:?}",
                        t.shape(),
                        slot.param.shape()
                    )),
                    Some(_) => {}
                }
                expected.insert(key);
            }
        }
    }
    let ours: BTreeSet<&str> = groups
        .iter()
        .flat_map(|(params, _)| params.iter().map(|s| s.path.as_str()))
        .collect();
    for path in state.steps.keys().filter(|p| !ours.contains(p.as_str())) {
        problems.push(format!("unexpected step count of `{path}`"));
    }
    for key in tensors.keys().filter(|k| !expected.contains(**k)) {
        problems.push(format!("unexpected `{key}`"));
    }
    if !problems.is_empty() {
        return Err(OptimError::StateMismatch { problems });
    }
    for (params, slots) in &mut groups {
        for slot in params.iter_mut() {
            slot.step = state.steps[&slot.path];
            slot.state = if slot.step == 0 {
                Vec::new()
            } else {
                slots
                    .iter()
                    .map(|name| tensors[format!("{}.{name}", slot.path).as_str()].to_vec())
                    .collect()
            };
        }
    }
    Ok(())
}

fn check_group_count(state: &OptimizerState, ours: usize) -> Result<(), OptimError> {
    if state.groups.len() == ours {
        return Ok(());
    }
    let problems = vec![format!(
        "{} parameter groups saved, this optimizer has {ours}",
        state.groups.len()
    )];
    Err(OptimError::StateMismatch { problems })
}

/// Records a problem when the saved group `i` holds other parameters than `ours`.
fn check_group_params(i: usize, saved: &GroupState, ours: &[Slot], problems: &mut Vec<String>) {
    let paths: Vec<&str> = ours.iter().map(|s| s.path.as_str()).collect();
    if saved.params != paths {
        problems.push(format!(
            "group {i} holds {:?} in the state, {:?} here",
            saved.params, paths
        ));
    }
}

fn config_problem(i: usize, error: &OptimError) -> String {
    format!("group {i} hyperparameters: {error}")
}
