use std::process::Stdio;
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};
use tokio::process::{Child, Command};

use crate::process::{announced_port, Announcements};

/// Headless Chromium behind its own chromedriver. When it is dropped, or closed, the panic check
/// runs: once the page is idle (see [`Idle`]), a Rust panic or wasm trap in its console fails the
/// test, and so does a page still busy at the check's limit (naming what it was busy with).
pub struct Browser {
    pub client: Client,
    probe: Probe,
    /// How long the check waits for the page to be idle before it fails the test.
    idle_limit: Duration,
    /// The session is closed and the check ran (or was skipped on purpose).
    closed: bool,
    profile: std::path::PathBuf,
    driver: Child,
    _driver_out: Announcements,
}

/// What "idle" means for the panic check (and [`crate::Console::wait_idle`]): nothing in flight
/// (a `fetch` until its answer's headers, each read of an answer's body, each
/// `WebAssembly.instantiateStreaming` / `compileStreaming`, i.e. a screen's chunk load and its
/// compilation), no `setTimeout` due within `HORIZON`, and nothing of that started or ended (nor a
/// timeout fired) for `SETTLE`.
///
/// Idle is "nothing in flight right now, for a settle window", not "nothing ever again": a list
/// polled every 2.5 or 30 s, a followed log (2 s) or the actions poller (1, 2, 3, 5, 10 s) leave
/// a timer due later than `HORIZON` between two reads, which is idle. `setInterval` clocks (the
/// 1 s "now" of "3 min ago", the actions ticker every 250 ms) never end and are not counted; what
/// they start (a fetch) is. `requestAnimationFrame` is not counted either (a background page never
/// runs it); `SETTLE` covers the frame or two after the last answer.
pub struct Idle;

impl Idle {
    /// A timeout due within this is about to fire: the check waits for it (a debounce such as the
    /// URL write 300 ms after typing, a request queued behind a 429 for 1 s, the first poll of an
    /// action 1 s after it started). Longer timers are the next poll of something already idle.
    pub const HORIZON: Duration = Duration::from_millis(1000);
    /// How long nothing may start, end or fire: a chain (an answer whose handler sends the next
    /// request, a chunk compiled then run) never leaves the page idle for this long.
    pub const SETTLE: Duration = Duration::from_millis(300);
    /// How long the check waits for idle by default. The sandbox answers in milliseconds; a page
    /// still busy after this has a request hung or a timer loop, and the test fails naming it.
    pub const LIMIT: Duration = Duration::from_secs(10);
}

