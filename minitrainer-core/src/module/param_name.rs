//! `ParamName`: one parameter's dotted path, owned, as [`NamedParameters`] yields it by value.
//!
//! Paths up to `INLINE` bytes (nearly every real one: `encoder.layers.11.attn.q.weight` is
//! 30) are kept inside the value itself, so taking 400 names out of a traversal allocates
//! nothing and needs no reference count; longer ones are boxed.
//!
//! [`NamedParameters`]: super::NamedParameters

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;

/// Longest name kept inline: the value is then 40 bytes, like a `String` plus two words.
pub(crate) const INLINE: usize = 38;

/// A parameter's dotted path (`encoder.0.weight`), owned: what iterating
/// [`NamedParameters`](super::NamedParameters) by value yields.
///
/// It is a string in every way that matters: it dereferences to [`str`] (`name.starts_with(..)`,
/// `name.split('.')`), prints as the bare path with `{}` and as a quoted string with `{:?}`,
/// compares equal to `str`, `&str`, `String` and other names, hashes and orders as the `str`
/// does (so `HashMap<ParamName, _>` can be looked up with a `&str`), and converts into a
/// `String` with `.into()`, [`ParamName::into_string`] or `to_string()`.
///
/// Names of up to 38 bytes are stored inline (no allocation, no reference count); longer ones
/// are boxed.
///
/// # Examples
/// ```
/// # use minitrainer_core as minitrainer;
/// use std::collections::HashMap;
/// use minitrainer::module::ParamName;
/// let name = ParamName::new("encoder.0.weight");
/// assert!(name.starts_with("encoder.") && name == "encoder.0.weight");
/// assert_eq!(format!("{name} {name:?}"), "encoder.0.weight \"encoder.0.weight\"");
/// let mut shapes = HashMap::new();
/// shapes.insert(name.clone(), [4, 2]);
/// assert_eq!(shapes["encoder.0.weight"], [4, 2]);
/// let owned: String = name.into();
/// assert_eq!(owned, "encoder.0.weight");
/// ```
#[derive(Clone)]
pub struct ParamName(Repr);

#[derive(Clone)]
enum Repr {
    // `bytes[..len]` is the UTF-8 of a whole `str` (it is only ever copied from one).
    Inline { len: u8, bytes: [u8; INLINE] },
    Heap(Box<str>),
}

impl ParamName {
    /// A name holding a copy of `name`.
    #[inline]
    pub fn new(name: &str) -> Self {
        match name.len() {
            len @ 0..=INLINE => {
                let mut bytes = [0; INLINE];
                bytes[..len].copy_from_slice(name.as_bytes());
                ParamName(Repr::Inline {
                    len: len as u8,
                    bytes,
                })
            }
            _ => ParamName(Repr::Heap(name.into())),
        }
    }

    /// The first `len` bytes of `chunk` (which must be a whole `str`) as a name: one copy of
    /// fixed size, no `memcpy` call.
    #[inline]
    pub(crate) fn from_chunk(chunk: &[u8; INLINE], len: usize) -> Self {
        ParamName(Repr::Inline {
            len: len.min(INLINE) as u8,
            bytes: *chunk,
        })
    }

    /// The name as a string slice.
    #[inline]
    pub fn as_str(&self) -> &str {
        match &self.0 {
            // Validation (not `unsafe`) turns the copied bytes back into a `str`; it cannot
            // fail, since they were a whole `str`, so the fallback is never taken.
            Repr::Inline { len, bytes } => bytes
                .get(..usize::from(*len))
                .and_then(|b| std::str::from_utf8(b).ok())
                .unwrap_or_default(),
            Repr::Heap(name) => name,
        }
    }

    /// The name as a `String` (allocates for an inline name).
    pub fn into_string(self) -> String {
        match self.0 {
            Repr::Heap(name) => name.into_string(),
            Repr::Inline { .. } => self.as_str().to_owned(),
        }
    }
}

impl Deref for ParamName {
    type Target = str;

    #[inline]
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for ParamName {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for ParamName {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for ParamName {
    fn from(name: &str) -> Self {
        ParamName::new(name)
    }
}

impl From<ParamName> for String {
    fn from(name: ParamName) -> Self {
        name.into_string()
    }
}

impl fmt::Display for ParamName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `pad` (not `write_str`) so `{:>20}` and friends work as they do for `str`.
        f.pad(self.as_str())
    }
}

impl fmt::Debug for ParamName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

// Equality, hashing and order are the `str`'s, as `Borrow<str>` requires.
impl PartialEq for ParamName {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for ParamName {}

impl Hash for ParamName {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl PartialOrd for ParamName {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for ParamName {
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

/// `name == "fc.weight"` and `"fc.weight" == name`, for each string type.
macro_rules! eq_str {
    ($($ty:ty),*) => {$(
        impl PartialEq<$ty> for ParamName {
            fn eq(&self, other: &$ty) -> bool {
                self.as_str() == &other[..]
            }
        }

        impl PartialEq<ParamName> for $ty {
            fn eq(&self, other: &ParamName) -> bool {
                &self[..] == other.as_str()
            }
        }
    )*};
}

eq_str!(str, &str, String);

#[cfg(test)]
mod tests {
    use std::collections::{BTreeSet, HashMap, HashSet};

    use super::{INLINE, ParamName};

    #[test]
    fn names_short_and_long_read_back_as_given() {
        let long = "encoder.layers.11.self_attention.in_projection.weight";
        assert!(long.len() > INLINE);
        let edge = "x".repeat(INLINE);
        for text in ["", "0.weight", "héllo.ünïcode", &edge, long] {
            let name = ParamName::new(text);
            assert_eq!(
                (name.as_str(), &*name, name.len()),
                (text, text, text.len())
            );
            assert_eq!(name.clone().into_string(), text);
            assert_eq!(String::from(name), text);
        }
    }

    #[test]
    fn compares_with_every_string_type_both_ways() {
        let name = ParamName::new("fc.weight");
        let text = String::from("fc.weight");
        // Each side of each pair is a different impl.
        assert!(name == "fc.weight");
        assert!("fc.weight" == name);
        assert!(name == *"fc.weight");
        assert!(*"fc.weight" == name);
        assert!(name == text);
        assert!(text == name);
        assert!(name == ParamName::new("fc.weight") && name != ParamName::new("fc.bias"));
        assert!(name != "fc.bias" && name != "fc.weigh");
        assert!(ParamName::new("a.bias") < name);
    }

    #[test]
    fn hashes_as_str_so_maps_are_looked_up_by_str() {
        let long = "a".repeat(INLINE + 1);
        let names = [ParamName::new("fc.weight"), ParamName::new(&long)];
        let set: HashSet<ParamName> = names.iter().cloned().collect();
        assert!(set.contains("fc.weight") && set.contains(long.as_str()));
        assert!(!set.contains("fc.bias"));
        let map: HashMap<ParamName, usize> = names.into_iter().zip([1, 2]).collect();
        assert_eq!((map["fc.weight"], map[long.as_str()]), (1, 2));
        let sorted: BTreeSet<ParamName> = ["b", "a"].into_iter().map(ParamName::from).collect();
        assert_eq!(
            sorted.iter().map(|n| n.as_str()).collect::<Vec<_>>(),
            ["a", "b"]
        );
    }

    #[test]
    fn displays_bare_and_debugs_quoted() {
        let name = ParamName::new("0.bias");
        assert_eq!(
            format!("{name}|{name:?}|{name:>8}|"),
            "0.bias|\"0.bias\"|  0.bias|"
        );
        assert_eq!(name.to_string(), "0.bias");
    }
}
