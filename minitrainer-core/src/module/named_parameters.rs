//! `NamedParameters`: what [`Module::named_parameter_refs`](super::Module::named_parameter_refs)
//! returns — every parameter with its dotted path, from one walk, in two buffers.
//!
//! The names live back to back in one `String` (each its end offset beside its parameter), and
//! the parameters are borrowed from the module: no `String` per name, no reference-count
//! increment per parameter. By reference it yields `(&str, &Param)`; by value
//! `(ParamName, &Param)`, the name copied into a [`ParamName`] (inline, not allocated, for
//! paths up to 38 bytes).

use std::fmt;
use std::iter::FusedIterator;

use super::param_name::INLINE;
use super::{Param, ParamName};

/// Every parameter of a module with its dotted path (`encoder.0.weight`), in field order, as
/// [`Module::named_parameter_refs`](super::Module::named_parameter_refs) returns them.
///
/// One `String` holds all the names and the parameters are borrowed from the module, so
/// building it fills two buffers (room for 512 parameters up front, grown by doubling
/// beyond), never a `String` per name. Iterate it by reference for
/// `(&str, &Param)` pairs, or by value for `(ParamName, &Param)` — [`ParamName`] is an owned
/// name that derefs to `str`, compares with string types and converts `into()` a `String`.
/// [`NamedParameters::into_vec`] gives the `Vec<(String, Param)>` that outlives the module.
///
/// # Examples
/// ```
/// # use minitrainer_core as minitrainer;
/// use minitrainer::build::{Build, Init};
/// use minitrainer::module::Module;
/// use minitrainer::nn::{Linear, LinearConfig, Sequential};
/// let mut init = Init::seeded(0);
/// let net = Sequential::new().push(Linear::build(&LinearConfig::new(4, 2), &mut init));
/// let named = net.named_parameter_refs();
/// assert_eq!((named.len(), named.get(1).map(|(name, _)| name)), (2, Some("0.bias")));
/// for (name, param) in &named {
///     assert!(name.starts_with("0."), "{name}: {:?}", param.shape());
/// }
/// let names: Vec<String> = named.into_iter().map(|(name, _)| name.into()).collect();
/// assert_eq!(names, ["0.weight", "0.bias"]);
/// ```
#[derive(Clone, Default)]
pub struct NamedParameters<'a> {
    names: String,
    entries: Vec<Entry<'a>>,
}

/// One parameter and where its name ends in `names` (it starts where the previous one ends).
#[derive(Clone, Copy)]
pub(super) struct Entry<'a> {
    pub(super) end: usize,
    pub(super) param: &'a Param,
}

impl<'a> NamedParameters<'a> {
    /// `names` holds the names back to back and then at least `INLINE` bytes of padding;
    /// each entry's `end` is where its name ends.
    pub(super) fn from_parts(names: String, entries: Vec<Entry<'a>>) -> Self {
        NamedParameters { names, entries }
    }

    /// Number of parameters.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the module has no parameters.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The `index`-th parameter and its name, in field order.
    pub fn get(&self, index: usize) -> Option<(&str, &'a Param)> {
        let entry = self.entries.get(index)?;
        let start = match index.checked_sub(1) {
            Some(previous) => self.entries.get(previous).map_or(0, |e| e.end),
            None => 0,
        };
        Some((self.name(start, entry.end), entry.param))
    }

    /// The parameter named `name`, if any (a linear search).
    pub fn find(&self, name: &str) -> Option<&'a Param> {
        self.iter()
            .find(|(n, _)| *n == name)
            .map(|(_, param)| param)
    }

    /// `(&str, &Param)` pairs, in field order.
    pub fn iter(&self) -> NamedParametersIter<'_, 'a> {
        NamedParametersIter {
            rest: &self.names,
            entries: self.entries.iter(),
            start: 0,
        }
    }

    /// The names, in field order.
    pub fn names(&self) -> impl DoubleEndedIterator<Item = &str> + ExactSizeIterator {
        self.iter().map(|(name, _)| name)
    }

    /// The parameters, in field order.
    pub fn params(&self) -> impl DoubleEndedIterator<Item = &'a Param> + ExactSizeIterator {
        self.entries.iter().map(|entry| entry.param)
    }

    /// Owned pairs that outlive the module: one `String` per name and a shared handle per
    /// parameter: what [`Module::named_parameters`](crate::module::Module::named_parameters)
    /// returns.
    pub fn into_vec(self) -> Vec<(String, Param)> {
        self.iter()
            .map(|(name, param)| (name.to_owned(), param.clone()))
            .collect()
    }

    // Offsets always come from `push`, at `str` boundaries, so the fallback is never taken.
    #[inline]
    fn name(&self, start: usize, end: usize) -> &str {
        self.names.get(start..end).unwrap_or_default()
    }
}

