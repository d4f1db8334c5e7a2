//! `cargo xtask split`: the trunk `post_build` hook that turns trunk's single wasm into a main
//! module and one chunk per lazily loaded screen (see docs/delivery.md).
//!
//! Trunk 0.21 cannot split wasm, so this step redoes the end of trunk's pipeline from the raw
//! rustc output (linked with `--emit-relocs`, see `.cargo/config.toml`):
//! 1. split it with `wasm_split_cli_support` (the splitter cargo-leptos uses),
//! 2. run wasm-bindgen on the main part with `--keep-lld-exports` (the chunks link against them),
//! 3. run wasm-opt on every wasm file (release builds),
//! 4. name every new file by its content hash, replace trunk's JS and wasm in the staging folder
//!    (keeping trunk's hashed names, which `index.html` already points at), fix their integrity
//!    attributes and preload the link module and the chunks `/` needs.
//!
//! It writes `berth-chunks.json` beside `index.html`: each chunk's files, read by the bench and the
//! end-to-end tests.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256, Sha384};

use crate::util::{run, step};

/// The chunks the first screen needs, preloaded by `index.html` so the first paint does not wait
/// for a second round trip. None: the overview lives in the main module, because as a chunk its
/// shared code came in 73 small files, 52 KB brotli more and a round trip later (docs/delivery.md).
const FIRST_SCREEN_CHUNKS: &[&str] = &[];

/// Screens whose files also travel as one pack, fetched instead of them when most are not
/// loaded yet (a cold link): a pack is one request and one compression context where a screen's
/// hundred-odd shared chunks, most under 500 bytes, each paid their own (a third more brotli
/// bytes). Each screen with the splits that open with it: the container page shows its Overview.
const PACKS: &[(&str, &[&str])] = &[
    ("settings", &[]),
    ("qovery_containers", &[]),
    ("qovery_form", &[]),
    ("qovery_detail", &["qovery_tab_overview"]),
    ("kopernik_apps", &[]),
    ("kopernik_create", &[]),
    ("kopernik_detail", &[]),
];

/// Part of the cache key of a split: change it when the steps below change what they write.
const PIPELINE: &str = "split-3";

/// The link module's name as the splitter writes it and the main module imports it.
const LINK_NAME: &str = "__wasm_split.js";

pub fn split() -> Result<(), String> {
    let var = |name: &str| {
        std::env::var(name).map_err(|_| {
            format!("{name} is not set: `cargo xtask split` runs as trunk's post_build hook")
        })
    };
    let staging = PathBuf::from(var("TRUNK_STAGING_DIR")?);
    let release = var("TRUNK_PROFILE")? == "release";
    let public_url = var("TRUNK_PUBLIC_URL")?;
    let env = crate::setup::tools_env();

    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| env.root.join("target"));
    let raw = target_dir
        .join("wasm32-unknown-unknown")
        .join(if release { "release" } else { "debug" })
        .join("berth.wasm");
    step(&format!("splitting {} into chunks", raw.display()));

    // Trunk's outputs: `berth-<hash>.js` and `berth-<hash>_bg.wasm`.
    let stem = find_trunk_stem(&staging)?;
    let work = target_dir.join("wasm-split");
    std::fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;

    let input = std::fs::read(&raw).map_err(|e| format!("{}: {e}", raw.display()))?;
    // The same rustc output split for the same trunk names (a second build under another
    // public URL, the bench after the tests) reuses the split and optimized files.
    let profile = profiling();
    // BERTH_FAST leaves the chunks unoptimized: never reused by a build without it.
    let fast = std::env::var_os("BERTH_FAST").is_some();
    let key = format!(
        "{PIPELINE}-{}-{stem}-{release}-{profile}-{fast}",
        short_hash(&input)
    );
    let key_file = work.join("input.key");
    if std::fs::read_to_string(&key_file).is_ok_and(|k| k == key) {
        eprintln!(
            "    unchanged since the last split: reusing {}",
            work.display()
        );
    } else {
        let _ = std::fs::remove_dir_all(&work);
        std::fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
        split_and_optimize(&env, &input, &work, &stem, release)?;
        write(&key_file, key.as_bytes())?;
    }
    install(&env, &work, &staging, &stem, &public_url, release)
}

/// Steps 1 to 3 into `work`: the split, wasm-bindgen on the main part, wasm-opt on every file.
fn split_and_optimize(
    env: &crate::setup::Env,
    input: &[u8],
    work: &Path,
    stem: &str,
    release: bool,
) -> Result<(), String> {
    let main_split = work.join("main.wasm");
    let main_module = format!("./{stem}.js");
    let link_name = format!("./{LINK_NAME}");
    let split = wasm_split_cli_support::transform({
        let mut opts = wasm_split_cli_support::Options::new(input);
        opts.output_dir = work;
        opts.main_out_path = &main_split;
        opts.main_module = &main_module;
        opts.link_name = &link_name;
        opts
    })
    .map_err(|e| format!("wasm-split failed ({e}); was berth.wasm linked with --emit-relocs?"))?;

    let bindgen = work.join("bindgen");
    run(env.command("wasm-bindgen").args([
        "--target=web",
        "--keep-lld-exports",
        "--no-typescript",
        &format!("--out-name={stem}"),
        &format!("--out-dir={}", bindgen.display()),
        &main_split.display().to_string(),
    ]))?;
    let main_wasm = bindgen.join(format!("{stem}_bg.wasm"));
    let chunk_paths: Vec<PathBuf> = split.split_modules.iter().map(PathBuf::from).collect();
    if release {
        // BERTH_FAST=1: wasm-opt on the main module only, for quick size experiments on the
        // first screen (the chunks stay unoptimized; never for a build that ships).
        let files: Vec<&PathBuf> = if std::env::var_os("BERTH_FAST").is_some() {
            vec![&main_wasm]
        } else {
            std::iter::once(&main_wasm).chain(&chunk_paths).collect()
        };
        wasm_opt_all(env, &files)?;
    }
    for file in std::iter::once(&main_wasm).chain(&chunk_paths) {
        let bytes = std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?;
        write(file, &strip_metadata(&bytes)?)?;
    }
    let names: Vec<String> = chunk_paths
        .iter()
        .map(|p| file_name(p))
        .collect::<Result<_, _>>()?;
    write(&work.join("chunks.txt"), names.join("\n").as_bytes())?;
    let prefetch = serde_json::to_string(&split.prefetch_map).map_err(|e| e.to_string())?;
    write(&work.join("prefetch.json"), prefetch.as_bytes())
}

