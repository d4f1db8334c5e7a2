//! Kopernik's `jq` list filter: jq 1.7 semantics through jaq, applied to each resource's JSON. A
//! resource is kept when any output of the filter is truthy (neither `false` nor `null`); a
//! runtime error on one resource (e.g. `test` on a number) counts as not truthy for it.
//!
//! A filter is untrusted code. jaq cannot be interrupted once it recurses without yielding, so
//! the server never runs jaq itself: filters are compiled and evaluated in worker processes (this
//! binary re-executed as `berth-sandbox __jq-worker`, see [`worker_main`]) with a memory cap
//! (`RLIMIT_AS`), a deadline enforced twice (a watchdog thread in the worker, and the server
//! killing the worker), and a capped answer. Natives that reach outside the document (`halt`,
//! `env`, `input`, `debug`, `stderr`, ...) are not registered at all.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use jaq_core::load::{Arena, File, Loader};
use jaq_core::{data, Compiler, Ctx, Vars};
use jaq_json::read;
use serde::{Deserialize, Serialize};

pub use jaq_json::Val;

/// The longest filter accepted, in bytes (a 400 beyond).
pub const MAX_FILTER_LEN: usize = 4096;
/// The answer to a filter that runs out of time or memory.
pub const BUDGET_EXCEEDED: &str = "jq filter exceeded its budget";
/// The largest frame either side accepts (one document, or one answer).
const MAX_FRAME: usize = 64 << 20;

/// Names a filter may not use: they read or write outside the document (process exit, the
/// server's environment, other inputs, the server's log), or do not exist in this jq.
pub const REFUSED: &[&str] = &[
    "halt",
    "halt_error",
    "env",
    "$ENV",
    "ENV",
    "input",
    "inputs",
    "input_filename",
    "input_line_number",
    "debug",
    "stderr",
    "stderr_empty",
    "debug_empty",
    "$__loc__",
    "__loc__",
    "$__prog_args",
    "get_search_list",
    "get_prog_origin",
    "get_jq_origin",
    "splits_with_input",
    "localtime",
    "strflocaltime",
];

/// Natives removed from jaq's library (the definitions that use them go too).
const REFUSED_NATIVES: &[&str] = &[
    "halt",
    "env",
    "input",
    "inputs",
    "debug_empty",
    "stderr_empty",
    "localtime",
    "strflocaltime",
];
const REFUSED_DEFS: &[&str] = &["halt", "halt_error", "stderr", "debug"];

/// Decodes a document for filtering.
pub fn parse(json: &[u8]) -> Option<Val> {
    read::parse_single(json).ok()
}

fn refused_message(name: &str) -> String {
    format!(
        "jq: `{name}` is not allowed: a filter may only read the resource it is given (no \
         halt, env, $ENV, input, debug, stderr or other access outside the document)"
    )
}

/// Compiles a filter with the restricted library; the error names jq and says what is wrong.
pub fn compile(code: &str) -> Result<impl Fn(&Val) -> bool, String> {
    if code.len() > MAX_FILTER_LEN {
        return Err(format!(
            "jq: the filter is longer than {MAX_FILTER_LEN} characters"
        ));
    }
    let defs = jaq_core::defs()
        .chain(jaq_std::defs())
        .chain(jaq_json::defs())
        .filter(|d| !REFUSED_DEFS.contains(&d.name));
    let funs = jaq_core::funs()
        .chain(jaq_std::funs())
        .chain(jaq_json::funs())
        .filter(|(name, _, _)| !REFUSED_NATIVES.contains(name));
    let arena = Arena::default();
    let at = |rest: &str| code.len().saturating_sub(rest.len()) + 1;
    let modules = Loader::new(defs)
        .load(&arena, File { code, path: () })
        .map_err(|errs| {
            let mut msgs = Vec::new();
            for (_, e) in errs {
                match e {
                    jaq_core::load::Error::Lex(v) => msgs.extend(v.iter().map(|(exp, rest)| {
                        format!("expected {} at character {}", exp.as_str(), at(rest))
                    })),
                    jaq_core::load::Error::Parse(v) => msgs.extend(v.iter().map(|(exp, rest)| {
                        format!("expected {} at character {}", exp.as_str(), at(rest))
                    })),
                    jaq_core::load::Error::Io(v) => msgs.extend(v.iter().map(|(_, m)| m.clone())),
                }
            }
            format!("jq: syntax error in the filter: {}", msgs.join("; "))
        })?;
    let filter = Compiler::default()
        .with_funs(funs)
        .compile(modules)
        .map_err(|errs| {
            let names: Vec<(String, String)> = errs
                .iter()
                .flat_map(|(_, v)| {
                    v.iter()
                        .map(|(name, undef)| (name.to_string(), describe(undef)))
                })
                .collect();
            if let Some((name, _)) = names.iter().find(|(n, _)| {
                REFUSED.contains(&n.as_str()) || REFUSED.contains(&format!("${n}").as_str())
            }) {
                return refused_message(name);
            }
            let msgs: Vec<String> = names
                .iter()
                .map(|(name, what)| format!("undefined {what} `{name}`"))
                .collect();
            format!("jq: the filter does not compile: {}", msgs.join("; "))
        })?;
    Ok(move |input: &Val| {
        let ctx = Ctx::<data::JustLut<Val>>::new(&filter.lut, Vars::new([]));
        // Any error (a runtime error, or anything else jaq reports) counts as not truthy.
        let truthy = filter
            .id
            .run((ctx, input.clone()))
            .any(|out| matches!(out, Ok(v) if jaq_core::ValT::as_bool(&v)));
        truthy
    })
}

