//! `cargo xtask test`: every layer, whatever an earlier one did; the last line says `N passed, M
//! failed` over all of them, and the command fails if a test failed or a layer could not run.
//!
//! Where the time goes (docs/testing.md has the figures): the end-to-end tests, each with its own
//! Chromium. Every test binary is compiled first; then the end-to-end tests run a few at a time
//! and the other layers run beside them.

use std::io::{BufRead, Write};
use std::process::{Command, Stdio};

use crate::{build_app, build_sandbox, setup, util};

/// End-to-end tests run at once by default (`BERTH_E2E_THREADS` changes it). Chromium keeps the
/// two cores busy much of the time: more threads than this made the run no shorter, only flakier.
const E2E_THREADS: usize = 3;

/// End-to-end tests started first, all at once, in a process of their own beside the others:
/// three that wait on the clock by design (nginx's 60 s, a Retry-After of 45 s and of 20 s) and
/// use little CPU meanwhile, each asserting a lower bound on a wait. Started last, in name order,
/// they made the run's tail. Tests that race the clock the other way (an operation that must still
/// be running) or burn CPU (the 100,000-row table) stay with the others: started beside these, at
/// the busiest moment, they failed. A name that no longer matches only runs with the others.
const STARTED_FIRST: [&str; 3] = [
    "deploy::a_slow_create_through_nginx_gets_its_answer",
    "tracking::all_apps_waits_as_long_as_a_429_asks_before_asking_again",
    "qovery_list::a_rate_limit_is_shown_and_its_retry_after_is_honoured",
];

/// The heavy end-to-end test, run on its own once [`STARTED_FIRST`] ended (past the start's rush,
/// with the others still going): in name order it came last and ran alone for a minute.
const HEAVY: [&str; 1] = ["scale::the_last_of_100000_rows_is_shown_when_scrolled_to"];

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
    // What the tests read to find the builds (berth-harness).
    let mut paths = vec![("BERTH_NGINX", setup::nginx_prefix(&env.root))];
    for (name, value) in [
        ("BERTH_DIST", dist),
        ("BERTH_DIST_CONSOLE", dist_console),
        ("BERTH_SANDBOX", sandbox),
    ] {
        paths.extend(value.map(|v| (name, v)));
    }
    let with_paths = |mut cmd: Command| {
        cmd.envs(paths.iter().cloned());
        cmd
    };
    let cargo = |args: &[&str]| {
        let mut cmd = env.command("cargo");
        cmd.args(args);
        with_paths(cmd)
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

    // Everything compiled first, once, for the whole workspace: the layers below then run the
    // binaries themselves, side by side. (Another package selection in a second `cargo test`
    // would unify dependency features differently and compile again, beside the browsers.)
    util::step("compiling the test binaries (native, then wasm)");
    let binaries = match test_binaries(&mut cargo(&["test", "--workspace", "--no-run"])) {
        Ok(b) => b,
        Err(e) => {
            tally.problems.push(e);
            Vec::new()
        }
    };
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
         sandbox tests, then the component tests (their output is shown when each binary ends)"
    ));
    let binary = |b: &TestBinary, args: &[&str]| with_paths(b.command(&env, args));
    let (e2e, others): (Vec<_>, Vec<_>) = binaries.into_iter().partition(|b| b.is_e2e());
    let mut beside: Vec<(String, Command)> = others
        .iter()
        .map(|b| (b.describe(), binary(b, &[])))
        .collect();
    beside.push((
        "doc tests".into(),
        cargo(&["test", "--workspace", "--doc", "--no-fail-fast"]),
    ));
    beside.push((
        "component tests (wasm-bindgen-test in headless Chromium)".into(),
        wasm(&["--no-fail-fast"]),
    ));
    let (e2e_tallies, beside_tallies) = std::thread::scope(|s| {
        let side = s.spawn(move || {
            beside
                .into_iter()
                .map(|(name, mut cmd)| layer(&name, &mut cmd, Output::Held))
                .collect::<Vec<_>>()
        });
        let first = s.spawn(|| {
            let mut tallies = Vec::new();
            for b in &e2e {
                for (group, threads) in [(&STARTED_FIRST[..], "3"), (&HEAVY[..], "1")] {
                    let mut args = vec!["--exact", "--test-threads", threads];
                    args.extend(group);
                    let mut cmd = binary(b, &args);
                    let name = format!("{} ({})", b.describe(), group.join(", "));
                    let t = layer(&name, &mut cmd, Output::Held);
                    if t.passed + t.failed != group.len() as u64 {
                        eprintln!(
                            "xtask: {name} ran {} tests, not {}: a name in STARTED_FIRST or HEAVY no longer matches",
                            t.passed + t.failed,
                            group.len()
                        );
                    }
                    tallies.push(t);
                }
            }
            tallies
        });
        let mut main: Vec<Tally> = e2e
            .iter()
            .map(|b| {
                let mut args = vec!["--exact", "--test-threads", &threads];
                for t in STARTED_FIRST.iter().chain(&HEAVY) {
                    args.extend(["--skip", t]);
                }
                let mut cmd = binary(b, &args);
                eprintln!(
                    "\n     Running {} ({})",
                    b.describe(),
                    b.executable.display()
                );
                layer("end-to-end tests", &mut cmd, Output::Streamed)
            })
            .collect();
        let ended = |h: std::thread::ScopedJoinHandle<'_, Vec<Tally>>, what: &str| {
            h.join().unwrap_or_else(|_| {
                vec![Tally {
                    problems: vec![format!("{what} did not end")],
                    ..Tally::default()
                }]
            })
        };
        main.extend(ended(first, "the end-to-end tests started first"));
        (main, ended(side, "the layers beside the end-to-end tests"))
    });
    if e2e_tallies.is_empty() {
        tally
            .problems
            .push("no end-to-end test binary was built (tests/e2e)".into());
    }
    for t in beside_tallies.into_iter().chain(e2e_tallies) {
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

/// A test executable `cargo test --no-run` built.
struct TestBinary {
    package: String,
    /// The target's name (`e2e`, `jq`, or the package's for its unit tests).
    target: String,
    kind: String,
    executable: std::path::PathBuf,
    /// Its package's folder: `cargo test` runs a test binary there.
    dir: std::path::PathBuf,
}

impl TestBinary {
    fn is_e2e(&self) -> bool {
        self.package == "berth" && self.kind == "test" && self.target == "e2e"
    }

    fn describe(&self) -> String {
        format!("{} {} `{}`", self.package, self.kind, self.target)
    }

    fn command(&self, env: &setup::Env, args: &[&str]) -> Command {
        let mut cmd = env.command(&self.executable.to_string_lossy());
        cmd.current_dir(&self.dir).args(args);
        cmd
    }
}

/// Builds the test binaries with `cmd` (a `cargo test --no-run`) and lists them from cargo's JSON
/// messages, in cargo's order of running them.
fn test_binaries(cmd: &mut Command) -> Result<Vec<TestBinary>, String> {
    let what = util::describe(cmd);
    let out = cmd
        .arg("--message-format=json-render-diagnostics")
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot start {what}: {e}"))?;
    let mut found: Vec<TestBinary> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|m| test_binary(&m))
        .collect();
    if !out.status.success() {
        return Err(format!(
            "{what} failed ({}): the tests could not be built",
            out.status
        ));
    }
    found.sort_by(|a, b| (&a.package, &a.kind, &a.target).cmp(&(&b.package, &b.kind, &b.target)));
    found.dedup_by(|a, b| a.executable == b.executable);
    Ok(found)
}