impl fmt::Debug for NamedParameters<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// The pairs of a [`NamedParameters`] by reference: `(&str, &Param)`.
#[derive(Clone)]
pub struct NamedParametersIter<'s, 'a> {
    // The names not yet yielded from the front, which start at offset `start`.
    rest: &'s str,
    entries: std::slice::Iter<'s, Entry<'a>>,
    start: usize,
}

impl<'s, 'a> Iterator for NamedParametersIter<'s, 'a> {
    type Item = (&'s str, &'a Param);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        let entry = self.entries.next()?;
        // One boundary check per name: split it off the front of the rest.
        let len = entry.end.saturating_sub(self.start);
        let (name, rest) = self.rest.split_at_checked(len).unwrap_or(("", self.rest));
        self.rest = rest;
        self.start = entry.end;
        Some((name, entry.param))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.entries.size_hint()
    }
}

impl DoubleEndedIterator for NamedParametersIter<'_, '_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let entry = self.entries.next_back()?;
        let start = self.entries.as_slice().last().map_or(self.start, |e| e.end);
        let name = self.rest.get(start - self.start..entry.end - self.start);
        Some((name.unwrap_or_default(), entry.param))
    }
}

impl ExactSizeIterator for NamedParametersIter<'_, '_> {}
impl FusedIterator for NamedParametersIter<'_, '_> {}

impl<'s, 'a> IntoIterator for &'s NamedParameters<'a> {
    type Item = (&'s str, &'a Param);
    type IntoIter = NamedParametersIter<'s, 'a>;

    fn into_iter(self) -> NamedParametersIter<'s, 'a> {
        self.iter()
    }
}

/// The pairs of a [`NamedParameters`] by value: `(ParamName, &Param)`.
pub struct NamedParametersIntoIter<'a> {
    names: String,
    entries: std::vec::IntoIter<Entry<'a>>,
    start: usize,
}

impl<'a> Iterator for NamedParametersIntoIter<'a> {
    type Item = (ParamName, &'a Param);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        let entry = self.entries.next()?;
        let name = self.name_at(self.start, entry.end);
        self.start = entry.end;
        Some((name, entry.param))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.entries.size_hint()
    }
}

impl DoubleEndedIterator for NamedParametersIntoIter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let entry = self.entries.next_back()?;
        let start = self.entries.as_slice().last().map_or(self.start, |e| e.end);
        Some((self.name_at(start, entry.end), entry.param))
    }
}

impl NamedParametersIntoIter<'_> {
    /// The name at `names[start..end]` as a [`ParamName`]: a short one is copied as one
    /// fixed-size chunk (the names end in padding so that a chunk always fits).
    #[inline]
    fn name_at(&self, start: usize, end: usize) -> ParamName {
        let len = end.saturating_sub(start);
        let chunk = self
            .names
            .as_bytes()
            .get(start..)
            .and_then(<[u8]>::first_chunk);
        match chunk {
            Some(chunk) if len <= INLINE => ParamName::from_chunk(chunk, len),
            _ => ParamName::new(self.names.get(start..end).unwrap_or_default()),
        }
    }
}

impl ExactSizeIterator for NamedParametersIntoIter<'_> {}
impl FusedIterator for NamedParametersIntoIter<'_> {}

impl<'a> IntoIterator for NamedParameters<'a> {
    type Item = (ParamName, &'a Param);
    type IntoIter = NamedParametersIntoIter<'a>;

    fn into_iter(self) -> NamedParametersIntoIter<'a> {
        NamedParametersIntoIter {
            names: self.names,
            entries: self.entries.into_iter(),
            start: 0,
        }
    }
}
