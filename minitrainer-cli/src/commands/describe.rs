//! `minitrainer describe NAME`: a model's config schema as a table.

use minitrainer::config::Schema;

use crate::error::CliError;

/// The table of `schema`: a header, then one row per field (type, default, rules, doc).
pub fn schema_table(schema: &Schema) -> String {
    let header = ["field", "type", "default", "rules", "doc"].map(String::from);
    let mut rows = vec![header];
    for field in schema.fields() {
        let default = match field.default() {
            Some(value) => value.to_string(),
            None if field.is_required() => "(required)".into(),
            None => "-".into(),
        };
        let rules: Vec<String> = field
            .constraints()
            .iter()
            .map(ToString::to_string)
            .collect();
        let rules = if rules.is_empty() {
            "-".into()
        } else {
            rules.join(", ")
        };
        let doc = field.doc().lines().next().unwrap_or("").trim().to_string();
        rows.push([
            field.name().to_string(),
            field.type_name().to_string(),
            default,
            rules,
            doc,
        ]);
    }
    let widths: Vec<usize> = (0..5)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for row in &rows {
        let cells: Vec<String> = (0..5)
            .map(|c| match c {
                4 => row[c].clone(),
                _ => format!("{:w$}", row[c], w = widths[c]),
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

/// Runs `describe NAME`.
///
/// # Errors
/// An unknown model name (with a suggestion and the registered names).
pub fn describe(name: &str) -> Result<(), CliError> {
    let schema = minitrainer::describe(name).map_err(|e| CliError::library("describe", e))?;
    let doc = schema.doc().trim();
    println!("{name} ({})", schema.name());
    if !doc.is_empty() {
        println!("{doc}");
    }
    println!();
    print!("{}", schema_table(&schema));
    Ok(())
}
