use std::process::Stdio;
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};
use tokio::process::{Child, Command};

use crate::process::{announced_port, Announcements};

/// Headless Chromium behind its own chromedriver. When it is dropped, or closed, the panic check
/// runs: after the page is quiet, a Rust panic or wasm trap in its console fails the test.
pub struct Browser {
    pub client: Client,
    probe: Probe,
    /// How long the check waits for the page's requests to end: the app's request timeout, and a
    /// little more (a request still open then is hung, and the timeout fired or will not).
    quiet_limit: Duration,
    /// The session is closed and the check ran (or was skipped on purpose).
    closed: bool,
    profile: std::path::PathBuf,
    driver: Child,
    _driver_out: Announcements,
}

/// The app's default request timeout (src/api/http.rs) plus 5 s.
const DEFAULT_QUIET_LIMIT: Duration = Duration::from_secs(35);

/// Installed before any script of every page (a CDP init script): counts the page's requests in
/// flight, from the `fetch` call to its answer's headers, and each read of a body until it ends, so
/// the panic check can wait until no answer is still to land.
const COUNT_REQUESTS: &str = r#"(() => {
  if (window.__berthQuiet || typeof window.fetch !== 'function') return;
  let n = 0;
  window.__berthQuiet = { inFlight: () => n };
  const fetch = window.fetch;
  window.fetch = function (...args) {
    n += 1;
    let open = true;
    const end = () => { if (open) { open = false; n -= 1; } };
    try {
      return fetch.apply(this, args).then((r) => { end(); return r; }, (e) => { end(); throw e; });
    } catch (e) { end(); throw e; }
  };
  for (const m of ['text', 'json', 'arrayBuffer', 'blob', 'formData']) {
    const read = Response.prototype[m];
    if (typeof read !== 'function') continue;
    Response.prototype[m] = function (...args) {
      n += 1;
      let p;
      try { p = read.apply(this, args); } catch (e) { n -= 1; throw e; }
      return p.finally(() => { n -= 1; });
    };
  }
})();"#;

impl Browser {
    /// Starts chromedriver on port 0 (it binds a port the system picks and prints it) and opens a
    /// session whose pages count their requests (see `COUNT_REQUESTS`).
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
            quiet_limit: DEFAULT_QUIET_LIMIT,
            closed: false,
            profile,
            driver,
            _driver_out: driver_out,
        };
        tokio::task::spawn_blocking(move || {
            probe.command(
                "goog/cdp/execute",
                &json!({ "cmd": "Page.addScriptToEvaluateOnNewDocument", "params": { "source": COUNT_REQUESTS } }),
            )
        })
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| format!("cannot install the request counter: {e}"))?;
        Ok(browser)
    }

    /// How long the panic check waits for the page's requests: the app's request timeout (when a
    /// test set a shorter one through config.json) and a little more.
    pub fn set_request_timeout(&mut self, timeout: Duration) {
        self.quiet_limit = timeout + Duration::from_secs(2);
    }

    /// Waits until the page is quiet (no request in flight, twice in a row, or the request timeout
    /// passed), then reads the console: an error naming each panic or wasm trap logged since the
    /// last read. The check that runs when the browser is closed or dropped.
    pub async fn check_quiet_and_no_panic(&self) -> Result<(), String> {
        let probe = self.probe.clone();
        let limit = self.quiet_limit;
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

    /// Requests in flight in the page; 0 in a page without the counter (a blank page).
    fn in_flight(&self) -> Result<i64, String> {
        let script = "return window.__berthQuiet ? window.__berthQuiet.inFlight() : 0;";
        self.command("execute/sync", &json!({ "script": script, "args": [] }))
            .map(|v| v.as_i64().unwrap_or(0))
    }

    /// Waits until nothing is in flight at two reads 100 ms apart, or `limit` passed; says which.
    fn wait_quiet(&self, limit: Duration) -> Result<(), String> {
        let start = Instant::now();
        let mut quiet_reads = 0;
        let mut last = Ok(0);
        while start.elapsed() < limit {
            last = self.in_flight();
            quiet_reads = if matches!(last, Ok(0)) {
                quiet_reads + 1
            } else {
                0
            };
            if quiet_reads == 2 {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Err(format!(
            "still busy after {limit:?} (last read of requests in flight: {last:?})"
        ))
    }

    fn log(&self) -> Result<Vec<String>, String> {
        match self.command("se/log", &json!({ "type": "browser" }))? {
            Value::Array(entries) => Ok(entries.iter().map(log_line).collect()),
            other => Err(format!("unexpected browser log answer: {other}")),
        }
    }

    fn check(&self, limit: Duration) -> Result<(), String> {
        // A page still busy at the limit is read anyway: what it logged so far is checked.
        let _ = self.wait_quiet(limit);
        let lines = self.log().map_err(|e| {
            format!("cannot read the browser log (needed for the panic check): {e}")
        })?;
        let fatal = fatal_console_lines(&lines);
        if !fatal.is_empty() {
            return Err(format!(
                "the browser console shows a panic:\n{}",
                fatal.join("\n")
            ));
        }
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

/// The lines that say the app panicked or trapped.
pub fn fatal_console_lines(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .filter(|l| {
            l.contains("panicked")
                || l.contains("RuntimeError")
                || l.contains("already been disposed")
        })
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
                failure = self.probe.check(self.quiet_limit).err();
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