/// A test executable from one of cargo's JSON messages (`compiler-artifact` with an executable
/// built by the test profile), or None.
fn test_binary(m: &serde_json::Value) -> Option<TestBinary> {
    if m["reason"] != "compiler-artifact" || m["profile"]["test"] != true {
        return None;
    }
    let executable = std::path::PathBuf::from(m["executable"].as_str()?);
    let dir = std::path::Path::new(m["manifest_path"].as_str()?)
        .parent()?
        .to_path_buf();
    let package = m["package_id"].as_str().map(package_name)?;
    Some(TestBinary {
        package,
        target: m["target"]["name"].as_str()?.to_string(),
        kind: m["target"]["kind"][0].as_str()?.to_string(),
        executable,
        dir,
    })
}

/// The package's name in a package id: `path+file:///…/crates/berth-api#0.1.0` (the folder's
/// name stands for the package when the id does not repeat it) or `path+file:///…#berth-api@0.1.0`.
fn package_name(id: &str) -> String {
    let (path, fragment) = id.rsplit_once('#').unwrap_or((id, ""));
    match fragment.split_once('@') {
        Some((name, _)) => name.to_string(),
        None => path.rsplit('/').next().unwrap_or(path).to_string(),
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
    use super::{package_name, test_binary, test_result};

    #[test]
    fn test_binaries_are_read_from_cargos_messages() {
        assert_eq!(
            package_name("path+file:///w/berth/crates/berth-api#0.1.0"),
            "berth-api"
        );
        assert_eq!(package_name("path+file:///work/main#berth@0.1.0"), "berth");
        let message = serde_json::json!({
            "reason": "compiler-artifact",
            "package_id": "path+file:///work/main#berth@0.1.0",
            "manifest_path": "/work/main/Cargo.toml",
            "target": { "kind": ["test"], "name": "e2e" },
            "profile": { "test": true },
            "executable": "/work/main/target/debug/deps/e2e-0123"
        });
        let b = test_binary(&message).expect("a test binary");
        assert!(b.is_e2e());
        assert_eq!(b.dir, std::path::Path::new("/work/main"));
        let mut lib = message.clone();
        lib["target"] = serde_json::json!({ "kind": ["lib"], "name": "berth" });
        assert!(!test_binary(&lib).expect("the unit tests").is_e2e());
        // A library built for the tests, not a test: no executable.
        let mut dep = message.clone();
        dep["profile"]["test"] = false.into();
        assert!(test_binary(&dep).is_none());
        dep["profile"]["test"] = true.into();
        dep["executable"] = serde_json::Value::Null;
        assert!(test_binary(&dep).is_none());
    }

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
