//! `minitrainer list`: the registered models, one per line with the first line of its doc.

use crate::error::CliError;

/// The `name  description` lines of every registered model, sorted by name.
///
/// # Errors
/// When the registry reports a problem (two types registered under one name).
pub fn list_lines() -> Result<Vec<String>, CliError> {
    let names = minitrainer::list_models().map_err(|e| CliError::library("listing models", e))?;
    let width = names.iter().map(|n| n.len()).max().unwrap_or(0);
    let mut lines = Vec::new();
    for name in names {
        let schema = minitrainer::describe(name)
            .map_err(|e| CliError::library(format!("describing {name}"), e))?;
        lines.push(format!("{name:width$}  {}", summary(schema.doc())));
    }
    Ok(lines)
}

/// The first sentence of a doc comment, without its Markdown link and code marks.
fn summary(doc: &str) -> String {
    let paragraph: Vec<&str> = doc
        .lines()
        .map(str::trim)
        .take_while(|l| !l.is_empty())
        .collect();
    let text = paragraph.join(" ").replace(['[', ']', '`'], "");
    match text.find(". ") {
        Some(end) => text[..=end].to_string(),
        None => text,
    }
}

/// Runs `list`.
///
/// # Errors
/// As [`list_lines`].
pub fn list() -> Result<(), CliError> {
    for line in list_lines()? {
        println!("{line}");
    }
    Ok(())
}