/// Step 4: hash-named files into the staging folder, index.html and the manifest.
fn install(
    env: &crate::setup::Env,
    work: &Path,
    staging: &Path,
    stem: &str,
    public_url: &str,
    release: bool,
) -> Result<(), String> {
    let link_name = format!("./{LINK_NAME}");
    let bindgen = work.join("bindgen");
    let main_wasm = bindgen.join(format!("{stem}_bg.wasm"));
    let listed =
        std::fs::read_to_string(work.join("chunks.txt")).map_err(|e| format!("chunks.txt: {e}"))?;
    let chunk_paths: Vec<PathBuf> = listed
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| work.join(l))
        .collect();
    let prefetch: std::collections::HashMap<String, Vec<String>> = serde_json::from_str(
        &std::fs::read_to_string(work.join("prefetch.json"))
            .map_err(|e| format!("prefetch.json: {e}"))?,
    )
    .map_err(|e| format!("prefetch.json: {e}"))?;

    // The chunks keep their names, in a folder named by the hash of them all. The link module
    // names every chunk (hundreds of shared ones): a hash per file is incompressible, and cost
    // the first screen about 4 KB brotli; the folder is said once, as `B`.
    let mut link_js =
        std::fs::read_to_string(work.join(LINK_NAME)).map_err(|e| format!("{LINK_NAME}: {e}"))?;
    let mut all = Sha256::new();
    let mut files = Vec::new();
    for path in &chunk_paths {
        let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        all.update(file_name(path)?.as_bytes());
        all.update(&bytes);
        files.push((file_name(path)?, bytes));
    }
    let dir: String = all
        .finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect();
    let dir = format!("chunks-{dir}");
    std::fs::create_dir_all(staging.join(&dir)).map_err(|e| format!("{dir}: {e}"))?;
    let mut renamed: BTreeMap<String, String> = BTreeMap::new();
    for (name, bytes) in &files {
        let placed = format!("{dir}/{name}");
        link_js = replace_quoted(&link_js, name, &placed)?;
        write(&staging.join(&placed), bytes)?;
        renamed.insert(name.clone(), placed);
    }
    let bytes_of: BTreeMap<&str, &[u8]> = files
        .iter()
        .map(|(name, bytes)| (name.trim_end_matches(".wasm"), bytes.as_slice()))
        .collect();
    let packs = PACKS
        .iter()
        .map(|(screen, with)| Ok((*screen, *with, pack_members(&prefetch, screen, with)?)))
        .collect::<Result<Vec<_>, String>>()?;
    link_js = say_folder_once(&link_js, &dir);
    link_js = one_loader(&link_js)?;
    link_js = deps_as_ranges(&link_js)?;
    let (js, ordered) = with_packs(&link_js, &packs)?;
    link_js = js;
    let mut pack_files = BTreeMap::new();
    for (screen, members) in ordered {
        let placed = format!("{dir}/pack_{screen}.bin");
        write(&staging.join(&placed), &pack_bytes(&members, &bytes_of)?)?;
        pack_files.insert(screen.to_string(), placed);
    }
    if release {
        link_js = minify(env, &work.join("link.min.js"), &link_js)?;
    }
    let link_hashed = format!("__wasm_split-{}.js", short_hash(link_js.as_bytes()));
    write(&staging.join(&link_hashed), link_js.as_bytes())?;

    let js_path = bindgen.join(format!("{stem}.js"));
    let js =
        std::fs::read_to_string(&js_path).map_err(|e| format!("{}: {e}", js_path.display()))?;
    // Only the ES imports: the keys of the wasm's import object keep the module name.
    let from = format!("from \"{link_name}\"");
    if !js.contains(&from) {
        return Err(format!("the wasm-bindgen JS does not import {link_name}"));
    }
    let mut js = js.replace(&from, &format!("from \"./{link_hashed}\""));
    if release {
        js = minify(env, &work.join("main.min.js"), &js)?;
    }
    write(&staging.join(format!("{stem}.js")), js.as_bytes())?;
    let wasm_bytes =
        std::fs::read(&main_wasm).map_err(|e| format!("{}: {e}", main_wasm.display()))?;
    write(&staging.join(format!("{stem}_bg.wasm")), &wasm_bytes)?;

    // Which files each chunk loads (itself and the shared chunks it depends on).
    let mut chunks: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (module, deps) in &prefetch {
        let files = deps
            .iter()
            .map(|d| {
                // Entries are file stems (`chunk_0`, `split_overview`).
                let d = format!("{}.wasm", d.trim_start_matches("./"));
                renamed.get(&d).cloned().unwrap_or(d)
            })
            .collect();
        chunks.insert(module.clone(), files);
    }
    let manifest = serde_json::json!({
        "main": { "js": format!("{stem}.js"), "wasm": format!("{stem}_bg.wasm"), "link": link_hashed },
        "chunks": chunks,
        "first_screen": FIRST_SCREEN_CHUNKS,
        "packs": pack_files,
    });
    let manifest = serde_json::to_string_pretty(&manifest).map_err(|e| e.to_string())?;
    write(&staging.join("berth-chunks.json"), manifest.as_bytes())?;

    // index.html: integrity of the replaced files, and preloads for the first screen.
    let html_path = staging.join("index.html");
    let mut html = std::fs::read_to_string(&html_path).map_err(|e| format!("index.html: {e}"))?;
    html = fix_integrity(&html, &format!("{stem}.js"), js.as_bytes());
    html = fix_integrity(&html, &format!("{stem}_bg.wasm"), &wasm_bytes);
    if release {
        let (name, css) = minify_css(staging)?;
        html = fix_integrity(&html, &name, css.as_bytes());
    }
    let mut preloads = format!(
        "<link rel=\"modulepreload\" href=\"{public_url}{link_hashed}\" crossorigin=\"anonymous\">"
    );
    for chunk in FIRST_SCREEN_CHUNKS {
        let Some((_, files)) = chunks.iter().find(|(m, _)| chunk_matches(m, chunk)) else {
            return Err(format!(
                "the first screen's chunk `{chunk}` is not among the split modules: {:?}",
                chunks.keys().collect::<Vec<_>>()
            ));
        };
        for f in files {
            preloads.push_str(&format!(
                "\n<link rel=\"preload\" href=\"{public_url}{f}\" as=\"fetch\" type=\"application/wasm\" crossorigin=\"anonymous\">"
            ));
        }
    }
    html = html.replacen("</head>", &format!("{preloads}\n</head>"), 1);
    html = external_start_script(&html, staging, public_url)?;
    write(&html_path, html.as_bytes())?;
    write_embed(env, staging, stem)?;
    eprintln!(
        "    {} chunks: {}",
        chunks.len(),
        chunks.keys().cloned().collect::<Vec<_>>().join(", ")
    );
    Ok(())
}

