//! `cargo xtask test`: every layer, whatever an earlier one did; the last line says `N passed, M
//! failed` over all of them, and the command fails if a test failed or a layer could not run.
//!
//! Where the time goes (docs/testing.md has the figures): the end-to-end tests wait on a browser,
//! a sandbox and the app's timers far more than they compute, so they run on more threads than
//! there are cores, and beside them, once everything is compiled, the other layers.

use std::io::{BufRead, Write};
use std::process::{Command, Stdio};

use crate::{build_app, build_sandbox, setup, util};

/// End-to-end tests run at once by default (`BERTH_E2E_THREADS` changes it): each mostly waits.
pub const E2E_THREADS: usize = 4;

pub fn test(args: &[String]) -> Result<(), String> {
    if let Some(a) = args.first() {
        return Err(format!("test: unknown argument `{a}`\n{}", crate::USAGE));
    }
    let env = setup::setup()?;
    crate::warn_if_disk_is_short(&env.root);
    let mut tally = Tally::default();
    // A build that fails leaves its variable unset: the tests that need it fail saying so.
    let dist = tally.built(build_app(&env, "/", "target/dist"));
    let dist_console = tally.built(build_app(&env, "/console/", "target/dist-console"));
    let sandbox = tally.built(build_sandbox(&env, false));
    let cargo = |args: &[&str]| {
        let mut cmd = env.command("cargo");
        cmd.args(args)
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
        cmd
    };
    let wasm = |extra: &[&str]| {
        let mut cmd = cargo(
            &[
                &[
                    "test",
                    "--target",
                    "wasm32-unknown-unknown",
                    "--package",
                    "berth",
                    "--lib",
                ],
                extra,
            ]
            .concat(),
        );
        cmd.env("WASM_BINDGEN_TEST_DRIVER_TIMEOUT", "180")
            .env("WASM_BINDGEN_TEST_TIMEOUT", "180");
        cmd
    };

    // Everything compiled first: the layers below then run side by side, none waiting for
    // another's build (a build that fails here fails again in its layer, which reports it).
    util::step("compiling the test binaries (native, then wasm)");
    if let Err(e) = util::run(&mut cargo(&["test", "--workspace", "--no-run"])) {
        eprintln!("xtask: {e}");
    }
    if let Err(e) = util::run(&mut wasm(&["--no-run"])) {
        eprintln!("xtask: {e}");
    }

    let threads = std::env::var("BERTH_E2E_THREADS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|n| *n > 0)
        .unwrap_or(E2E_THREADS)
        .to_string();
    util::step(&format!(
        "end-to-end tests in Chromium ({threads} at a time); beside them, the unit, rule and \
         sandbox tests, then the component tests (their output is shown when each layer ends)"
    ));
    let e2e = cargo(&[
        "test",
        "--package",
        "berth",
        "--test",
        "e2e",
        "--no-fail-fast",
        "--",
        "--test-threads",
        &threads,
    ]);
    let beside = [
        (
            "native tests",
            cargo(&[
                "test",
                "--workspace",
                "--exclude",
                "berth",
                "--no-fail-fast",
            ]),
        ),
        (
            "the app's unit tests",
            cargo(&[
                "test",
                "--package",
                "berth",
                "--lib",
                "--bins",
                "--no-fail-fast",
            ]),
        ),
        (
            "the app's doc tests",
            cargo(&["test", "--package", "berth", "--doc", "--no-fail-fast"]),
        ),
        (
            "component tests (wasm-bindgen-test in headless Chromium)",
            wasm(&["--no-fail-fast"]),
        ),
    ];
    let (e2e_tally, beside_tallies) = std::thread::scope(|s| {
        let side = s.spawn(move || {
            beside
                .into_iter()
                .map(|(name, mut cmd)| layer(name, &mut cmd, Output::Held))
                .collect::<Vec<_>>()
        });
        let mut e2e = e2e;
        let main = layer("end-to-end tests", &mut e2e, Output::Streamed);
        let side = side.join().unwrap_or_else(|_| {
            vec![Tally {
                problems: vec!["the layers beside the end-to-end tests did not end".into()],
                ..Tally::default()
            }]
        });
        (main, side)
    });
    for t in beside_tallies.into_iter().chain([e2e_tally]) {
        tally.add(t);
    }

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

    fn add(&mut self, other: Tally) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.problems.extend(other.problems);
    }
}

/// How a layer's output reaches the terminal.
#[derive(Clone, Copy, PartialEq)]
enum Output {
    /// Line by line as it comes.
    Streamed,
    /// In one block when the layer ends, so it does not interleave with a streamed layer.
    Held,
}

/// Runs a `cargo test` layer and adds its `test result:` lines up.
fn layer(name: &str, cmd: &mut Command, output: Output) -> Tally {
    let what = util::describe(cmd);
    let started = std::time::Instant::now();
    let mut tally = Tally::default();
    if output == Output::Held {
        // Its compiler and runner messages are held with the rest.
        cmd.stderr(Stdio::piped());
    }
    let mut child = match cmd.stdout(Stdio::piped()).spawn() {
        Ok(c) => c,
        Err(e) => {
            tally
                .problems
                .push(format!("{name}: cannot start {what}: {e}"));
            return tally;
        }
    };
    let errors = child.stderr.take().map(|err| {
        std::thread::spawn(move || {
            std::io::BufReader::new(err)
                .lines()
                .map_while(Result::ok)
                .collect::<Vec<_>>()
        })
    });
    let mut held = Vec::new();
    let (mut failed, mut results) = (0, 0);
    if let Some(out) = child.stdout.take() {
        for line in std::io::BufReader::new(out).lines().map_while(Result::ok) {
            if let Some((p, f)) = test_result(&line) {
                tally.passed += p;
                failed += f;
                results += 1;
            }
            match output {
                Output::Streamed => println!("{line}"),
                Output::Held => held.push(line),
            }
        }
    }
    let errors = errors.and_then(|h| h.join().ok()).unwrap_or_default();
    let status = child.wait();
    if output == Output::Held {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(
            out,
            "\n==> {name}: {what} ({} s)",
            started.elapsed().as_secs()
        );
        for line in errors.iter().chain(&held) {
            let _ = writeln!(out, "{line}");
        }
        let _ = out.flush();
    } else {
        eprintln!("\n    {name}: {} s", started.elapsed().as_secs());
    }
    tally.failed += failed;
    match status {
        Ok(status) if status.success() && results > 0 => {}
        Ok(status) if status.success() => tally
            .problems
            .push(format!("{name}: {what} reported no test result")),
        // A failing test is counted; a failure with none means something did not run.
        Ok(_) if failed > 0 => {}
        Ok(status) => tally.problems.push(format!(
            "{name}: {what} failed ({status}) with no failing test: a build or a test binary did not run"
        )),
        Err(e) => tally.problems.push(format!("{name}: {what}: {e}")),
    }
    tally
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
