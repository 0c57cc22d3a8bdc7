//! State dicts: an ordered map from dotted path to tensor, and loading one into a model.
//!
//! Loading plans first and writes last: every key is matched and every shape checked before a
//! single value is copied, so a strict load that fails leaves the model exactly as it was.

use std::fmt;
use std::iter::FusedIterator;

use indexmap::IndexMap;

use super::{Buffer, FieldName, Module, ModuleError, Param, Visitor};
use crate::tensor::Tensor;

/// Tensors by dotted path, in insertion order (field order for [`Module::state_dict`]).
#[derive(Clone, Default)]
pub struct StateDict {
    // `IndexMap`: ordered like a `Vec`, looked up like a `HashMap` (it comes with serde_json's
    // `preserve_order`, so it costs no extra dependency).
    entries: IndexMap<String, Tensor>,
}

impl StateDict {
    /// An empty state dict.
    pub fn new() -> Self {
        Self::default()
    }

    /// Inserts or replaces `key` (a replaced key keeps its position).
    pub fn insert(&mut self, key: impl Into<String>, tensor: Tensor) {
        self.entries.insert(key.into(), tensor);
    }

    /// The tensor under `key`.
    pub fn get(&self, key: &str) -> Option<&Tensor> {
        self.entries.get(key)
    }

    /// Whether `key` is present.
    pub fn contains_key(&self, key: &str) -> bool {
        self.entries.contains_key(key)
    }

    /// Removes `key`, returning its tensor; the other keys keep their order.
    pub fn remove(&mut self, key: &str) -> Option<Tensor> {
        self.entries.shift_remove(key)
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The keys, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }

    /// `(key, tensor)` pairs, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Tensor)> {
        self.entries.iter().map(|(k, t)| (k.as_str(), t))
    }
}

impl FromIterator<(String, Tensor)> for StateDict {
    /// Collects in order; a repeated key keeps its first position and its last tensor.
    fn from_iter<I: IntoIterator<Item = (String, Tensor)>>(iter: I) -> Self {
        StateDict {
            entries: iter.into_iter().collect(),
        }
    }
}

impl IntoIterator for StateDict {
    type Item = (String, Tensor);
    type IntoIter = StateDictIntoIter;

    fn into_iter(self) -> StateDictIntoIter {
        StateDictIntoIter(self.entries.into_iter())
    }
}

/// The `(key, tensor)` pairs of a [`StateDict`], in order, by value.
// A newtype, as serde_json's `map::IntoIter`: the map behind `StateDict` stays private.
pub struct StateDictIntoIter(indexmap::map::IntoIter<String, Tensor>);

impl Iterator for StateDictIntoIter {
    type Item = (String, Tensor);

    fn next(&mut self) -> Option<(String, Tensor)> {
        self.0.next()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl DoubleEndedIterator for StateDictIntoIter {
    fn next_back(&mut self) -> Option<(String, Tensor)> {
        self.0.next_back()
    }
}

impl ExactSizeIterator for StateDictIntoIter {}

impl FusedIterator for StateDictIntoIter {}

impl fmt::Debug for StateDict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.entries.iter().map(|(k, t)| (k, t.shape())))
            .finish()
    }
}

/// A key whose tensor has a different shape from the model's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShapeMismatch {
    /// The key in the state dict.
    pub key: String,
    /// The model's shape.
    pub expected: Vec<usize>,
    /// The state dict's shape.
    pub actual: Vec<usize>,
}

/// What a `load_state_dict` did not load.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LoadReport {
    /// Model paths with no key in the state dict (under their name or an alias).
    pub missing: Vec<String>,
    /// State dict keys that match nothing in the model.
    pub unexpected: Vec<String>,
    /// Keys whose shapes differ (never loaded).
    pub mismatched: Vec<ShapeMismatch>,
}

impl LoadReport {
    /// Whether everything fit.
    pub fn is_clean(&self) -> bool {
        self.missing.is_empty() && self.unexpected.is_empty() && self.mismatched.is_empty()
    }
}

impl fmt::Display for LoadReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use super::error::list;
        let mismatched: Vec<String> = self
            .mismatched
            .iter()
            .map(|m| {
                format!(
                    "{}: model {:?} vs state dict {:?}",
                    m.key, m.expected, m.actual
                )
            })
            .collect();
        write!(
            f,
            "missing keys: {}; unexpected keys: {}; shape mismatches: {}",
            list(&self.missing),
            list(&self.unexpected),
            list(&mismatched)
        )
    }
}