/// Trunk starts the app with an inline module script; a Content-Security-Policy without
/// `'unsafe-inline'` refuses it, so it moves to a content-named file of its own.
fn external_start_script(html: &str, staging: &Path, public_url: &str) -> Result<String, String> {
    const OPEN: &str = "<script type=\"module\">";
    let start = html
        .find(OPEN)
        .ok_or("index.html: trunk's start script is missing")?;
    let body_at = start + OPEN.len();
    let end = body_at
        + html[body_at..]
            .find("</script>")
            .ok_or("index.html: trunk's start script is not closed")?;
    let script = html[body_at..end].trim();
    let name = format!("berth-start-{}.js", short_hash(script.as_bytes()));
    write(&staging.join(&name), script.as_bytes())?;
    Ok(format!(
        "{}<script type=\"module\" src=\"{public_url}{name}\"></script>{}",
        &html[..start],
        &html[end + "</script>".len()..]
    ))
}

/// Minifies trunk's `berth-<hash>.css` in place; answers its name and new text.
fn minify_css(staging: &Path) -> Result<(String, String), String> {
    let name = css_name(staging)?;
    let path = staging.join(&name);
    let css = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let css = crate::css::minify(&css);
    write(&path, css.as_bytes())?;
    Ok((name, css))
}

fn css_name(staging: &Path) -> Result<String, String> {
    std::fs::read_dir(staging)
        .map_err(|e| format!("{}: {e}", staging.display()))?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .find(|n| n.starts_with("berth-") && n.ends_with(".css"))
        .ok_or_else(|| "no berth-*.css in trunk's output".to_string())
}

/// `berth-embed.js`, the `<berth-console>` element: a stable name, pointing at this release's
/// hashed files (found beside it, whatever the public URL).
fn write_embed(env: &crate::setup::Env, staging: &Path, stem: &str) -> Result<(), String> {
    let template_path = env.root.join("embed/berth-embed.js");
    let template = std::fs::read_to_string(&template_path)
        .map_err(|e| format!("{}: {e}", template_path.display()))?;
    let css = css_name(staging)?;
    let mut js = template;
    for (key, value) in [
        ("__BERTH_JS__", format!("{stem}.js")),
        ("__BERTH_WASM__", format!("{stem}_bg.wasm")),
        ("__BERTH_CSS__", css),
    ] {
        if !js.contains(key) {
            return Err(format!("embed/berth-embed.js: {key} is missing"));
        }
        js = js.replace(key, &value);
    }
    write(&staging.join("berth-embed.js"), js.as_bytes())
}

/// Split module names carry a hash suffix (`overview_1234…`); `chunk` is the name in the source.
pub fn chunk_matches(module: &str, chunk: &str) -> bool {
    module == chunk
        || module
            .strip_prefix(chunk)
            .is_some_and(|rest| rest.starts_with('_'))
}

fn find_trunk_stem(staging: &Path) -> Result<String, String> {
    let entries = std::fs::read_dir(staging).map_err(|e| format!("{}: {e}", staging.display()))?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if let Some(stem) = name.strip_suffix(".js") {
            if stem.starts_with("berth-") && staging.join(format!("{stem}_bg.wasm")).exists() {
                return Ok(stem.to_string());
            }
        }
    }
    Err(format!(
        "no berth-<hash>.js beside its _bg.wasm in {}",
        staging.display()
    ))
}