/// Installed before any script of every page (a CDP init script): tracks what the page has in
/// flight and its timers (see [`Idle`]) as `window.__berthQuiet`:
/// - `inFlight()`: how many fetches, body reads and wasm compilations are in flight;
/// - `idle(horizonMs, settleMs)`: `{ idle, busy: [what is pending], quietMs, recent: [the last
///   things that ended] }`;
/// - `compiled()`: the URLs of the wasm modules compiled so far (a chunk load's last step);
/// - `intervals()`: each live `setInterval` as `{delay, fires, lastAt}` (`performance.now()`
///   of its last run), e.g. to wait until a ticker has run after some moment.
///
/// `window.fetch` becomes an accessor: a wrapper a test assigns later (to hold or fault requests)
/// is counted too, so a request it holds is in flight for the check (the inner, already counted
/// fetch that wrapper calls synchronously is not counted twice).
///
/// It also lifts the browser's limit of 250 resource timing entries: tests count requests with
/// `performance.getEntriesByType('resource')`, and a cold screen alone can fetch that many files.
const TRACK_ACTIVITY: &str = r#"(() => {
  if (typeof performance.setResourceTimingBufferSize === 'function') performance.setResourceTimingBufferSize(100000);
  if (window.__berthQuiet || typeof window.fetch !== 'function') return;
  const now = () => performance.now();
  let last = now();
  let nextId = 1;
  const compiled = [];
  const open = new Map();
  const timers = new Map();
  const intervals = new Map();
  const recent = [];
  const begin = (what) => { const id = nextId++; open.set(id, { what, since: now() }); last = now(); return id; };
  const end = (id) => {
    const e = open.get(id);
    if (!e) return;
    open.delete(id);
    last = now();
    recent.push({ what: e.what, at: last });
    if (recent.length > 8) recent.shift();
  };
  const settleWith = (id, p) => { Promise.resolve(p).then(() => end(id), () => end(id)); return p; };
  const described = (args) => {
    const [input, init] = args;
    let url = typeof input === 'string' ? input : (input && input.url) || String(input);
    const method = (init && init.method) || (input && typeof input === 'object' && input.method) || 'GET';
    return `fetch ${String(method).toUpperCase()} ${url}`;
  };
  let depth = 0;
  const counted = (f) => function (...args) {
    if (depth > 0) return f.apply(this, args);
    const id = begin(described(args));
    depth += 1;
    let p;
    try { p = f.apply(this, args); } catch (e) { end(id); throw e; } finally { depth -= 1; }
    return settleWith(id, p);
  };
  let outer = counted(window.fetch);
  Object.defineProperty(window, 'fetch', {
    configurable: true, enumerable: true,
    get: () => outer,
    set: (f) => { outer = typeof f === 'function' ? counted(f) : f; },
  });
  for (const m of ['text', 'json', 'arrayBuffer', 'blob', 'formData']) {
    const read = Response.prototype[m];
    if (typeof read !== 'function') continue;
    Response.prototype[m] = function (...args) {
      const id = begin(`body ${m}() of ${this.url}`);
      let p;
      try { p = read.apply(this, args); } catch (e) { end(id); throw e; }
      return settleWith(id, p);
    };
  }
  if (typeof WebAssembly === 'object') {
    for (const m of ['instantiateStreaming', 'compileStreaming']) {
      const run = WebAssembly[m];
      if (typeof run !== 'function') continue;
      WebAssembly[m] = function (source, ...rest) {
        const id = begin(`WebAssembly.${m}`);
        let url = '(unknown)';
        Promise.resolve(source).then((r) => {
          if (!r || !r.url) return;
          url = r.url;
          const e = open.get(id);
          if (e) e.what += ` of ${r.url}`;
        }, () => null);
        let p;
        try { p = run.call(this, source, ...rest); } catch (e) { end(id); throw e; }
        Promise.resolve(p).then(() => { compiled.push(url); }, () => null);
        return settleWith(id, p);
      };
    }
  }
  const setT = window.setTimeout, clearT = window.clearTimeout;
  const setI = window.setInterval, clearI = window.clearInterval;
  window.setTimeout = function (cb, ms, ...rest) {
    if (typeof cb !== 'function') return setT.call(window, cb, ms, ...rest);
    const delay = Math.max(0, Number(ms) || 0);
    let id;
    const fire = function (...a) { timers.delete(id); last = now(); return cb.apply(this, a); };
    id = setT.call(window, fire, ms, ...rest);
    timers.set(id, { due: now() + delay, delay });
    return id;
  };
  window.setInterval = function (cb, ms, ...rest) {
    if (typeof cb !== 'function') return setI.call(window, cb, ms, ...rest);
    const entry = { delay: Math.max(0, Number(ms) || 0), fires: 0, lastAt: null };
    const tick = function (...a) { entry.fires += 1; entry.lastAt = now(); return cb.apply(this, a); };
    const id = setI.call(window, tick, ms, ...rest);
    intervals.set(id, entry);
    return id;
  };
  const forget = (id) => { timers.delete(id); intervals.delete(id); };
  window.clearTimeout = function (id) { forget(id); return clearT.call(window, id); };
  window.clearInterval = function (id) { forget(id); return clearI.call(window, id); };
  window.__berthQuiet = {
    inFlight: () => open.size,
    compiled: () => compiled.slice(),
    intervals: () => [...intervals.values()].map((e) => ({ ...e })),
    idle: (horizonMs, settleMs) => {
      const t = now();
      const busy = [...open.values()].map((e) => `${e.what}, for ${Math.round(t - e.since)} ms`);
      for (const x of timers.values()) {
        if (x.due - t <= horizonMs) busy.push(`a setTimeout of ${x.delay} ms, due in ${Math.round(x.due - t)} ms`);
      }
      const quietMs = Math.round(t - last);
      const ended = recent.map((e) => `${e.what}, ended ${Math.round(t - e.at)} ms ago`);
      return { idle: busy.length === 0 && quietMs >= settleMs, busy, quietMs, recent: ended };
    },
  };
})();"#;

