use std::process::Stdio;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use tokio::process::{Child, Command};

use crate::process::{free_port, port_opens};

/// Headless Chromium behind its own chromedriver; both end when dropped (call `close` to end the
/// WebDriver session cleanly first).
pub struct Browser {
    pub client: Client,
    profile: std::path::PathBuf,
    driver: Child,
}

impl Browser {
    /// Starts chromedriver on a free port and opens a session. A port picked free can be taken
    /// by another test's process before chromedriver binds it (seen once in CI as a refused
    /// connection), so a failed start is retried on a new port.
    pub async fn start() -> Browser {
        let mut failures = Vec::new();
        for _ in 0..3 {
            match Browser::try_start().await {
                Ok(browser) => return browser,
                Err(e) => failures.push(e),
            }
        }
        panic!(
            "cannot open a Chromium session through chromedriver:\n{}",
            failures.join("\n")
        );
    }

    async fn try_start() -> Result<Browser, String> {
        let driver_bin = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
        let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let port = free_port();
        let mut driver = Command::new(&driver_bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {driver_bin}: {e}"));
        if !port_opens(port, Duration::from_secs(30)).await {
            return Err(format!(
                "{driver_bin} did not listen on port {port} within 30 s"
            ));
        }
        // Something listens, but it may be another process that held the port first.
        if let Ok(Some(status)) = driver.try_wait() {
            return Err(format!("{driver_bin} on port {port} exited: {status}"));
        }
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
            serde_json::json!({ "binary": chromium, "args": args }),
        );
        // Keep the page's console (and uncaught errors) for the panic check at the end.
        caps.insert(
            "goog:loggingPrefs".into(),
            serde_json::json!({ "browser": "ALL" }),
        );
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await;
        match client {
            Ok(client) => Ok(Browser {
                client,
                profile,
                driver,
            }),
            Err(e) => {
                let _ = std::fs::remove_dir_all(&profile);
                Err(format!("session on port {port}: {e}"))
            }
        }
    }

    /// Ends the session; fails the test if the page ever logged a Rust panic or a wasm trap
    /// (`panicked`, `RuntimeError`): a panic in wasm kills the console, whatever the test checked.
    pub async fn close(self) {
        let fatal = fatal_console_lines(&browser_log(&self.client).await);
        let _ = self.client.clone().close().await;
        assert!(
            fatal.is_empty(),
            "the browser console shows a panic:\n{}",
            fatal.join("\n")
        );
    }
}

/// The browser console lines logged since the last call (chromedriver hands each line once).
pub async fn browser_log(client: &Client) -> Vec<String> {
    match client.issue_cmd(BrowserLog).await {
        Ok(serde_json::Value::Array(entries)) => entries
            .iter()
            .map(|e| {
                format!(
                    "{} {}",
                    e["level"].as_str().unwrap_or("?"),
                    e["message"].as_str().unwrap_or_default()
                )
            })
            .collect(),
        Ok(other) => vec![format!("unexpected browser log answer: {other}")],
        Err(e) => panic!("cannot read the browser log (needed for the panic check): {e}"),
    }
}

/// The lines that say the app panicked or trapped.
pub fn fatal_console_lines(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .filter(|l| l.contains("panicked") || l.contains("RuntimeError"))
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
    fn drop(&mut self) {
        let _ = self.driver.start_kill();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}