/// wasm-opt on every file: one node process per core, each optimizing its share of the files
/// through binaryen's JS API (`xtask/wasm-opt.mjs`) instead of starting the CLI, and compiling
/// binaryen, once per file. The first chunk is also run through the CLI, and the two must agree
/// byte for byte: the build ships what `wasm-opt -Oz` writes.
fn wasm_opt_all(env: &crate::setup::Env, files: &[&PathBuf]) -> Result<(), String> {
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    // The CLI's answer for one file, from a copy of its input made before the batch runs.
    let witness = match files.get(1).or(files.first()) {
        Some(file) => {
            let copy = file.with_extension("cli.wasm");
            std::fs::copy(file, &copy).map_err(|e| format!("{}: {e}", copy.display()))?;
            wasm_opt(env, &copy)?;
            Some((*file, copy))
        }
        None => None,
    };
    // The biggest files first, dealt in turn: the workers end at about the same time.
    let mut by_size: Vec<(u64, &PathBuf)> = files
        .iter()
        .map(|f| (std::fs::metadata(f).map_or(0, |m| m.len()), *f))
        .collect();
    by_size.sort_by_key(|(size, _)| std::cmp::Reverse(*size));
    let shares: Vec<Vec<&PathBuf>> = (0..workers)
        .map(|w| {
            by_size
                .iter()
                .skip(w)
                .step_by(workers)
                .map(|(_, f)| *f)
                .collect()
        })
        .collect();
    let script = env.root.join("xtask/wasm-opt.mjs");
    let modules = env.root.join("node_modules");
    std::thread::scope(|scope| {
        let handles: Vec<_> = shares
            .iter()
            .filter(|share| !share.is_empty())
            .map(|share| {
                let (script, modules) = (&script, &modules);
                scope.spawn(move || {
                    let mut cmd = env.command("node");
                    cmd.arg(script).arg(modules);
                    if profiling() {
                        cmd.arg("-g");
                    }
                    cmd.args(share.iter());
                    let status = cmd
                        .status()
                        .map_err(|e| format!("cannot start node: {e}"))?;
                    if status.success() {
                        Ok(())
                    } else {
                        Err(format!(
                            "xtask/wasm-opt.mjs failed ({status}) on {} files, among them {}",
                            share.len(),
                            share[0].display()
                        ))
                    }
                })
            })
            .collect();
        handles.into_iter().try_for_each(|h| {
            h.join()
                .map_err(|_| "a wasm-opt worker panicked".to_string())?
        })
    })?;
    if let Some((file, copy)) = witness {
        let (batch, cli) = (std::fs::read(file), std::fs::read(&copy));
        let _ = std::fs::remove_file(&copy);
        if batch.map_err(|e| e.to_string())? != cli.map_err(|e| e.to_string())? {
            return Err(format!(
                "xtask/wasm-opt.mjs and the wasm-opt CLI optimized {} differently: \
                 they must write the same bytes (same binaryen, same features and levels)",
                file.display()
            ));
        }
    }
    Ok(())
}

/// The wasm-opt CLI on one file, in place.
fn wasm_opt(env: &crate::setup::Env, file: &Path) -> Result<(), String> {
    let f = file.display().to_string();
    let mut cmd = env.command("wasm-opt");
    cmd.args([
        "-Oz",
        "--enable-bulk-memory",
        "--enable-nontrapping-float-to-int",
        &f,
        "-o",
        &f,
    ]);
    // BERTH_PROFILE=1 keeps function names, so a browser CPU profile can name them (bigger
    // files: never for a build that ships).
    if profiling() {
        cmd.arg("-g");
    }
    run(&mut cmd)
}

/// `BERTH_PROFILE=1` (any value but empty or `0`): a build for a CPU profile.
fn profiling() -> bool {
    std::env::var("BERTH_PROFILE").is_ok_and(|v| !v.is_empty() && v != "0")
}

/// terser on an ES module: about 2.5 KB brotli less on the first load for both JS files. Property
/// names are kept (the wasm's import object is keyed by them); exports are never renamed.
fn minify(env: &crate::setup::Env, scratch: &Path, js: &str) -> Result<String, String> {
    write(scratch, js.as_bytes())?;
    let f = scratch.display().to_string();
    run(env.command("terser").args([
        "--module",
        "--compress",
        "--mangle",
        "--ecma",
        "2020",
        &f,
        "-o",
        &f,
    ]))?;
    std::fs::read_to_string(scratch).map_err(|e| format!("{f}: {e}"))
}

fn file_name(path: &Path) -> Result<String, String> {
    path.file_name()
        .map(|n| n.to_string_lossy().to_string())
        .ok_or_else(|| format!("{} has no file name", path.display()))
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}

/// `"./chunks-…/chunk_3.wasm"` → `B+"chunk_3.wasm"`, with `B` declared once at the top.
fn say_folder_once(js: &str, dir: &str) -> String {
    let mut out = js.to_string();
    for q in ['"', '\''] {
        for prefix in ["./", ""] {
            out = out.replace(&format!("{q}{prefix}{dir}/"), &format!("B+{q}"));
        }
    }
    format!("const B = \"./{dir}/\";\n{out}")
}

/// Every chunk's loader, as the splitter writes it, once per chunk (hundreds of them).
const LOADER_HEAD: &str = "makeLoad(() => {\n    const src = fetch(new URL(B+\"";
const LOADER_TAIL: &str = ".wasm\", import.meta.url));\n    src.catch(() => {});\n    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));\n}\n, ";

/// The loaders written once, as `loadChunk(14, [deps])` (`chunk_14`) or `loadChunk("split_x",
/// [deps])`: a few hundred bytes less in the first screen's link module. An error if the
/// splitter's output no longer has this shape, so a change in it cannot go unnoticed.
fn one_loader(js: &str) -> Result<String, String> {
    let mut out = String::with_capacity(js.len());
    let mut rest = js;
    let mut count = 0;
    while let Some(at) = rest.find(LOADER_HEAD) {
        out.push_str(&rest[..at]);
        let after = &rest[at + LOADER_HEAD.len()..];
        let end = after
            .find(LOADER_TAIL)
            .ok_or("a chunk loader of an unexpected shape in the link module")?;
        let name = &after[..end];
        match name
            .strip_prefix("chunk_")
            .filter(|n| n.bytes().all(|b| b.is_ascii_digit()))
        {
            Some(n) => out.push_str(&format!("loadChunk({n}, ")),
            None => out.push_str(&format!("loadChunk(\"{name}\", ")),
        }
        rest = &after[end + LOADER_TAIL.len()..];
        count += 1;
    }
    out.push_str(rest);
    if count == 0 || out.contains("instantiateStreaming(src") {
        return Err(format!(
            "the link module's chunk loaders are not in the expected shape ({count} rewritten)"
        ));
    }
    Ok(format!(
        "const loadChunk = (n, deps) => makeLoad(() => {{\n    const src = wasmFile(typeof n === \"number\" ? \"chunk_\" + n : n);\n    src.catch(() => {{}});\n    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));\n}}, deps);\n{out}"
    ))
}