/// The script that reads [`Idle`] in the page: `{idle, busy, quietMs, recent}`, or `{idle: true,
/// untracked: true}` in a page without the tracker (a blank page, a page that is not the app's).
pub(crate) fn idle_script() -> String {
    format!(
        "return window.__berthQuiet ? window.__berthQuiet.idle({}, {}) : {{ idle: true, untracked: true }};",
        Idle::HORIZON.as_millis(),
        Idle::SETTLE.as_millis()
    )
}

/// Why a page is not idle, from an answer of [`idle_script`].
pub(crate) fn describe_busy(state: &Value) -> String {
    let list = |k: &str| -> Vec<String> {
        state[k]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(String::from))
            .collect()
    };
    let busy = list("busy");
    if busy.is_empty() {
        format!(
            "nothing pending at the last read, but activity {} ms before it (the last things that ended: {})",
            state["quietMs"],
            list("recent").join("; ")
        )
    } else {
        format!("pending: {}", busy.join("; "))
    }
}

impl Browser {
    /// Starts chromedriver on port 0 (it binds a port the system picks and prints it) and opens a
    /// session whose pages track what they have in flight (see `TRACK_ACTIVITY`).
    pub async fn start() -> Browser {
        match Browser::try_start().await {
            Ok(browser) => browser,
            Err(e) => panic!("cannot open a Chromium session through chromedriver: {e}"),
        }
    }

