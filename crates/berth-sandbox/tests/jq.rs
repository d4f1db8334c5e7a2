//! A jq filter is untrusted code: refused when it reaches outside the document, bounded in time
//! and memory when it does not end, and never able to stop or stall the server.

mod common;

use std::time::{Duration, Instant};

use common::{cpu_ticks_of_tree, enc, eventually, jq_workers, Server};

const LIST: &str = "/resource/containerapp/aws?maxResults=1000";

fn filtered(s: &Server, filter: &str) -> common::Answer {
    s.k("GET", &format!("{LIST}&jq={}", enc(filter)), None)
}

/// The state letter of process `pid` (`R` running or runnable, `S` blocked, `Z` exited but not
/// reaped), or None once it is gone.
fn process_state(pid: u32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit_once(')')?
        .1
        .split_whitespace()
        .next()?
        .chars()
        .next()
}

/// The server's jq workers that are running a filter (on a CPU or waiting for one).
fn busy_workers(server_pid: u32) -> usize {
    jq_workers(server_pid)
        .into_iter()
        .filter(|w| process_state(*w) == Some('R'))
        .count()
}

#[test]
fn names_reaching_outside_the_document_are_refused_and_the_server_lives() {
    let s = Server::start(&["--demo"]);
    for filter in [
        "halt",
        "halt_error",
        "halt_error(1)",
        "env",
        "env.HOME",
        "$ENV.PATH",
        "input",
        "[inputs]",
        "debug",
        "stderr",
        "input_filename",
        "$__loc__",
    ] {
        let e = filtered(&s, filter).expect(400).json();
        let reason = e["reason"].as_str().expect("reason");
        assert!(reason.starts_with("jq: "), "{filter}: {reason}");
        assert!(reason.contains("not allowed"), "{filter}: {reason}");
        // Still serving.
        s.k("GET", LIST, None).expect(200);
    }
    // Ordinary filters still work.
    let all = filtered(&s, "true").expect(200).json();
    assert_eq!(all["resources"].as_array().map(Vec::len), Some(5));
}

#[test]
fn filters_over_budget_answer_400_quickly_and_stop_consuming_cpu() {
    let s = Server::start(&["--demo", "--jq-budget-ms", "1500"]);
    for filter in [
        "def f: f; f",
        "[range(100000000)] | length > 0",
        "last(range(1e10))",
        "reduce range(1000000000) as $i (0; .+1)",
        "[limit(100000000; repeat(1))]",
    ] {
        let started = Instant::now();
        let e = filtered(&s, filter).expect(400).json();
        let took = started.elapsed();
        assert_eq!(e["reason"], "jq filter exceeded its budget", "{filter}");
        assert!(took < Duration::from_secs(5), "{filter}: took {took:?}");
        eprintln!("jq budget: `{filter}` answered in {took:?}");
        // Nothing keeps spinning after the answer: no worker runs, and over a second (a measure,
        // not a wait) the server and its children use next to no CPU.
        eventually(Duration::from_secs(2), || {
            (busy_workers(s.pid()) == 0).then_some(())
        });
        let before = cpu_ticks_of_tree(s.pid());
        std::thread::sleep(Duration::from_secs(1));
        let used = cpu_ticks_of_tree(s.pid()).saturating_sub(before);
        assert!(
            used < 30,
            "{filter}: {used} CPU ticks in the second after the answer"
        );
    }
    s.k("GET", LIST, None).expect(200);
}

#[test]
fn other_requests_stay_fast_while_a_hostile_filter_runs() {
    // Three jobs: the two hostile filters leave one for the ordinary ones (at the default of two,
    // they would get the budget's 429, see below).
    let s = Server::start(&["--demo", "--jq-budget-ms", "3000", "--jq-jobs", "3"]);
    let port_server = &s;
    std::thread::scope(|scope| {
        let hostile = scope.spawn(|| {
            let a = filtered(port_server, "last(range(1e10))");
            a.status
        });
        let hostile2 = scope.spawn(|| {
            let a = filtered(port_server, "def f: f; f");
            a.status
        });
        // Both hostile filters hold a job: two workers run.
        eventually(Duration::from_secs(5), || {
            (busy_workers(s.pid()) >= 2).then_some(())
        });
        let mut worst = Duration::ZERO;
        for _ in 0..10 {
            let t = Instant::now();
            s.k("GET", LIST, None).expect(200);
            worst = worst.max(t.elapsed());
            let t = Instant::now();
            let page = filtered(&s, ".status == \"active\"").expect(200).json();
            assert!(page["resources"].as_array().is_some());
            worst = worst.max(t.elapsed());
            let t = Instant::now();
            s.q("GET", "/organization", None).expect(200);
            worst = worst.max(t.elapsed());
        }
        eprintln!("slowest list while two hostile filters ran: {worst:?}");
        assert!(
            worst < Duration::from_millis(1000),
            "a list took {worst:?} while hostile filters ran"
        );
        assert_eq!(hostile.join().ok(), Some(400));
        assert_eq!(hostile2.join().ok(), Some(400));
    });
}