fn describe(u: &jaq_core::compile::Undefined) -> String {
    use jaq_core::compile::Undefined;
    match u {
        Undefined::Mod => "module".into(),
        Undefined::Var => "variable".into(),
        Undefined::Label => "label".into(),
        Undefined::Filter(arity) => format!("filter (with {arity} argument(s))"),
        _ => "symbol".into(),
    }
}

// ---------------------------------------------------------------------------------------------
// The wire between the server and a worker: frames of a big-endian u32 length and that many bytes.

/// One evaluation: keep the indices (from `start`) of documents the filter keeps, at most `want`.
#[derive(Serialize, Deserialize)]
struct Request {
    /// Names the document set (kind, parent and database generation): a worker keeps the last few.
    key: String,
    /// None: only load the documents that follow.
    filter: Option<String>,
    start: usize,
    want: usize,
    /// How many document frames follow (only when the worker asked for them).
    docs: Option<usize>,
}

#[derive(Serialize, Deserialize)]
enum Answer {
    Kept(Vec<usize>),
    /// A 400 message (syntax error, refused name).
    Refused(String),
    /// The worker does not hold `key`: send the documents.
    NeedDocs,
}

fn write_frame(w: &mut impl Write, bytes: &[u8]) -> std::io::Result<()> {
    let len = u32::try_from(bytes.len())
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidData, "frame too large"))?;
    w.write_all(&len.to_be_bytes())?;
    w.write_all(bytes)
}

fn read_frame(r: &mut impl Read) -> std::io::Result<Vec<u8>> {
    let mut len = [0u8; 4];
    r.read_exact(&mut len)?;
    let len = u32::from_be_bytes(len) as usize;
    if len > MAX_FRAME {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "frame too large",
        ));
    }
    let mut buf = vec![0u8; len];
    r.read_exact(&mut buf)?;
    Ok(buf)
}

fn now_ms() -> u64 {
    crate::engine::now_ms().max(0) as u64
}