    async fn try_start() -> Result<Browser, String> {
        let driver_bin = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
        let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let mut driver = Command::new(&driver_bin)
            .arg("--port=0")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("cannot start {driver_bin}: {e}"))?;
        // "ChromeDriver was started successfully on port 41235."
        let (port, driver_out) =
            announced_port(&mut driver, &driver_bin, Duration::from_secs(30), |l| {
                let rest = l.split("started successfully on port ").nth(1)?;
                let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
                digits.parse().ok().filter(|p| *p != 0)
            })
            .await?;
        let profile =
            std::env::temp_dir().join(format!("berth-chromium-{}-{port}", std::process::id()));
        let args = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--no-first-run",
            "--window-size=1280,900",
        ]
        .iter()
        .map(|s| s.to_string())
        .chain([format!("--user-data-dir={}", profile.display())])
        .collect::<Vec<_>>();
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({ "binary": chromium, "args": args }),
        );
        // Keep the page's console (and uncaught errors) for the panic check.
        caps.insert("goog:loggingPrefs".into(), json!({ "browser": "ALL" }));
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await;
        let client = match client {
            Ok(client) => client,
            Err(e) => {
                let _ = std::fs::remove_dir_all(&profile);
                return Err(format!("session on port {port}: {e}"));
            }
        };
        let session = client
            .session_id()
            .await
            .ok()
            .flatten()
            .ok_or("chromedriver gave no session id")?;
        let probe = Probe { port, session };
        let browser = Browser {
            client,
            probe: probe.clone(),
            idle_limit: Idle::LIMIT,
            closed: false,
            profile,
            driver,
            _driver_out: driver_out,
        };
        tokio::task::spawn_blocking(move || {
            probe.command(
                "goog/cdp/execute",
                &json!({ "cmd": "Page.addScriptToEvaluateOnNewDocument", "params": { "source": TRACK_ACTIVITY } }),
            )
        })
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| format!("cannot install the activity tracker: {e}"))?;
        Ok(browser)
    }

    /// The app's request timeout, when a test set a shorter or longer one through config.json: a
    /// request it leaves hanging on purpose ends by then, so the check waits for that and a little
    /// more if it is longer than [`Idle::LIMIT`].
    pub fn set_request_timeout(&mut self, timeout: Duration) {
        self.idle_limit = Idle::LIMIT.max(timeout + Duration::from_secs(2));
    }

    /// How long the check waits for the page to be idle before it fails (default [`Idle::LIMIT`]).
    pub fn set_idle_limit(&mut self, limit: Duration) {
        self.idle_limit = limit;
    }

    /// Waits until the page is idle (see [`Idle`]), then reads the console: an error naming each
    /// panic or wasm trap logged since the last read, or, if the page was still busy at the limit,
    /// what it was busy with. The check that runs when the browser is closed or dropped.
    pub async fn check_quiet_and_no_panic(&self) -> Result<(), String> {
        let probe = self.probe.clone();
        let limit = self.idle_limit;
        tokio::task::spawn_blocking(move || probe.check(limit))
            .await
            .map_err(|e| format!("the panic check did not run: {e}"))?
    }

    /// Runs `source` in every document this session loads from now on, before the page's own
    /// scripts (e.g. a fetch wrapper that holds the requests a test wants to delay).
    pub async fn add_init_script(&self, source: &str) {
        let probe = self.probe.clone();
        let params = json!({ "cmd": "Page.addScriptToEvaluateOnNewDocument", "params": { "source": source } });
        let added = tokio::task::spawn_blocking(move || probe.command("goog/cdp/execute", &params))
            .await
            .map_err(|e| e.to_string())
            .and_then(|r| r);
        if let Err(e) = added {
            panic!("cannot add an init script: {e}");
        }
    }

    /// Sends one Chrome DevTools Protocol command to the page (chromedriver's `goog/cdp/execute`)
    /// and answers its result, e.g. `HeapProfiler.collectGarbage` or `Runtime.getHeapUsage`.
    pub async fn cdp(&self, cmd: &str, params: Value) -> Result<Value, String> {
        let probe = self.probe.clone();
        let body = json!({ "cmd": cmd, "params": params });
        tokio::task::spawn_blocking(move || probe.command("goog/cdp/execute", &body))
            .await
            .map_err(|e| e.to_string())?
            .map_err(|e| format!("{cmd}: {e}"))
    }

    /// Runs the panic check, ends the session, and fails if the check found a panic.
    pub async fn close(mut self) {
        let checked = self.check_quiet_and_no_panic().await;
        self.closed = true;
        let _ = self.client.clone().close().await;
        if let Err(e) = checked {
            panic!("{e}");
        }
    }

    /// Ends the session without the panic check: for a test that ran the check itself and expects
    /// its failure.
    pub async fn close_unchecked(mut self) {
        self.closed = true;
        let _ = self.client.clone().close().await;
    }
}

/// The session as plain WebDriver calls over std TCP, usable from `Drop` (no async runtime).
#[derive(Clone)]
struct Probe {
    port: u16,
    session: String,
}

impl Probe {
    /// `POST /session/{id}/{path}` with `body`; the answer's `value`.
    fn command(&self, path: &str, body: &Value) -> Result<Value, String> {
        let path = format!("/session/{}/{path}", self.session);
        let (status, text) = webdriver_call(self.port, "POST", &path, &body.to_string())?;
        let value = serde_json::from_str::<Value>(&text)
            .map(|mut v| v["value"].take())
            .unwrap_or(Value::Null);
        if status == 200 {
            Ok(value)
        } else {
            Err(format!("HTTP {status}: {value}"))
        }
    }

