//! Dotted field paths (`optimizer.lr`, `layers.0.width`) for error messages.
//!
//! A path is a linked list of borrowed segments on the stack: validating or decoding a field
//! costs no allocation, and the dotted string is built only when an error is reported.

use std::fmt;

/// Where a value sits inside a config: the root, or a segment below a parent path.
#[derive(Debug, Clone, Copy)]
pub struct FieldPath<'a> {
    parent: Option<&'a FieldPath<'a>>,
    segment: Segment<'a>,
}

#[derive(Debug, Clone, Copy)]
enum Segment<'a> {
    Root,
    Field(&'a str),
    Index(usize),
}

impl<'a> FieldPath<'a> {
    /// The path of the config itself (displays as the empty string).
    pub const fn root() -> Self {
        FieldPath {
            parent: None,
            segment: Segment::Root,
        }
    }

    /// The field `name` below this path.
    pub fn field(&'a self, name: &'a str) -> FieldPath<'a> {
        FieldPath {
            parent: Some(self),
            segment: Segment::Field(name),
        }
    }

    /// The element `index` of a list below this path (displays as `layers.0`).
    pub fn index(&'a self, index: usize) -> FieldPath<'a> {
        FieldPath {
            parent: Some(self),
            segment: Segment::Index(index),
        }
    }

    /// Whether this is the root path.
    pub fn is_root(&self) -> bool {
        matches!(self.segment, Segment::Root)
    }
}

impl fmt::Display for FieldPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(parent) = self.parent
            && !parent.is_root()
        {
            write!(f, "{parent}.")?;
        }
        match self.segment {
            Segment::Root => Ok(()),
            Segment::Field(name) => f.write_str(name),
            Segment::Index(index) => write!(f, "{index}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::FieldPath;

    #[test]
    fn nested_paths_display_dotted() {
        let root = FieldPath::root();
        let layers = root.field("layers");
        let second = layers.index(2);
        assert_eq!(root.to_string(), "");
        assert_eq!(layers.to_string(), "layers");
        assert_eq!(second.field("width").to_string(), "layers.2.width");
    }
}