/// The shared chunks made on first use (`chunk(n)`), and every dependency list written as ranges
/// of chunk numbers (`deps("14-30,45")`) instead of a declared loader per chunk and a list of
/// their names: hundreds of declarations and names were a tenth of the first screen's link
/// module, and each new split point added a list of about 250 names to it.
fn deps_as_ranges(js: &str) -> Result<String, String> {
    const DECL: &str = "const __chunk_";
    let shape = |what: &str| format!("the link module's {what} is not in the expected shape");
    // The declarations: `const __chunk_N = loadChunk(N, []);`, each after its comment line.
    let mut out = String::with_capacity(js.len());
    let mut rest = js;
    let mut declared = 0;
    while let Some(at) = rest.find(DECL) {
        let mut keep = &rest[..at];
        if let Some(comment) = keep.trim_end_matches('\n').rfind("/*") {
            if keep[comment..].trim_end().ends_with("*/") && !keep[comment..].contains(';') {
                keep = &keep[..comment];
            }
        }
        out.push_str(keep);
        let after = &rest[at + DECL.len()..];
        let end = after
            .find(";\n")
            .ok_or_else(|| shape("chunk declaration"))?;
        let n = after[..end]
            .split_once(" = ")
            .filter(|(n, load)| *load == format!("loadChunk({n}, [])"))
            .ok_or_else(|| shape("chunk declaration"))?;
        let _: u32 = n.0.parse().map_err(|_| shape("chunk number"))?;
        rest = &after[end + 2..];
        declared += 1;
    }
    out.push_str(rest);
    // The lists: `[__chunk_19, __chunk_20, __chunk_29]` becomes `deps("19-20,29")`.
    let mut listed = String::with_capacity(out.len());
    let mut rest = out.as_str();
    while let Some(at) = rest.find("[__chunk_") {
        listed.push_str(&rest[..at]);
        let end = rest[at..]
            .find(']')
            .ok_or_else(|| shape("dependency list"))?
            + at;
        let mut numbers = rest[at + 1..end]
            .split(',')
            .map(|d| {
                d.trim()
                    .strip_prefix("__chunk_")
                    .and_then(|n| n.parse::<u32>().ok())
            })
            .collect::<Option<Vec<u32>>>()
            .ok_or_else(|| shape("dependency list"))?;
        numbers.sort_unstable();
        numbers.dedup();
        listed.push_str(&format!("deps(\"{}\")", ranges(&numbers)));
        rest = &rest[end + 1..];
    }
    listed.push_str(rest);
    if declared == 0 || listed.contains("__chunk_") {
        return Err(shape("chunk loading"));
    }
    Ok(format!(
        "{PACK_JS}const chunks = [];\nconst chunk = (n) => (chunks[n] ??= loadChunk(n, []));\nconst deps = (s) => numbers(s).map(chunk);\n{listed}"
    ))
}

/// Where the chunks come from: each file once, from a pack when one brought it (see [`PACKS`]),
/// else on its own. A pack is fetched only when at least 8 of its files, and half of them, are
/// neither loaded nor on their way; a pack that cannot be read leaves its files to be fetched on
/// their own, so a pack is never needed for the console to work.
const PACK_JS: &str = r#"const numbers = (s) => s.split(",").flatMap((r) => { const [a, b = a] = r.split("-").map(Number); return Array.from({ length: b - a + 1 }, (_, i) => a + i); });
const asked = new Set();
const fromPacks = new Map();
const fileUrl = (name) => new URL(B + name + ".wasm", import.meta.url);
const ownFile = (name) => fetch(fileUrl(name));
const wasmFile = (name) => {
    asked.add(name);
    const packed = fromPacks.get(name);
    fromPacks.delete(name);
    return packed ?? ownFile(name);
};
// A pack's failure is not reported: its files are fetched on their own instead.
const packed = (name, splits, lists, make) => {
    const load = make(deps(lists[0]));
    return () => {
        const members = [...new Set(splits.concat(lists.flatMap((l) => numbers(l).map((n) => "chunk_" + n))))].reverse();
        const missing = members.filter((m) => !asked.has(m) && !fromPacks.has(m));
        if (missing.length > 7 && missing.length * 2 >= members.length) {
            const files = fetch(new URL(B + "pack_" + name + ".bin", import.meta.url))
                .then((r) => (r.ok ? r.arrayBuffer() : Promise.reject()))
                .then((buf) => {
                    const v = new DataView(buf);
                    if (v.getUint32(0, true) !== members.length) throw 0;
                    let at = 4 + 4 * members.length;
                    return new Map(members.map((m, i) => [m, buf.slice(at, (at += v.getUint32(4 + 4 * i, true)))]));
                });
            for (const m of missing) {
                fromPacks.set(m, files
                    .then((f) => {
                        const r = new Response(f.get(m), { headers: { "Content-Type": "application/wasm" } });
                        // Named as if fetched on its own, for whoever looks: a compile error, a
                        // profiler, the tests' record of what was compiled.
                        return Object.defineProperty(r, "url", { value: fileUrl(m).href });
                    })
                    .catch(() => ownFile(m)));
            }
        }
        return load();
    };
};
"#;

