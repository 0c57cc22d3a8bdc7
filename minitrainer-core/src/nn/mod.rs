//! Built-in layers. (Placeholder: filled in by the Module issue.)
