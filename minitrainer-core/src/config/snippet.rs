//! The two lines under a syntax error: the text, and a caret under the column at fault.
//!
//! The caret's padding is written space by space, never as a format width (`{:>width$}`): a
//! width above 65,535 makes `fmt` panic, and the column comes from the user's text. A long text
//! is shown as a window around the column, so the message stays readable.

use std::fmt;

/// Characters shown either side of the column when the text is longer than [`WHOLE`].
const CONTEXT: usize = 60;
/// Texts of at most this many characters are shown whole.
const WHOLE: usize = 2 * CONTEXT;
/// Marks where a long text was cut.
const CUT: char = '…';

/// `"\n  <text>\n  <padding>^"`: the text (or a window of it) and a caret under the 1-based
/// character `column`.
pub(crate) struct Snippet<'a> {
    pub(crate) input: &'a str,
    pub(crate) column: usize,
}

impl fmt::Display for Snippet<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = self.column.saturating_sub(1);
        let len = self.input.chars().count();
        let (start, end) = if len <= WHOLE {
            (0, len)
        } else {
            (
                at.saturating_sub(CONTEXT),
                at.saturating_add(CONTEXT).min(len),
            )
        };
        f.write_str("\n  ")?;
        if start > 0 {
            write!(f, "{CUT}")?;
        }
        for c in self.input.chars().skip(start).take(end - start) {
            // A cut window may hold line breaks of a multi-line text; one line keeps the caret
            // under its character.
            let c = if len > WHOLE && c.is_control() {
                ' '
            } else {
                c
            };
            write!(f, "{c}")?;
        }
        if end < len {
            write!(f, "{CUT}")?;
        }
        f.write_str("\n  ")?;
        let padding = at.saturating_sub(start) + usize::from(start > 0);
        for _ in 0..padding {
            f.write_str(" ")?;
        }
        f.write_str("^")
    }
}

#[cfg(test)]
mod tests {
    use super::Snippet;

    fn snippet(input: &str, column: usize) -> String {
        Snippet { input, column }.to_string()
    }

    #[test]
    fn a_short_text_is_shown_whole_with_the_caret_under_the_column() {
        assert_eq!(
            snippet("mlp(act=relu)", 9),
            "\n  mlp(act=relu)\n          ^"
        );
        assert_eq!(snippet("mlp(", 5), "\n  mlp(\n      ^");
        assert_eq!(snippet("", 1), "\n  \n  ^");
    }

    #[test]
    fn a_long_text_is_cut_around_the_column() {
        let input = format!("{}!", " ".repeat(65_535));
        let text = snippet(&input, 65_536);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text:?}");
        // 60 characters before the column, the column itself, nothing after it.
        assert_eq!(lines[1], format!("  …{}!", " ".repeat(60)));
        assert_eq!(lines[2], format!("  {}^", " ".repeat(61)));
    }

    #[test]
    fn the_caret_stays_under_its_character_in_a_window() {
        let input: String = (0..500)
            .map(|i| char::from(b'a' + (i % 26) as u8))
            .collect();
        for column in [1, 2, 60, 61, 62, 250, 440, 441, 499, 500, 501] {
            let text = snippet(&input, column);
            let lines: Vec<&str> = text.lines().collect();
            let caret = lines[2].chars().count() - 1;
            let under = lines[1].chars().nth(caret);
            assert_eq!(
                under,
                input.chars().nth(column - 1),
                "column {column}: {text}"
            );
            assert!(lines[1].chars().count() <= 2 + 1 + 121 + 1, "{text}");
        }
    }
}