/// The files of the pack of `screen` and the splits that open `with` it: their stems
/// (`chunk_14`, `split_qovery_detail`), each once, in order.
fn pack_members(
    prefetch: &std::collections::HashMap<String, Vec<String>>,
    screen: &str,
    with: &[&str],
) -> Result<Vec<String>, String> {
    let mut members = std::collections::BTreeSet::new();
    for wanted in std::iter::once(&screen).chain(with) {
        // The exact name first: `chunk_matches` would also take `{wanted}_<anything>`.
        let deps = prefetch
            .get(*wanted)
            .or_else(|| {
                prefetch
                    .iter()
                    .find(|(module, _)| chunk_matches(module, wanted))
                    .map(|(_, d)| d)
            })
            .ok_or_else(|| format!("no split named {wanted} to pack"))?;
        members.extend(deps.iter().map(|d| d.trim_start_matches("./").to_string()));
    }
    Ok(members.into_iter().collect())
}

/// A pack: little-endian u32s, the number of files and each one's length, then the files' bytes,
/// in the order the loader lists them (see [`with_packs`]): the loader knows their names.
fn pack_bytes(members: &[String], bytes_of: &BTreeMap<&str, &[u8]>) -> Result<Vec<u8>, String> {
    let too_big = || "a pack over 4 GB".to_string();
    let mut head = u32::try_from(members.len())
        .map_err(|_| too_big())?
        .to_le_bytes()
        .to_vec();
    let mut body = Vec::new();
    for m in members {
        let bytes = bytes_of
            .get(m.as_str())
            .ok_or_else(|| format!("{m}: a pack member that is not a chunk"))?;
        head.extend(
            u32::try_from(bytes.len())
                .map_err(|_| too_big())?
                .to_le_bytes(),
        );
        body.extend_from_slice(bytes);
    }
    head.extend(body);
    Ok(head)
}

/// The chunk ranges of a split's loader (`loadChunk("split_x", deps("1-3,5"))` → `1-3,5`).
fn loader_ranges<'a>(js: &'a str, split: &str) -> Result<&'a str, String> {
    let head = format!("loadChunk(\"split_{split}\", deps(\"");
    let at = js
        .find(&head)
        .ok_or_else(|| format!("the link module has no loader for split_{split}"))?
        + head.len();
    let len = js[at..]
        .find('"')
        .ok_or_else(|| format!("the loader of split_{split} is not in the expected shape"))?;
    Ok(&js[at..at + len])
}

/// Each packed screen and its pack's files, in the loader's order.
type Packed<'a> = Vec<(&'a str, Vec<String>)>;