/// `berth-sandbox __jq-worker --memory-mb N --budget-ms N`: answers requests on stdin until it
/// closes. Never returns normally while the parent lives.
pub fn worker_main(args: &[String]) -> std::process::ExitCode {
    let mut memory_mb: u64 = 512;
    let mut budget_ms: u64 = 2000;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let v = it.next().and_then(|v| v.parse().ok());
        match (a.as_str(), v) {
            ("--memory-mb", Some(v)) => memory_mb = v,
            ("--budget-ms", Some(v)) => budget_ms = v,
            _ => return std::process::ExitCode::from(2),
        }
    }
    limit_memory(memory_mb);
    // Below the server's own threads: a filter spinning on every core must not slow the answers
    // to everything else. SAFETY: nice only changes this process's priority.
    unsafe {
        libc::nice(10);
    }
    // The watchdog: past the deadline of the evaluation in progress, the worker ends itself
    // (even if the server that should kill it is gone).
    let deadline = Arc::new(AtomicU64::new(0));
    {
        let deadline = deadline.clone();
        let spawned = std::thread::Builder::new()
            .name("jq-watchdog".into())
            .stack_size(64 * 1024)
            .spawn(move || loop {
                std::thread::sleep(Duration::from_millis(10));
                let d = deadline.load(Ordering::SeqCst);
                if d != 0 && now_ms() > d {
                    // SAFETY: `_exit` ends the process at once; nothing is left half-written
                    // that the server relies on (it treats a vanished worker as over budget).
                    unsafe { libc::_exit(3) };
                }
            });
        if spawned.is_err() {
            return std::process::ExitCode::from(4);
        }
    }
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let mut input = stdin.lock();
    let mut output = std::io::BufWriter::new(stdout.lock());
    let mut sets: Vec<(String, Vec<Option<Val>>)> = Vec::new();
    loop {
        let Ok(frame) = read_frame(&mut input) else {
            return std::process::ExitCode::SUCCESS;
        };
        let Ok(req) = serde_json::from_slice::<Request>(&frame) else {
            return std::process::ExitCode::from(5);
        };
        if let Some(n) = req.docs {
            // An older snapshot of the same list is stale: drop it first, and keep at most three
            // lists (their memory counts against the worker's cap).
            let family = |k: &str| k.split('#').next().unwrap_or_default().to_string();
            sets.retain(|(k, _)| family(k) != family(&req.key));
            if sets.len() >= 3 {
                sets.remove(0);
            }
            let mut docs = Vec::with_capacity(n.min(1 << 20));
            for _ in 0..n {
                let Ok(doc) = read_frame(&mut input) else {
                    return std::process::ExitCode::from(5);
                };
                docs.push(parse(&doc));
            }
            sets.push((req.key.clone(), docs));
        }
        deadline.store(now_ms() + budget_ms, Ordering::SeqCst);
        let answer = match (sets.iter().find(|(k, _)| *k == req.key), &req.filter) {
            (_, None) => Answer::Kept(Vec::new()),
            (None, Some(_)) => Answer::NeedDocs,
            (Some((_, docs)), Some(filter)) => match compile(filter) {
                Err(e) => Answer::Refused(e),
                Ok(keep) => Answer::Kept(
                    docs.iter()
                        .enumerate()
                        .skip(req.start)
                        .filter(|(_, d)| d.as_ref().is_some_and(&keep))
                        .map(|(i, _)| i)
                        .take(req.want)
                        .collect(),
                ),
            },
        };
        deadline.store(0, Ordering::SeqCst);
        let Ok(bytes) = serde_json::to_vec(&answer) else {
            return std::process::ExitCode::from(5);
        };
        if write_frame(&mut output, &bytes)
            .and_then(|()| output.flush())
            .is_err()
        {
            return std::process::ExitCode::SUCCESS;
        }
    }
}

/// Caps the worker's address space: a filter that builds a huge value fails to allocate and the
/// worker dies, instead of the machine swapping.
fn limit_memory(mb: u64) {
    let bytes = mb.saturating_mul(1 << 20) as libc::rlim_t;
    let limit = libc::rlimit {
        rlim_cur: bytes,
        rlim_max: bytes,
    };
    // SAFETY: setrlimit only reads the struct it is given.
    unsafe {
        libc::setrlimit(libc::RLIMIT_AS, &limit);
    }
}

// ---------------------------------------------------------------------------------------------
// The server's side: a small pool of workers.

/// Why a filter gave no answer.
#[derive(Debug)]
pub enum JqError {
    /// The filter is refused or does not compile: a 400 with this message.
    Refused(String),
    /// Over time or memory: a 400 `jq filter exceeded its budget`.
    Budget,
    /// The global jq budget (`--jq-jobs` filters at once) is taken: a 429, with `Retry-After`
    /// these seconds (by then every filter running now has ended or been stopped).
    Busy { retry_after_secs: u64 },
    /// The worker could not be started: a 500.
    Internal(String),
}

struct Worker {
    child: tokio::process::Child,
    stdin: tokio::process::ChildStdin,
    stdout: tokio::process::ChildStdout,
}

/// The workers, within one global budget: at most `jobs` filters evaluated at once, each worker
/// capped at `memory_mb` of address space. A worker is either evaluating (holding one of the
/// `jobs` slots) or idle, and one is started only when none is idle, so at most `jobs` workers
/// exist: together they use at most `jobs` cores and `jobs × memory_mb`.
pub struct Pool {
    exe: PathBuf,
    pub budget: Duration,
    memory_mb: u64,
    jobs: usize,
    idle: std::sync::Mutex<Vec<Worker>>,
    slots: tokio::sync::Semaphore,
}

/// Idle workers kept for the next filter (never more than `jobs`).
const KEEP_IDLE: usize = 2;
/// How long a filter waits for a slot before the 429 (absorbs a burst of quick filters).
const QUEUE_WAIT: Duration = Duration::from_millis(250);
/// How long a worker may take to load a set of documents.
const LOAD_TIME: Duration = Duration::from_secs(30);