#[test]
fn a_worker_killed_from_outside_is_replaced() {
    let s = Server::start(&["--demo"]);
    filtered(&s, "true").expect(200);
    // The idle workers are the server's children running `__jq-worker`.
    let workers: Vec<String> = std::fs::read_dir("/proc")
        .expect("/proc")
        .flatten()
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|p| p.bytes().all(|b| b.is_ascii_digit()))
        .filter(|p| {
            let cmd = std::fs::read(format!("/proc/{p}/cmdline")).unwrap_or_default();
            let stat = std::fs::read_to_string(format!("/proc/{p}/stat")).unwrap_or_default();
            let ppid = stat
                .rsplit_once(')')
                .and_then(|(_, r)| r.split_whitespace().nth(1))
                .unwrap_or_default()
                .to_string();
            String::from_utf8_lossy(&cmd).contains("__jq-worker") && ppid == s.pid().to_string()
        })
        .collect();
    assert!(!workers.is_empty(), "an idle worker is kept");
    for w in &workers {
        let _ = std::process::Command::new("kill").args(["-9", w]).status();
    }
    // Each killed worker has exited (gone, or a zombie its server has not reaped yet).
    eventually(Duration::from_secs(5), || {
        workers
            .iter()
            .all(|w| {
                w.parse()
                    .map_or(true, |pid| matches!(process_state(pid), None | Some('Z')))
            })
            .then_some(())
    });
    let all = filtered(&s, "true").expect(200).json();
    assert_eq!(all["resources"].as_array().map(Vec::len), Some(5));
}

#[test]
fn workers_do_not_inherit_the_servers_environment() {
    let (name, value) = ("BERTH_TEST_MARKER", "secret-7d1f0c");
    let s = Server::start_with_env(&["--demo"], &[(name, value)]);
    let has_marker = |pid: u32| {
        let env = std::fs::read(format!("/proc/{pid}/environ"))
            .unwrap_or_else(|e| panic!("/proc/{pid}/environ: {e}"));
        let env = String::from_utf8_lossy(&env).to_string();
        (env.contains(name) || env.contains(value), env)
    };
    assert!(has_marker(s.pid()).0, "the server itself has the marker");
    filtered(&s, "true").expect(200);
    let workers = jq_workers(s.pid());
    assert!(!workers.is_empty(), "an idle worker is kept");
    for w in workers {
        let (leaked, env) = has_marker(w);
        assert!(!leaked, "worker {w} sees the server's environment: {env:?}");
        assert!(env.is_empty(), "worker {w} has an environment: {env:?}");
    }
}

#[test]
fn over_the_global_jq_budget_a_filter_gets_429_with_retry_after() {
    let s = Server::start(&["--demo", "--jq-jobs", "1", "--jq-budget-ms", "3000"]);
    std::thread::scope(|scope| {
        let hostile = scope.spawn(|| filtered(&s, "last(range(1e10))").status);
        // The first hostile filter holds the one job: its worker runs.
        eventually(Duration::from_secs(5), || {
            (busy_workers(s.pid()) >= 1).then_some(())
        });
        let started = Instant::now();
        let busy = filtered(&s, "def f: f; f").expect(429);
        let took = started.elapsed();
        assert!(
            took < Duration::from_millis(1500),
            "the 429 came after {took:?}"
        );
        let retry: u64 = busy
            .header("retry-after")
            .and_then(|v| v.parse().ok())
            .expect("a Retry-After in whole seconds");
        assert!((1..=3).contains(&retry), "Retry-After: {retry}");
        let e = busy.json();
        assert!(e["metadata"].is_object(), "{e}");
        let reason = e["reason"].as_str().expect("reason");
        assert!(
            reason.starts_with("jq: ") && reason.contains("budget is busy"),
            "{reason}"
        );
        // Lists without a filter do not count against the budget.
        s.k("GET", LIST, None).expect(200);
        // One worker at most: the global budget bounds the processes, so their memory too.
        assert!(jq_workers(s.pid()).len() <= 1, "{:?}", jq_workers(s.pid()));
        assert_eq!(hostile.join().ok(), Some(400));
    });
    // The job is free again once the hostile filter is stopped.
    let all = filtered(&s, "true").expect(200).json();
    assert_eq!(all["resources"].as_array().map(Vec::len), Some(5));
    assert!(jq_workers(s.pid()).len() <= 1);
}