/// A tensor of the model with every key it may be loaded from: the canonical path first, then
/// the combinations that use an alias for at least one segment.
struct Slot<'a> {
    keys: Vec<String>,
    tensor: &'a Tensor,
}

/// Walks the model collecting parameters and persistent buffers with their candidate keys.
#[derive(Default)]
struct Slots<'a> {
    // Each enclosing segment's names: its own name first, then its aliases.
    stack: Vec<Vec<String>>,
    out: Vec<Slot<'a>>,
}

impl<'a> Slots<'a> {
    fn add(&mut self, name: FieldName<'_>, tensor: &'a Tensor) {
        let mut keys = vec![String::new()];
        let leaf = names_of(name);
        for segment in self.stack.iter().chain(std::iter::once(&leaf)) {
            keys = keys
                .iter()
                .flat_map(|prefix| {
                    segment.iter().map(move |s| match prefix.is_empty() {
                        true => s.clone(),
                        false => format!("{prefix}.{s}"),
                    })
                })
                .collect();
        }
        // The first combination uses every canonical name: that is the canonical key.
        self.out.push(Slot { keys, tensor });
    }
}

fn names_of(name: FieldName<'_>) -> Vec<String> {
    std::iter::once(name.name)
        .chain(name.aliases.iter().copied())
        .map(str::to_owned)
        .collect()
}

impl<'a> Visitor<'a> for Slots<'a> {
    fn enter_module(&mut self, name: FieldName<'_>, _: &'a dyn Module) {
        self.stack.push(names_of(name));
    }
    fn exit_module(&mut self, _: FieldName<'_>, _: &'a dyn Module) {
        self.stack.pop();
    }
    fn param(&mut self, name: FieldName<'_>, param: &'a Param) {
        self.add(name, param.tensor());
    }
    fn buffer(&mut self, name: FieldName<'_>, buffer: &'a Buffer) {
        if buffer.is_persistent() {
            self.add(name, buffer.tensor());
        }
    }
}

pub(super) fn collect(root: &dyn Module) -> StateDict {
    let mut slots = Slots::default();
    root.visit(&mut slots);
    slots
        .out
        .into_iter()
        .map(|slot| (slot.keys[0].clone(), slot.tensor.clone()))
        .collect()
}

pub(super) fn load(
    root: &dyn Module,
    source: &StateDict,
    strict: bool,
) -> Result<LoadReport, ModuleError> {
    let mut slots = Slots::default();
    root.visit(&mut slots);

    // 1. Plan: match every slot to a key and check shapes, touching nothing.
    let mut report = LoadReport::default();
    let mut used = std::collections::HashSet::new();
    let mut plan = Vec::new();
    for slot in &slots.out {
        let found = slot
            .keys
            .iter()
            .find_map(|key| source.get(key).map(|t| (key, t)));
        let Some((key, value)) = found else {
            report.missing.push(slot.keys[0].clone());
            continue;
        };
        // A checkpoint holding both the new and an old name: the others are consumed too.
        used.extend(slot.keys.iter().filter(|k| source.contains_key(k)).cloned());
        if value.shape() != slot.tensor.shape() {
            report.mismatched.push(ShapeMismatch {
                key: key.clone(),
                expected: slot.tensor.shape().to_vec(),
                actual: value.shape().to_vec(),
            });
        } else {
            plan.push((slot.tensor, value));
        }
    }
    report.unexpected = source
        .keys()
        .filter(|key| !used.contains(*key))
        .map(str::to_owned)
        .collect();

    if strict && !report.is_clean() {
        return Err(ModuleError::StateDict { report });
    }

    // 2. Snapshot every value before writing any: a source may share tensors with the model
    //    (its own state dict under other names), and writing one target must not change a
    //    value another target still has to read. Loading a tensor onto itself is skipped.
    let plan: Vec<(&Tensor, ndarray::ArrayD<f32>)> = plan
        .into_iter()
        .filter(|(target, value)| target.id() != value.id())
        .map(|(target, value)| (target, value.to_array()))
        .collect();
    // 3. Write: shapes are known to fit, so nothing below can fail half-way.
    for (target, value) in plan {
        target.update_data(|data| *data = value);
    }
    Ok(report)
}