impl Pool {
    pub fn new(budget: Duration, memory_mb: u64, jobs: usize) -> Result<Pool, String> {
        let exe = std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?;
        let jobs = jobs.max(1);
        Ok(Pool {
            exe,
            budget,
            memory_mb,
            jobs,
            idle: std::sync::Mutex::new(Vec::new()),
            slots: tokio::sync::Semaphore::new(jobs),
        })
    }

    /// Filters evaluated at once at most.
    pub fn jobs(&self) -> usize {
        self.jobs
    }

    fn spawn(&self) -> Result<Worker, JqError> {
        // The worker needs nothing from the environment (its limits come as arguments), and a
        // filter must not reach the server's secrets through it: it starts with none.
        let mut child = tokio::process::Command::new(&self.exe)
            .env_clear()
            .arg("__jq-worker")
            .arg("--memory-mb")
            .arg(self.memory_mb.to_string())
            .arg("--budget-ms")
            .arg(self.budget.as_millis().to_string())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| JqError::Internal(format!("cannot start a jq worker: {e}")))?;
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            return Err(JqError::Internal("jq worker without pipes".into()));
        };
        Ok(Worker {
            child,
            stdin,
            stdout,
        })
    }

    /// An idle worker that is still alive, or a new one (`true`: it has no documents yet).
    fn take(&self) -> Result<(Worker, bool), JqError> {
        loop {
            let idle = self.idle.lock().unwrap_or_else(|p| p.into_inner()).pop();
            match idle {
                Some(mut w) => {
                    if matches!(w.child.try_wait(), Ok(None)) {
                        return Ok((w, false));
                    }
                    // Gone (killed from outside): dropped, try the next.
                }
                None => return self.spawn().map(|w| (w, true)),
            }
        }
    }

    fn give_back(&self, w: Worker) {
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        if idle.len() < KEEP_IDLE.min(self.jobs) {
            idle.push(w);
        }
        // Otherwise dropped: kill_on_drop ends it and tokio reaps it.
    }

    /// The filter's own exchange, within its budget.
    async fn ask(
        &self,
        w: &mut Worker,
        req: &Request,
    ) -> Result<std::io::Result<Answer>, tokio::time::error::Elapsed> {
        tokio::time::timeout(self.budget, exchange(w, req, &[] as &[&[u8]])).await
    }

    /// The indices (from `start`, at most `want`) of `docs` that `filter` keeps. `key` must change
    /// whenever `docs` does.
    pub async fn filter(
        &self,
        key: &str,
        docs: &[impl AsRef<[u8]>],
        filter: &str,
        start: usize,
        want: usize,
    ) -> Result<Vec<usize>, JqError> {
        if filter.len() > MAX_FILTER_LEN {
            return Err(JqError::Refused(format!(
                "jq: the filter is longer than {MAX_FILTER_LEN} characters"
            )));
        }
        // The slot is held until the worker is back in the pool or stopped (see `Pool`).
        let busy = JqError::Busy {
            retry_after_secs: self.budget.as_millis().div_ceil(1000).max(1) as u64,
        };
        let _slot =
            match tokio::time::timeout(QUEUE_WAIT.min(self.budget), self.slots.acquire()).await {
                Ok(Ok(slot)) => slot,
                Ok(Err(_)) | Err(_) => return Err(busy),
            };
        let (mut worker, fresh) = self.take()?;
        let req = Request {
            key: key.to_string(),
            filter: Some(filter.to_string()),
            start,
            want,
            docs: None,
        };
        // A fresh worker has nothing loaded; an idle one answers `NeedDocs` when its documents are
        // stale. Starting a process and loading documents are the server's own work, not the
        // filter's: they get their own (generous) time, then the filter gets its whole budget.
        let mut outcome = if fresh {
            Ok(Ok(Answer::NeedDocs))
        } else {
            self.ask(&mut worker, &req).await
        };
        if matches!(outcome, Ok(Ok(Answer::NeedDocs))) {
            let load = Request {
                key: key.to_string(),
                filter: None,
                start: 0,
                want: 0,
                docs: Some(docs.len()),
            };
            let loaded = tokio::time::timeout(LOAD_TIME, exchange(&mut worker, &load, docs)).await;
            if !matches!(loaded, Ok(Ok(Answer::Kept(_)))) {
                stop(worker).await;
                return Err(JqError::Internal(
                    "a jq worker could not load the resources".into(),
                ));
            }
            outcome = self.ask(&mut worker, &req).await;
        }
        match outcome {
            Ok(Ok(Answer::Kept(kept))) => {
                self.give_back(worker);
                Ok(kept)
            }
            Ok(Ok(Answer::Refused(msg))) => {
                self.give_back(worker);
                Err(JqError::Refused(msg))
            }
            Ok(Ok(Answer::NeedDocs)) => {
                stop(worker).await;
                Err(JqError::Internal("jq worker lost its documents".into()))
            }
            // Timed out, or the worker died (out of memory, stack overflow, its own watchdog):
            // either way it is over budget. Kill it so it stops consuming CPU.
            Ok(Err(_)) | Err(_) => {
                stop(worker).await;
                Err(JqError::Budget)
            }
        }
    }
}

