"""Generates three throwaway crates of 10 configs x 30 fields each, to measure what
`#[derive(Config)]` and its typestate builder cost in compile time (see BENCHMARKS.md):

- plain:     the structs with no derive (the baseline)
- typestate: #[derive(Config)], 15 required + 15 defaulted fields (15 typestate parameters)
- defaults:  #[derive(Config)], all 30 fields defaulted (a builder without typestate)

Usage: python3 gen.py REPO_ROOT OUT_DIR   (then run.sh OUT_DIR)
"""
import os, sys
def gen(variant):
    out = ["#![allow(dead_code)]", "use minitrainer::prelude::*;", ""]
    if variant != "plain":
        out += ["#[derive(Config, Clone, Copy, Debug, PartialEq)]", "pub enum Act { Relu, Gelu }", ""]
    else:
        out += ["#[derive(Clone, Copy, Debug, PartialEq)]", "pub enum Act { Relu, Gelu }", ""]
    kinds = [
        ("usize", "#[config(min = 1)]", "1"),
        ("f32", "#[config(range = 0.0..1.0)]", "0.5"),
        ("Vec<usize>", "#[config(non_empty)]", "vec![1]"),
        ("String", "#[config(non_empty)]", "String::from(\"x\")"),
        ("bool", "", "false"),
        ("Act", "", "Act::Relu"),
    ]
    for c in range(10):
        derive = "#[derive(Clone, Debug, PartialEq)]" if variant == "plain" else "#[derive(Config, Clone, Debug, PartialEq)]"
        out.append(derive)
        out.append(f"pub struct Config{c} {{")
        for f in range(30):
            ty, rule, default = kinds[f % len(kinds)]
            required = variant == "typestate" and f % 2 == 0
            attrs = []
            if variant != "plain":
                if rule:
                    attrs.append(rule[len("#[config("):-2])
                if not required:
                    attrs.append(f"default = {default}")
            if attrs:
                out.append(f"    #[config({', '.join(attrs)})]")
            out.append(f"    pub field_{f}: {ty},")
        out.append("}")
        out.append("")
    if variant != "plain":
        # Use every builder once, setting the fields that are required in the typestate
        # variant (in both variants, so the work is the same), to include monomorphisation.
        out.append("pub fn build_all() -> Result<Vec<String>, ConfigError> {")
        out.append("    let mut out = Vec::new();")
        for c in range(10):
            chain = f"Config{c}::builder()"
            for f in range(0, 30, 2):
                ty, rule, default = kinds[f % len(kinds)]
                chain += f".field_{f}({default})"
            out.append(f"    out.push({chain}.build()?.to_json());")
        out.append("    Ok(out)")
        out.append("}")
    return "\n".join(out)

repo, out_dir = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
for variant in ["plain", "typestate", "defaults"]:
    d = f"{out_dir}/{variant}"
    os.makedirs(f"{d}/src", exist_ok=True)
    open(f"{d}/Cargo.toml", "w").write(f'''[package]
name = "bench_{variant}"
version = "0.1.0"
edition = "2024"

[dependencies]
minitrainer = {{ path = "{repo}" }}

[workspace]
''')
    open(f"{d}/src/lib.rs", "w").write(gen(variant))
