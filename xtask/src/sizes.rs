//! What makes the wasm big: twiggy over the wasm *before* wasm-opt (it still has names), grouped by
//! crate and by function family (a generic function's monomorphised copies together).

use std::collections::BTreeMap;
use std::path::Path;

use crate::setup::Env;
use crate::util::{output, run, step};

const TWIGGY_VERSION: &str = "0.8.0";

/// Installs twiggy into `.tools` if missing (only the bench needs it, never `run` or `test`).
fn ensure_twiggy(env: &Env) -> Result<(), String> {
    let bin = env.root.join(".tools/bin/twiggy");
    let ok = output(std::process::Command::new(&bin).arg("--version"))
        .is_some_and(|v| v.contains(TWIGGY_VERSION));
    if !ok {
        step(&format!(
            "installing twiggy {TWIGGY_VERSION} into .tools (for bench --sizes only)"
        ));
        let tools = env.root.join(".tools");
        let mut cmd = env.command("cargo");
        cmd.args(["install", "twiggy", "--version", TWIGGY_VERSION, "--locked"])
            .arg("--root")
            .arg(&tools)
            .env("CARGO_TARGET_DIR", tools.join("build"));
        run(&mut cmd)?;
        let _ = std::fs::remove_dir_all(tools.join("build"));
    }
    Ok(())
}

/// Prints the top contributors of each named wasm file.
pub fn report(env: &Env, files: &[(&str, &Path)]) -> Result<(), String> {
    ensure_twiggy(env)?;
    for (label, file) in files {
        if !file.exists() {
            println!("\n{label}: {} is missing", file.display());
            continue;
        }
        let json = output(env.command("twiggy").args([
            "top",
            "-n",
            "100000",
            "-f",
            "json",
            &file.display().to_string(),
        ]))
        .ok_or_else(|| format!("twiggy failed on {}", file.display()))?;
        let items: serde_json::Value =
            serde_json::from_str(&json).map_err(|e| format!("twiggy's JSON: {e}"))?;
        let items = items.as_array().cloned().unwrap_or_default();
        let mut by_crate: BTreeMap<String, u64> = BTreeMap::new();
        let mut by_family: BTreeMap<String, (u64, u32)> = BTreeMap::new();
        // Custom sections (names, relocations, wasm-bindgen's) never reach the browser.
        let items: Vec<&serde_json::Value> = items
            .iter()
            .filter(|i| {
                let n = i["name"].as_str().unwrap_or_default();
                !n.starts_with("custom section") && !n.contains("subsection")
            })
            .collect();
        let total: u64 = items
            .iter()
            .filter_map(|i| i["shallow_size"].as_u64())
            .sum();
        for item in &items {
            let name = item["name"].as_str().unwrap_or_default();
            let size = item["shallow_size"].as_u64().unwrap_or_default();
            *by_crate.entry(crate_of(name)).or_default() += size;
            let f = by_family.entry(family_of(name)).or_default();
            f.0 += size;
            f.1 += 1;
        }
        println!(
            "\n{label}: {} ({:.1} KB of code and data before wasm-opt), top crates",
            file.display(),
            total as f64 / 1024.0
        );
        let mut crates: Vec<_> = by_crate.into_iter().collect();
        crates.sort_by_key(|c| std::cmp::Reverse(c.1));
        for (name, size) in crates.iter().take(15) {
            println!(
                "  {:<40} {:>8.1} KB {:>5.1}%",
                name,
                *size as f64 / 1024.0,
                100.0 * *size as f64 / total.max(1) as f64
            );
        }
        println!("{label}: top function families (copies)");
        let mut families: Vec<_> = by_family.into_iter().collect();
        families.sort_by_key(|f| std::cmp::Reverse(f.1 .0));
        for (name, (size, copies)) in families.iter().take(25) {
            let shown: String = name.chars().take(90).collect();
            println!(
                "  {:<92} {:>7.1} KB ({copies})",
                shown,
                *size as f64 / 1024.0
            );
        }
    }
    Ok(())
}

/// The crate a symbol belongs to: the first path segment, looking through `<`, `&` and `impl`.
fn crate_of(name: &str) -> String {
    if name.starts_with("data[") || name.starts_with("data segment") {
        return "(data)".into();
    }
    let trimmed = name.trim_start_matches(['<', '&', ' ', '(']);
    let trimmed = trimmed
        .strip_prefix("mut ")
        .or_else(|| trimmed.strip_prefix("dyn "))
        .unwrap_or(trimmed);
    match trimmed.find("::") {
        Some(i) if !trimmed[..i].contains([' ', '<']) => trimmed[..i].to_string(),
        _ => {
            if name.contains('[') && !name.contains("::") {
                "(wasm sections)".into()
            } else {
                "(other)".into()
            }
        }
    }
}

/// A symbol without its hash and generic arguments, so monomorphised copies group together
/// (`<Type as Trait>::method` keeps its qualifier, without generics).
fn family_of(name: &str) -> String {
    let keep = u32::from(name.starts_with('<'));
    let mut out = String::new();
    let mut depth = 0u32;
    for c in name.chars() {
        match c {
            '<' => {
                depth += 1;
                if depth <= keep {
                    out.push('<');
                } else if depth == keep + 1 {
                    out.push_str("<…>");
                }
            }
            '>' => {
                if depth <= keep {
                    out.push('>');
                }
                depth = depth.saturating_sub(1);
            }
            _ if depth <= keep => out.push(c),
            _ => {}
        }
    }
    // `…::h0123456789abcdef`
    match out.rfind("::h") {
        Some(i) if out[i + 3..].chars().all(|c| c.is_ascii_hexdigit()) => out[..i].to_string(),
        _ => out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crates_and_families_group_symbols() {
        assert_eq!(crate_of("core::fmt::write::h0123456789abcdef"), "core");
        assert_eq!(
            crate_of("<alloc::vec::Vec<T> as core::clone::Clone>::clone::h01"),
            "alloc"
        );
        assert_eq!(crate_of("data[3]"), "(data)");
        assert_eq!(
            family_of("serde_json::de::from_str<berth_api::A>::h0123456789abcdef"),
            "serde_json::de::from_str<…>"
        );
        assert_eq!(
            family_of("<tachys::view::Either<A,B> as tachys::view::Render>::build::h01ab"),
            "<tachys::view::Either<…> as tachys::view::Render>::build"
        );
    }
}