    /// Waits until the page is idle (see [`Idle`]) or `limit` passed; the error says what was
    /// still pending at the last read.
    fn wait_idle(&self, limit: Duration) -> Result<(), String> {
        let start = Instant::now();
        let script = idle_script();
        let last = loop {
            let read = self.command("execute/sync", &json!({ "script": script, "args": [] }));
            if matches!(&read, Ok(state) if state["idle"] == true) {
                return Ok(());
            }
            if start.elapsed() >= limit {
                break read;
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        Err(match last {
            Ok(state) => format!(
                "the page was still busy {limit:?} after the test ended ({})",
                describe_busy(&state)
            ),
            Err(e) => format!("cannot tell whether the page is idle: {e}"),
        })
    }

    fn log(&self) -> Result<Vec<String>, String> {
        match self.command("se/log", &json!({ "type": "browser" }))? {
            Value::Array(entries) => Ok(entries.iter().map(log_line).collect()),
            other => Err(format!("unexpected browser log answer: {other}")),
        }
    }

    /// Waits for idle, then reads the console. A panic fails the check, and so does a page still
    /// busy at `limit` (its log is read anyway, so a panic logged so far is named too).
    fn check(&self, limit: Duration) -> Result<(), String> {
        let idle = self.wait_idle(limit);
        let lines = self.log().map_err(|e| {
            format!("cannot read the browser log (needed for the panic check): {e}")
        })?;
        let fatal = fatal_console_lines(&lines);
        if !fatal.is_empty() {
            let busy = idle.err().map(|e| format!("\n({e})")).unwrap_or_default();
            return Err(format!(
                "the browser console shows a panic:\n{}{busy}",
                fatal.join("\n")
            ));
        }
        idle?;
        self.no_secret_left(&lines)
    }

    /// No secret value the test typed is in web storage, the URL or the console.
    fn no_secret_left(&self, console: &[String]) -> Result<(), String> {
        let secrets = crate::secrets::take(&self.session);
        if secrets.is_empty() {
            return Ok(());
        }
        let script = "const dump = (s) => { const o = {}; for (let i = 0; i < s.length; i++) { const k = s.key(i); o[k] = s.getItem(k); } return JSON.stringify(o); }; \
                      return [dump(localStorage), dump(sessionStorage), location.href];";
        let found = self.command("execute/sync", &json!({ "script": script, "args": [] }))?;
        let text = |i: usize| found[i].as_str().unwrap_or_default().to_string();
        let places = [
            ("localStorage", text(0)),
            ("sessionStorage", text(1)),
            ("the URL", text(2)),
            ("the browser console", console.join("\n")),
        ];
        let leaks = crate::secrets::leaks(&secrets, &places);
        if leaks.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "a secret the test typed was left: {}",
                leaks.join(", ")
            ))
        }
    }

    fn delete(&self) {
        let _ = webdriver_call(
            self.port,
            "DELETE",
            &format!("/session/{}", self.session),
            "",
        );
    }
}

