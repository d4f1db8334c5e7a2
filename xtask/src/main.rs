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
mod util;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup::setup().map(|_| ()),
        Some("run") => run(&args[1..]),
        Some("test") => test(&args[1..]),
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

const USAGE: &str = "usage: cargo xtask <command>
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
    let n = compress::precompress(&dir)?;
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
fn warn_if_disk_is_short(root: &std::path::Path) {
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

/// Every layer runs, whatever an earlier one did; the last line says `N passed, M failed` over
/// all of them, and the command fails if a test failed or a layer could not run.
fn test(args: &[String]) -> Result<(), String> {
    if let Some(a) = args.first() {
        return Err(format!("test: unknown argument `{a}`\n{USAGE}"));
    }
    let env = setup::setup()?;
    warn_if_disk_is_short(&env.root);
    let mut tally = Tally::default();
    // A build that fails leaves its variable unset: the tests that need it fail saying so.
    let dist = tally.built(build_app(&env, "/", "target/dist"));
    let dist_console = tally.built(build_app(&env, "/console/", "target/dist-console"));
    let sandbox = tally.built(build_sandbox(&env, false));

    util::step(
        "native tests: cargo test --workspace --no-fail-fast (unit, rules, sandbox, end-to-end in Chromium)",
    );
    let mut cmd = env.command("cargo");
    cmd.args(["test", "--workspace", "--no-fail-fast"])
        .env("BERTH_NGINX", setup::nginx_prefix(&env.root));
    for (name, value) in [
        ("BERTH_DIST", &dist),
        ("BERTH_DIST_CONSOLE", &dist_console),
        ("BERTH_SANDBOX", &sandbox),
    ] {
        if let Some(v) = value {
            cmd.env(name, v);
        }
    }
    tally.layer("native tests", &mut cmd);

    util::step("component tests: wasm-bindgen-test in headless Chromium");
    let mut cmd = env.command("cargo");
    cmd.args([
        "test",
        "--target",
        "wasm32-unknown-unknown",
        "--package",
        "berth",
        "--lib",
        "--no-fail-fast",
    ])
    .env("WASM_BINDGEN_TEST_DRIVER_TIMEOUT", "180")
    .env("WASM_BINDGEN_TEST_TIMEOUT", "180");
    tally.layer("component tests", &mut cmd);

    for p in &tally.problems {
        eprintln!("xtask: {p}");
    }
    let summary = format!("{} passed, {} failed", tally.passed, tally.failed);
    if tally.failed == 0 && tally.problems.is_empty() {
        println!("{summary}");
        Ok(())
    } else {
        Err(summary)
    }
}

/// What the test layers said, added up.
#[derive(Default)]
struct Tally {
    passed: u64,
    failed: u64,
    /// A build or a layer that did not run to its end (no failing test to show for it).
    problems: Vec<String>,
}

impl Tally {
    fn built(&mut self, r: Result<std::path::PathBuf, String>) -> Option<std::path::PathBuf> {
        r.map_err(|e| self.problems.push(e)).ok()
    }

    /// Runs a `cargo test` layer, its output passed on as it comes, and adds its `test result:`
    /// lines up.
    fn layer(&mut self, name: &str, cmd: &mut std::process::Command) {
        use std::io::BufRead;
        let what = util::describe(cmd);
        let mut child = match cmd.stdout(std::process::Stdio::piped()).spawn() {
            Ok(c) => c,
            Err(e) => {
                self.problems
                    .push(format!("{name}: cannot start {what}: {e}"));
                return;
            }
        };
        let (mut failed, mut results) = (0, 0);
        if let Some(out) = child.stdout.take() {
            for line in std::io::BufReader::new(out).lines().map_while(Result::ok) {
                println!("{line}");
                if let Some((p, f)) = test_result(&line) {
                    self.passed += p;
                    failed += f;
                    results += 1;
                }
            }
        }
        self.failed += failed;
        match child.wait() {
            Ok(status) if status.success() && results > 0 => {}
            Ok(status) if status.success() => self
                .problems
                .push(format!("{name}: {what} reported no test result")),
            // A failing test is counted; a failure with none means something did not run.
            Ok(_) if failed > 0 => {}
            Ok(status) => self.problems.push(format!(
                "{name}: {what} failed ({status}) with no failing test: a build or a test binary did not run"
            )),
            Err(e) => self.problems.push(format!("{name}: {what}: {e}")),
        }
    }
}

/// `(passed, failed)` of a `test result: ok. 5 passed; 1 failed; ...` line (libtest and
/// wasm-bindgen-test both print it).
fn test_result(line: &str) -> Option<(u64, u64)> {
    let rest = line.trim().strip_prefix("test result: ")?;
    let count = |word: &str| {
        rest.split(';').find_map(|part| {
            let part = part.rsplit(". ").next().unwrap_or(part).trim();
            part.strip_suffix(word)?.trim().parse::<u64>().ok()
        })
    };
    Some((count(" passed")?, count(" failed")?))
}

#[cfg(test)]
mod tests {
    use super::test_result;

    #[test]
    fn test_result_lines_are_read() {
        assert_eq!(
            test_result("test result: ok. 12 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.20s"),
            Some((12, 0))
        );
        assert_eq!(
            test_result(
                "test result: FAILED. 3 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out"
            ),
            Some((3, 2))
        );
        assert_eq!(test_result("running 3 tests"), None);
        assert_eq!(test_result("test a_test_result_line ... ok"), None);
    }
}