/// Each packed screen's loader opens its pack first: `loadChunk("split_x", deps("R"))` becomes
/// `packed("x", ["split_x", …], ["R", …], (d) => loadChunk("split_x", d))`, the pack's files
/// said with the loaders' own ranges (those of the splits opened `with` it are repeated text:
/// brotli sends each range list once).
/// `members` is what the pack file holds: the ranges must say exactly that.
///
/// Answers the link module and each pack's files in the loader's order: the splits, then the
/// chunks as the ranges list them, each once, all reversed (measured: 0.4 KB of brotli less on
/// the container page's pack than in name order).
fn with_packs<'a>(
    js: &str,
    packs: &[(&'a str, &[&str], Vec<String>)],
) -> Result<(String, Packed<'a>), String> {
    let mut out = js.to_string();
    let mut ordered = Vec::new();
    for (screen, with, members) in packs {
        let splits: Vec<&str> = std::iter::once(screen)
            .chain(with.iter())
            .copied()
            .collect();
        let lists = splits
            .iter()
            .map(|s| loader_ranges(js, s).map(str::to_string))
            .collect::<Result<Vec<String>, String>>()?;
        let mut said: Vec<String> = splits.iter().map(|s| format!("split_{s}")).collect();
        for list in &lists {
            said.extend(numbers(list)?.into_iter().map(|n| format!("chunk_{n}")));
        }
        let mut order = Vec::new();
        for name in said {
            if !order.contains(&name) {
                order.push(name);
            }
        }
        order.reverse();
        let mut said = order.clone();
        said.sort();
        let mut held = members.clone();
        held.sort();
        if said != held {
            return Err(format!(
                "the pack of {screen} and its loaders disagree on its files"
            ));
        }
        let head = format!("loadChunk(\"split_{screen}\", deps(\"");
        let at = out
            .find(&head)
            .ok_or_else(|| format!("the link module has no loader for split_{screen}"))?;
        let end = at + head.len() + lists[0].len() + 3;
        if out.get(end - 3..end) != Some("\"))") {
            return Err(format!(
                "the loader of split_{screen} is not in the expected shape"
            ));
        }
        let names = serde_json::to_string(
            &splits
                .iter()
                .map(|s| format!("split_{s}"))
                .collect::<Vec<_>>(),
        )
        .map_err(|e| e.to_string())?;
        let lists = serde_json::to_string(&lists).map_err(|e| e.to_string())?;
        // The screen's own ranges are said once: `packed` hands them to its loader.
        let wrapped = format!(
            "packed(\"{screen}\", {names}, {lists}, (d) => loadChunk(\"split_{screen}\", d))"
        );
        out.replace_range(at..end, &wrapped);
        ordered.push((*screen, order));
    }
    Ok((out, ordered))
}

/// The numbers of ranges, as the link module's `numbers` reads them: `1-3,5` is `[1, 2, 3, 5]`.
fn numbers(list: &str) -> Result<Vec<u32>, String> {
    let mut out = Vec::new();
    for range in list.split(',').filter(|r| !r.is_empty()) {
        let (a, b) = range.split_once('-').unwrap_or((range, range));
        let (a, b): (u32, u32) = a
            .parse()
            .ok()
            .zip(b.parse().ok())
            .ok_or_else(|| format!("a chunk range `{range}` in the link module"))?;
        out.extend(a..=b);
    }
    Ok(out)
}

/// Sorted numbers as ranges: `[1, 2, 3, 5]` is `1-3,5`.
fn ranges(numbers: &[u32]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < numbers.len() {
        let mut j = i;
        while j + 1 < numbers.len() && numbers[j + 1] == numbers[j] + 1 {
            j += 1;
        }
        out.push(if i == j {
            numbers[i].to_string()
        } else {
            format!("{}-{}", numbers[i], numbers[j])
        });
        i = j + 1;
    }
    out.join(",")
}

fn short_hash(bytes: &[u8]) -> String {
    crate::util::sha256_hex(bytes, 8)
}

/// Replaces every quoted occurrence of the file name `old` (ending a quoted path, as in
/// `"./x.wasm"` or `'x.wasm'`); it is an error if there is none, so a change in the tools'
/// output cannot silently leave a stale reference.
fn replace_quoted(text: &str, old: &str, new: &str) -> Result<String, String> {
    let old = old.trim_start_matches("./");
    let new = new.trim_start_matches("./");
    let mut out = text.to_string();
    let mut found = false;
    for q in ['"', '\''] {
        for prefix in ["", "./"] {
            let from = format!("{q}{prefix}{old}{q}");
            if out.contains(&from) {
                found = true;
                out = out.replace(&from, &format!("{q}{prefix}{new}{q}"));
            }
        }
    }
    if found {
        Ok(out)
    } else {
        Err(format!("no reference to {old} found to rename it"))
    }
}

/// Sets the `integrity` of the `<link>` whose href ends with `name` to the SHA-384 of `bytes`.
fn fix_integrity(html: &str, name: &str, bytes: &[u8]) -> String {
    let sri = format!("sha384-{}", base64(&Sha384::digest(bytes)));
    let mut out = String::with_capacity(html.len());
    for line in html.split_inclusive('>') {
        if line.contains(&format!("{name}\"")) && line.contains("integrity=\"") {
            if let Some(start) = line.find("integrity=\"") {
                let value_start = start + "integrity=\"".len();
                if let Some(len) = line[value_start..].find('"') {
                    out.push_str(&line[..value_start]);
                    out.push_str(&sri);
                    out.push_str(&line[value_start + len..]);
                    continue;
                }
            }
        }
        out.push_str(line);
    }
    out
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Custom sections no browser reads: which tools made the file, which features it was built
/// with. Every chunk carries both (about 200 bytes, incompressible across files): with the
/// hundreds of chunks a container page loads, they were about a tenth of its brotli bytes.
const METADATA_SECTIONS: [&[u8]; 2] = [b"producers", b"target_features"];

/// `wasm` without the custom sections in [`METADATA_SECTIONS`]; every other section as it was.
fn strip_metadata(wasm: &[u8]) -> Result<Vec<u8>, String> {
    fn leb(b: &[u8], mut i: usize) -> Option<(usize, usize)> {
        let (mut value, mut shift) = (0usize, 0);
        loop {
            let byte = *b.get(i)?;
            i += 1;
            value |= usize::from(byte & 0x7f).checked_shl(shift)?;
            shift += 7;
            if byte < 0x80 {
                return Some((value, i));
            }
        }
    }
    let bad = || "a wasm file ends inside a section".to_string();
    if wasm.get(..4) != Some(b"\0asm".as_slice()) {
        return Err("not a wasm file".into());
    }
    let mut out = wasm[..8].to_vec();
    let mut i = 8;
    while i < wasm.len() {
        let start = i;
        let id = wasm[i];
        let (size, body) = leb(wasm, i + 1).ok_or_else(bad)?;
        let end = body
            .checked_add(size)
            .filter(|&e| e <= wasm.len())
            .ok_or_else(bad)?;
        let name = (id == 0)
            .then(|| leb(wasm, body))
            .flatten()
            .and_then(|(len, at)| wasm.get(at..at.checked_add(len)?));
        if !name.is_some_and(|n| METADATA_SECTIONS.contains(&n)) {
            out.extend_from_slice(&wasm[start..end]);
        }
        i = end;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A custom section `name` holding `data`.
    fn custom(name: &[u8], data: &[u8]) -> Vec<u8> {
        let mut body = vec![name.len() as u8];
        body.extend_from_slice(name);
        body.extend_from_slice(data);
        let mut s = vec![0, body.len() as u8];
        s.extend(body);
        s
    }

    #[test]
    fn metadata_sections_are_stripped_and_the_rest_kept() {
        let header = b"\0asm\x01\0\0\0".to_vec();
        // A type section with one `() -> ()` type, and a "name" section to keep.
        let types = vec![1u8, 4, 1, 0x60, 0, 0];
        let names = custom(b"name", &[1, 2, 3]);
        let mut wasm = header.clone();
        wasm.extend(custom(b"producers", b"\x01\x0cprocessed-by"));
        wasm.extend(&types);
        wasm.extend(custom(b"target_features", b"\x01+\x08sign-ext"));
        wasm.extend(&names);
        let mut want = header;
        want.extend(&types);
        want.extend(&names);
        assert_eq!(strip_metadata(&wasm), Ok(want));
        assert!(
            strip_metadata(b"\0asm\x01\0\0\0\x01\x09\x01").is_err(),
            "a cut section"
        );
        assert!(strip_metadata(b"not wasm").is_err());
    }

    #[test]
    fn base64_matches_the_standard_alphabet_and_padding() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn integrity_is_replaced_only_on_the_named_link() {
        let html = r#"<link rel="modulepreload" href="/a-1.js" integrity="sha384-old"><link href="/b.css" integrity="sha384-keep">"#;
        let out = fix_integrity(html, "a-1.js", b"x");
        assert!(out.contains(&format!(
            "href=\"/a-1.js\" integrity=\"sha384-{}\"",
            base64(&Sha384::digest(b"x"))
        )));
        assert!(out.contains("integrity=\"sha384-keep\""));
    }

    #[test]
    fn the_loaders_are_written_once() {
        let one = |name: &str, deps: &str| {
            format!("const x = {LOADER_HEAD}{name}{LOADER_TAIL}{deps});\n")
        };
        let js = format!(
            "{}{}",
            one("chunk_14", "[]"),
            one("split_actions", "[__chunk_14]")
        );
        let out = one_loader(&js).unwrap_or_default();
        assert!(out.contains("const x = loadChunk(14, []);"), "{out}");
        assert!(
            out.contains("const x = loadChunk(\"split_actions\", [__chunk_14]);"),
            "{out}"
        );
        assert_eq!(out.matches("instantiateStreaming").count(), 1, "{out}");
        assert!(one_loader("no loaders here").is_err());
    }

    #[test]
    fn dependencies_are_written_as_ranges_of_chunks_made_on_first_use() {
        let js = "let x;\n/* a, b */\nconst __chunk_14 = loadChunk(14, []);\n/* a */\nconst __chunk_15 = loadChunk(15, []);\nconst __chunk_17 = loadChunk(17, []);\nexport const y = w(loadChunk(\"split_a\", [__chunk_17, __chunk_14, __chunk_15]));\n";
        let out = deps_as_ranges(js).unwrap_or_default();
        assert!(
            out.ends_with(
                "let x;\nexport const y = w(loadChunk(\"split_a\", deps(\"14-15,17\")));\n"
            ),
            "{out}"
        );
        assert!(out.contains("chunks[n] ??= loadChunk(n, [])"), "{out}");
        // A chunk with dependencies of its own, or none declared: not the shape this expects.
        assert!(deps_as_ranges("const __chunk_1 = loadChunk(1, [__chunk_2]);\n").is_err());
        assert!(deps_as_ranges("export const y = 1;").is_err());
        assert_eq!(ranges(&[1, 2, 3, 5, 7, 8]), "1-3,5,7-8");
        assert_eq!(ranges(&[]), "");
        assert_eq!(numbers("1-3,5"), Ok(vec![1, 2, 3, 5]));
        assert_eq!(numbers(&ranges(&[4, 7, 8, 9])), Ok(vec![4, 7, 8, 9]));
        assert!(numbers("2-x").is_err());
    }

    #[test]
    fn a_pack_holds_its_screens_files_and_its_loader_opens_it() {
        let prefetch: std::collections::HashMap<String, Vec<String>> = [
            ("page", vec!["./chunk_3", "./chunk_1", "./split_page"]),
            ("tab_1a2b", vec!["./chunk_1", "./chunk_2", "./split_tab"]),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.into_iter().map(String::from).collect()))
        .collect();
        let members = pack_members(&prefetch, "page", &["tab"]).unwrap_or_default();
        assert_eq!(
            members,
            ["chunk_1", "chunk_2", "chunk_3", "split_page", "split_tab"]
        );
        assert!(pack_members(&prefetch, "nothing", &[]).is_err());

        let files: BTreeMap<&str, &[u8]> = [
            ("chunk_1", b"a".as_slice()),
            ("chunk_2", b"bb"),
            ("chunk_3", b"ccc"),
            ("split_page", b"dddd"),
            ("split_tab", b""),
        ]
        .into_iter()
        .collect();
        let js = "a(loadChunk(\"split_page\", deps(\"1,3\"))); b(loadChunk(\"split_tab\", deps(\"1-2\")));";
        let (out, ordered) =
            with_packs(js, &[("page", &["tab"], members.clone())]).unwrap_or_default();
        assert_eq!(
            out,
            "a(packed(\"page\", [\"split_page\",\"split_tab\"], [\"1,3\",\"1-2\"], (d) => loadChunk(\"split_page\", d))); b(loadChunk(\"split_tab\", deps(\"1-2\")));"
        );
        // The loader's order: the splits, then the chunks as listed, each once; reversed.
        let order = ["chunk_2", "chunk_3", "chunk_1", "split_tab", "split_page"];
        assert_eq!(ordered, vec![("page", order.map(String::from).to_vec())]);
        // A pack whose file would hold other files than its loaders say: refused.
        assert!(with_packs(js, &[("page", &[], members)]).is_err());
        assert!(with_packs(js, &[("other", &[], Vec::new())]).is_err());

        // The file: the count, each length, then the bytes, in that order.
        let pack = pack_bytes(&ordered[0].1, &files).unwrap_or_default();
        let word = |i: usize| u32::from_le_bytes([pack[i], pack[i + 1], pack[i + 2], pack[i + 3]]);
        assert_eq!(
            (0..6).map(|i| word(4 * i)).collect::<Vec<_>>(),
            [5, 2, 3, 1, 0, 4]
        );
        assert_eq!(&pack[24..], b"bbcccadddd");
        assert!(pack_bytes(&["chunk_9".to_string()], &files).is_err());
    }

    #[test]
    fn the_chunk_folder_is_said_once() {
        let js = "a(new URL(\"./chunks-ab/chunk_1.wasm\", import.meta.url)); b('chunks-ab/split_x.wasm')";
        assert_eq!(
            say_folder_once(js, "chunks-ab"),
            "const B = \"./chunks-ab/\";\na(new URL(B+\"chunk_1.wasm\", import.meta.url)); b(B+'split_x.wasm')"
        );
    }

    #[test]
    fn quoted_file_names_are_renamed_and_a_missing_one_is_an_error() {
        let js = r#"import * as a from "./__wasm_split.js"; fetch(new URL("./split_x.wasm", import.meta.url))"#;
        let out = replace_quoted(js, "./__wasm_split.js", "./__wasm_split-ab.js").unwrap();
        assert!(out.contains("\"./__wasm_split-ab.js\""));
        let out = replace_quoted(&out, "split_x.wasm", "split_x-12.wasm").unwrap();
        assert!(out.contains("\"./split_x-12.wasm\""));
        assert!(replace_quoted(&out, "missing.wasm", "x.wasm").is_err());
    }

    #[test]
    fn chunk_names_match_with_or_without_the_hash_suffix() {
        assert!(chunk_matches("overview", "overview"));
        assert!(chunk_matches("overview_123", "overview"));
        assert!(!chunk_matches("overviews_123", "overview"));
    }
}
