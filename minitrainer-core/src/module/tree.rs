//! The module tree in PyTorch's `repr` format:
//!
//! ```text
//! Mlp(
//!   (layers): ModuleList(
//!     (0): Linear(in_features=64, out_features=32, bias=true)
//!   )
//!   (act): ReLU()
//! )
//! ```

use super::Module;

pub(super) fn repr(module: &dyn Module) -> String {
    let extra = module.extra_repr();
    let extra_lines: Vec<&str> = if extra.is_empty() {
        Vec::new()
    } else {
        extra.lines().collect()
    };
    let child_lines: Vec<String> = module
        .children()
        .into_iter()
        .map(|(name, child)| format!("({name}): {}", indent(&repr(child))))
        .collect();

    let mut out = format!("{}(", module.type_name());
    if extra_lines.len() == 1 && child_lines.is_empty() {
        out.push_str(extra_lines[0]);
    } else if !extra_lines.is_empty() || !child_lines.is_empty() {
        for line in extra_lines
            .iter()
            .copied()
            .chain(child_lines.iter().map(String::as_str))
        {
            out.push_str("\n  ");
            out.push_str(line);
        }
        out.push('\n');
    }
    out.push(')');
    out
}

// PyTorch's `_addindent`: every line but the first moves two spaces right.
fn indent(text: &str) -> String {
    text.replace('\n', "\n  ")
}
