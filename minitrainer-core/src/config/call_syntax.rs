//! The compact call form of a named config, handy on a command line:
//! `mlp(in_dim=64, hidden=[64, 32])`, `adamw(lr=3e-4, weight_decay=0.01)`. Each value is a JSON
//! literal (`"relu"`, `true`, `null`, nested lists and objects).
//!
//! Each value is cut out by scanning for the `,` or `)` that ends it at nesting depth zero
//! (outside strings), then handed to `serde_json`; so the values mean exactly what they mean in
//! JSON. Errors carry the 1-based column and say what was expected. The model registry
//! (`ModelSpec`) and the optimizer and scheduler factories share this parser.

use serde_json::{Map, Value};

use super::snippet::Snippet;

/// The compact form was malformed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "malformed {kind} spec at column {column}: {message}{}",
    Snippet { input, column: *column }
)]
pub struct CallSyntaxError {
    /// What kind of thing was being named, for the message (`"model"`, `"optimizer"`).
    pub kind: &'static str,
    /// The whole text given.
    pub input: String,
    /// 1-based column (in characters) where the problem starts.
    pub column: usize,
    /// What was wrong and what was expected there.
    pub message: String,
}

/// Parses `name(key=value, ...)` (the parentheses are optional when there are no fields) into
/// the name and the fields, in the order written. `kind` names the thing in messages
/// (`"model"`), `example` shows a well-formed spec (`"mlp(in_dim=64)"`).
///
/// ```
/// use minitrainer_core::config::parse_call;
/// let (name, fields) = parse_call("adamw(lr=3e-4, betas=[0.9, 0.95])", "optimizer", "adamw(lr=3e-4)")?;
/// assert_eq!(name, "adamw");
/// assert_eq!(fields["betas"], serde_json::json!([0.9, 0.95]));
/// # Ok::<(), minitrainer_core::config::CallSyntaxError>(())
/// ```
///
/// # Errors
/// [`CallSyntaxError`] with the column and what was expected there.
pub fn parse_call(
    text: &str,
    kind: &'static str,
    example: &str,
) -> Result<(String, Map<String, Value>), CallSyntaxError> {
    Compact { text, pos: 0, kind }.call(example)
}

/// A cursor over the compact form; `pos` is a byte offset into `text`.
struct Compact<'a> {
    text: &'a str,
    pos: usize,
    kind: &'static str,
}

impl Compact<'_> {
    // name [ "(" [ key "=" value { "," key "=" value } [","] ] ")" ]
    fn call(mut self, example: &str) -> Result<(String, Map<String, Value>), CallSyntaxError> {
        self.skip_ws();
        let name = self.ident(&format!("a {} name, e.g. `{example}`", self.kind))?;
        self.skip_ws();
        let mut fields = Map::new();
        if self.eat('(') {
            loop {
                self.skip_ws();
                if self.eat(')') {
                    break;
                }
                let key_pos = self.pos;
                let key = self.ident("a field name or `)`")?;
                self.skip_ws();
                if !self.eat('=') {
                    return Err(self.error(format!("expected `=` after `{key}`")));
                }
                let value = self.value(&key)?;
                if fields.insert(key.clone(), value).is_some() {
                    self.pos = key_pos;
                    return Err(self.error(format!("field `{key}` is given twice")));
                }
                self.skip_ws();
                if self.eat(')') {
                    break;
                }
                if !self.eat(',') {
                    return Err(
                        self.error(format!("expected `,` or `)` after the value of `{key}`"))
                    );
                }
            }
            self.skip_ws();
        }
        if self.pos < self.text.len() {
            return Err(self.error(format!("unexpected text after the {} spec", self.kind)));
        }
        Ok((name, fields))
    }

    fn ident(&mut self, expected: &str) -> Result<String, CallSyntaxError> {
        let rest = &self.text[self.pos..];
        let len = rest
            .char_indices()
            .find(|&(i, c)| !(c == '_' || c.is_ascii_alphabetic() || (i > 0 && c.is_ascii_digit())))
            .map_or(rest.len(), |(i, _)| i);
        if len == 0 {
            return Err(self.error(format!("expected {expected}")));
        }
        self.pos += len;
        Ok(rest[..len].to_string())
    }

    /// Cuts out the value that ends at the next `,` or `)` outside brackets and strings and
    /// parses it as JSON.
    fn value(&mut self, key: &str) -> Result<Value, CallSyntaxError> {
        self.skip_ws();
        let start = self.pos;
        let mut closers = Vec::new();
        let mut chars = self.text[start..].char_indices();
        let mut end = None;
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    // Skip the string, escapes included; an unterminated one runs to the end
                    // and serde_json reports it.
                    while let Some((_, c)) = chars.next() {
                        match c {
                            '\\' => {
                                chars.next();
                            }
                            '"' => break,
                            _ => {}
                        }
                    }
                }
                '[' => closers.push(']'),
                '{' => closers.push('}'),
                // The guard pops: a matching closer falls through to `_`, already popped.
                ']' | '}' if closers.pop() != Some(c) => {
                    self.pos = start + i;
                    return Err(self.error(format!("unbalanced `{c}` in the value of `{key}`")));
                }
                ',' | ')' if closers.is_empty() => {
                    end = Some(start + i);
                    break;
                }
                _ => {}
            }
        }
        let Some(end) = end else {
            self.pos = self.text.len();
            let missing = closers.last().map_or(")".to_string(), |c| c.to_string());
            return Err(self.error(format!(
                "expected `{missing}`: the value of `{key}` is not closed"
            )));
        };
        let raw = self.text[start..end].trim_end();
        if raw.is_empty() {
            self.pos = start;
            return Err(self.error(format!("expected a JSON value for `{key}`")));
        }
        let value = serde_json::from_str(raw).map_err(|error| {
            let bare_word = raw
                .chars()
                .all(|c| c == '_' || c == '-' || c.is_alphanumeric());
            let hint = if bare_word {
                format!("; strings need double quotes: {key}=\"{raw}\"")
            } else {
                String::new()
            };
            // serde_json counts columns from 1 within the value (single-line values only).
            let offset = raw
                .char_indices()
                .nth(error.column().saturating_sub(1))
                .map_or(raw.len(), |(i, _)| i);
            self.pos = if error.line() == 1 {
                start + offset
            } else {
                start
            };
            // Our column replaces serde_json's "at line 1 column N", which counts within the value.
            let message = error.to_string();
            let message = message.split(" at line ").next().unwrap_or(&message);
            if message == "trailing characters" {
                // `in_dim=4 out_dim=2`: a complete value, then more; most likely a lost comma.
                return self.error(format!("expected `,` or `)` after the value of `{key}`"));
            }
            self.error(format!(
                "expected a JSON value for `{key}`: {message}{hint}"
            ))
        })?;
        self.pos = end;
        Ok(value)
    }

    fn skip_ws(&mut self) {
        let rest = &self.text[self.pos..];
        self.pos += rest.len() - rest.trim_start().len();
    }

    fn eat(&mut self, c: char) -> bool {
        if self.text[self.pos..].starts_with(c) {
            self.pos += c.len_utf8();
            true
        } else {
            false
        }
    }

    fn error(&self, message: String) -> CallSyntaxError {
        CallSyntaxError {
            kind: self.kind,
            input: self.text.to_string(),
            column: self.text[..self.pos].chars().count() + 1,
            message,
        }
    }
}