async fn stop(mut w: Worker) {
    let _ = w.child.start_kill();
    let _ = w.child.wait().await;
}

async fn exchange(
    w: &mut Worker,
    req: &Request,
    docs: &[impl AsRef<[u8]>],
) -> std::io::Result<Answer> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let header = serde_json::to_vec(req)?;
    let mut buf = Vec::with_capacity(header.len() + 4);
    write_frame(&mut buf, &header)?;
    w.stdin.write_all(&buf).await?;
    if req.docs.is_some() {
        let mut chunk = Vec::with_capacity(1 << 16);
        for d in docs {
            write_frame(&mut chunk, d.as_ref())?;
            if chunk.len() >= 1 << 16 {
                w.stdin.write_all(&chunk).await?;
                chunk.clear();
            }
        }
        w.stdin.write_all(&chunk).await?;
    }
    w.stdin.flush().await?;
    let mut len = [0u8; 4];
    w.stdout.read_exact(&mut len).await?;
    let len = u32::from_be_bytes(len) as usize;
    // The answer is at most a list of indices: anything larger is not a worker's answer.
    if len > 1 << 20 {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "jq answer too large",
        ));
    }
    let mut body = vec![0u8; len];
    w.stdout.read_exact(&mut body).await?;
    Ok(serde_json::from_slice(&body)?)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn filters_like_jq() {
        let app = json!({"name": "web-1", "status": "active", "machine": {"ipv4": [{"address": "203.0.113.1"}]}, "n": 3});
        let text = app.to_string();
        let val = super::parse(text.as_bytes()).expect("valid JSON");
        let keep = |code: &str| super::compile(code).map(|f| f(&val));
        assert_eq!(keep(".status == \"active\""), Ok(true));
        assert_eq!(keep(".name | test(\"^web\")"), Ok(true));
        assert_eq!(keep(".name | startswith(\"db\")"), Ok(false));
        assert_eq!(keep(".missing"), Ok(false));
        assert_eq!(keep(".machine.ipv4 | length > 0"), Ok(true));
        assert_eq!(
            keep(".n | test(\"x\")"),
            Ok(false),
            "a runtime error is not truthy"
        );
        assert_eq!(keep("select(.n > 2) | .name"), Ok(true));
        assert_eq!(
            keep("getpath([\"machine\", \"ipv4\"]) | length == 1"),
            Ok(true)
        );
        assert_eq!(keep("error(\"x\")"), Ok(false));
    }

    #[test]
    fn syntax_errors_say_where() {
        let e = super::compile(".name | test(")
            .err()
            .expect("a syntax error");
        assert!(e.starts_with("jq: syntax error in the filter"), "{e}");
        let e = super::compile("nosuchfn(1)")
            .err()
            .expect("a compile error");
        assert!(e.contains("nosuchfn"), "{e}");
    }

    #[test]
    fn names_reaching_outside_the_document_are_refused() {
        for code in [
            "halt",
            "halt_error",
            "halt_error(1)",
            "env",
            "env.HOME",
            "$ENV",
            "$ENV.PATH",
            "input",
            "[inputs]",
            "debug",
            "debug(\"x\")",
            "stderr",
            "input_filename",
            "$__loc__",
            ". as $x | localtime",
        ] {
            let e = super::compile(code)
                .err()
                .unwrap_or_else(|| panic!("`{code}` must be refused"));
            assert!(e.starts_with("jq: "), "{code}: {e}");
            assert!(e.contains("not allowed"), "{code}: {e}");
        }
        let long = ".a".repeat(super::MAX_FILTER_LEN);
        assert!(super::compile(&long).is_err());
    }
}
