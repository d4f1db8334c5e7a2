//! `cargo xtask <command>`: set-up of tools, run, test and bench for Berth.
//!
//! Every tool is installed inside the clone (`.tools/`, `node_modules/`) from the package
//! registries, so a fresh machine and a CI run do the same thing and nothing outside the clone is
//! assumed.

mod bench;
mod compress;
mod css;
mod delivery;
mod setup;
mod sizes;
mod split;
mod test_run;
mod util;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup::setup().map(|_| ()),
        Some("run") => run(&args[1..]),
        Some("test") => test_run::test(&args[1..]),
        Some("bench") => bench::bench(&args[1..]),
        Some("split") => split::split(),
        Some("dist") => dist(&args[1..]),
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

pub const USAGE: &str = "usage: cargo xtask <command>
  run [--listen ADDR]   set up, build the release app, serve it with the sandbox's demo data
  test                  set up, run every test layer (native, wasm components, end-to-end)
  bench [--sizes]       build the release app and report what each route fetches, render times,
                        sandbox latency and table speed; --sizes: only sizes and what makes them
  setup                 install the tools only (idempotent)
  split                 trunk's post_build hook: split the wasm into per-screen chunks
  dist [--public-url P] build the release app into target/dist (under P, default /), with .br
                        and .gz copies of every file for servers that serve them (deploy/nginx)";

/// Builds the release app with trunk into `dist` (relative to the root), served under `public_url`.
pub fn build_app(
    env: &setup::Env,
    public_url: &str,
    dist: &str,
) -> Result<std::path::PathBuf, String> {
    util::step(&format!("building the app for {public_url} into {dist}"));
    let mut cmd = env.command("trunk");
    cmd.args([
        "build",
        "--release",
        "--offline",
        "--public-url",
        public_url,
        "--dist",
        dist,
    ]);
    util::run(&mut cmd)?;
    let dir = env.root.join(dist);
    util::step(&format!("writing .br and .gz copies in {dist}"));
    let n = compress::precompress(&env.root, &dir)?;
    eprintln!("    {n} files compressed");
    Ok(dir)
}

/// Builds the sandbox: the debug profile for tests (quick to build), the `native` profile
/// (optimized for speed) for demos and the bench.
pub fn build_sandbox(env: &setup::Env, optimized: bool) -> Result<std::path::PathBuf, String> {
    let profile = if optimized { "native" } else { "dev" };
    util::step(&format!("building berth-sandbox ({profile} profile)"));
    util::run(env.command("cargo").args([
        "build",
        "--package",
        "berth-sandbox",
        "--profile",
        profile,
    ]))?;
    Ok(env.root.join(if optimized {
        "target/native/berth-sandbox"
    } else {
        "target/debug/berth-sandbox"
    }))
}

fn dist(args: &[String]) -> Result<(), String> {
    let public_url = match args {
        [] => "/".to_string(),
        [flag, url] if flag == "--public-url" => {
            if !url.starts_with('/') || !url.ends_with('/') {
                return Err(format!(
                    "dist: --public-url must start and end with `/`, got `{url}`"
                ));
            }
            url.clone()
        }
        _ => return Err(format!("dist: unexpected arguments {args:?}\n{USAGE}")),
    };
    let env = setup::setup()?;
    build_app(&env, &public_url, "target/dist").map(|_| ())
}

fn run(args: &[String]) -> Result<(), String> {
    let mut listen = "127.0.0.1:8080".to_string();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--listen" => listen = it.next().ok_or("--listen needs ADDR:PORT")?.clone(),
            other => return Err(format!("run: unknown argument `{other}`\n{USAGE}")),
        }
    }
    let env = setup::setup()?;
    let dist = build_app(&env, "/", "target/dist")?;
    let sandbox = build_sandbox(&env, true)?;
    let data = env.root.join(".berth-data");
    util::step(&format!(
        "starting the sandbox on http://{listen} (demo data in {})",
        data.display()
    ));
    let mut cmd = std::process::Command::new(sandbox);
    cmd.arg("--listen")
        .arg(&listen)
        .arg("--data")
        .arg(&data)
        .arg("--dist")
        .arg(&dist)
        .arg("--demo")
        // The diagnosis environment (#29): OOM kills, crash loops, failing probes... to look at.
        .arg("--demo-diagnosis");
    util::run(&mut cmd)
}

/// A clean test run writes about 3 GB into target/ (15 GB before debug builds kept line tables
/// only): say so before the compiler fails mid-way with "No space left on device".
pub fn warn_if_disk_is_short(root: &std::path::Path) {
    const NEEDED_GIB: f64 = 5.0;
    if let Some(free) = util::free_gib(root) {
        if free < NEEDED_GIB {
            eprintln!(
                "xtask: warning: only {free:.1} GiB free on the disk of {}; a clean `cargo xtask test` \
                 needs about {NEEDED_GIB:.0} GiB for target/ (free space, or remove old target/ folders)",
                root.display()
            );
        }
    }
}