/// One WebDriver call to chromedriver on 127.0.0.1:`port`: status and body. The body is read to
/// its Content-Length: chromedriver answers `Connection: close` but keeps the connection open.
fn webdriver_call(
    port: u16,
    method: &str,
    path: &str,
    body: &str,
) -> Result<(u16, String), String> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(Duration::from_secs(60)))
        .map_err(|e| e.to_string())?;
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    s.write_all(request.as_bytes()).map_err(|e| e.to_string())?;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_string();
            let length = head.lines().find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.trim()
                    .eq_ignore_ascii_case("content-length")
                    .then(|| v.trim().parse::<usize>().ok())?
            });
            if let Some(length) = length {
                if buf.len() >= end + 4 + length {
                    let status = head
                        .split_whitespace()
                        .nth(1)
                        .and_then(|c| c.parse().ok())
                        .ok_or("no status line")?;
                    let text = String::from_utf8_lossy(&buf[end + 4..end + 4 + length]);
                    return Ok((status, text.to_string()));
                }
            }
        }
        let n = s.read(&mut chunk).map_err(|e| format!("read: {e}"))?;
        if n == 0 {
            return Err("chromedriver closed the connection mid-answer".into());
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

fn log_line(e: &Value) -> String {
    format!(
        "{} {}",
        e["level"].as_str().unwrap_or("?"),
        e["message"].as_str().unwrap_or_default()
    )
}

/// The browser console lines logged since the last call (chromedriver hands each line once).
pub async fn browser_log(client: &Client) -> Vec<String> {
    match try_browser_log(client).await {
        Ok(lines) => lines,
        Err(e) => panic!("cannot read the browser log (needed for the panic check): {e}"),
    }
}

/// As [`browser_log`], an error instead of a panic.
pub(crate) async fn try_browser_log(
    client: &Client,
) -> Result<Vec<String>, fantoccini::error::CmdError> {
    match client.issue_cmd(BrowserLog).await? {
        Value::Array(entries) => Ok(entries.iter().map(log_line).collect()),
        other => Ok(vec![format!("unexpected browser log answer: {other}")]),
    }
}

/// What marks a console line as fatal: a Rust panic, a wasm trap (`RuntimeError: unreachable`,
/// or `unreachable` alone as some traps and `unreachable!()` print it), and reactive values used
/// after their owner was disposed (leptos warns "… has already been disposed").
pub const FATAL_MARKS: [&str; 4] = [
    "panicked",
    "RuntimeError",
    "unreachable",
    "already been disposed",
];

/// The lines that say the app panicked or trapped (see [`FATAL_MARKS`]).
pub fn fatal_console_lines(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .filter(|l| FATAL_MARKS.iter().any(|m| l.contains(m)))
        .cloned()
        .collect()
}

/// chromedriver's `POST /session/{id}/se/log` with `{"type": "browser"}`.
#[derive(Debug)]
struct BrowserLog;

impl fantoccini::wd::WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/se/log",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (::http::Method, Option<String>) {
        (::http::Method::POST, Some(r#"{"type":"browser"}"#.into()))
    }
}

impl Drop for Browser {
    /// A test that did not close the browser is checked here, whether it returned or not; one
    /// that is failing already is not (its own message comes first).
    fn drop(&mut self) {
        let mut failure = None;
        if !self.closed {
            if !std::thread::panicking() {
                failure = self.probe.check(self.idle_limit).err();
            }
            self.probe.delete();
        }
        let _ = self.driver.start_kill();
        let _ = std::fs::remove_dir_all(&self.profile);
        if let Some(e) = failure {
            panic!("{e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{describe_busy, fatal_console_lines};
    use serde_json::json;

    #[test]
    fn every_fatal_mark_fails_and_ordinary_lines_do_not() {
        let lines: Vec<String> = [
            "SEVERE panicked at src/pages/x.rs:1:1: boom",
            "SEVERE Uncaught RuntimeError: memory access out of bounds",
            "SEVERE wasm trap: unreachable",
            "WARNING At src/x.rs:3, you access a signal that has already been disposed",
            "INFO Failed to load resource: net::ERR_ADDRESS_UNREACHABLE",
            "WARNING a plain warning",
        ]
        .map(String::from)
        .to_vec();
        let fatal = fatal_console_lines(&lines);
        assert_eq!(fatal, lines[..4].to_vec());
    }

    #[test]
    fn a_busy_page_is_described_by_what_it_has_pending() {
        let pending = json!({ "idle": false, "quietMs": 12, "recent": [],
            "busy": ["fetch GET http://127.0.0.1:1/api/qovery/organization, for 2000 ms"] });
        let said = describe_busy(&pending);
        assert!(said.contains("/api/qovery/organization"), "{said}");
        let restless = json!({ "idle": false, "quietMs": 40, "busy": [],
            "recent": ["fetch GET /a, ended 40 ms ago"] });
        let said = describe_busy(&restless);
        assert!(
            said.contains("40 ms") && said.contains("fetch GET /a"),
            "{said}"
        );
    }
}
