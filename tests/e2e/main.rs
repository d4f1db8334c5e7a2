//! End-to-end: the built app served by the sandbox, driven in headless Chromium through WebDriver.
//! Run through `cargo xtask test`, which builds both and sets the paths (see berth-harness).

#![cfg(not(target_arch = "wasm32"))]

mod a11y;
mod bulk;
mod connections;
mod delivery;
mod deploy;
mod deploy_log;
mod details;
mod embed;
mod health;
mod hidden;
mod idle_check;
mod in_flight;
mod kopernik_create;
mod kopernik_list;
mod operate;
mod operate_faults;
mod operations;
mod outcomes;
mod pending_actions;
mod portal;
mod qovery_form;
mod qovery_list;
mod reliability;
mod scale;
mod shell;
mod tracking;

use std::time::{Duration, Instant};

use berth_harness::{Browser, Console, Sandbox};

/// The pause between two reads of a loop that waits for a condition with its own deadline (an
/// API state, a chip's text): not a wait for time to pass.
pub async fn poll_gap() {
    tokio::time::sleep(Duration::from_millis(100)).await;
}

/// Calls `f` (e.g. an API read through [`Session::api`]) until it answers `Some`, for up to
/// `limit`; fails saying `what` was awaited.
pub async fn poll_until<T>(what: &str, limit: Duration, mut f: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(start.elapsed() < limit, "{what}: not within {limit:?}");
        poll_gap().await;
    }
}

/// A sandbox with demo data, a browser, and the console page object on it. When the session ends
/// (`end`) or is dropped, the page's console is checked for a panic once its requests are done.
pub struct Session {
    pub console: Console,
    browser: Browser,
    pub sandbox: Sandbox,
}

impl Session {
    pub async fn start() -> Session {
        let sandbox = Sandbox::start(&[]).await;
        Self::with(sandbox, "").await
    }

    pub async fn with(sandbox: Sandbox, sub_path: &str) -> Session {
        let browser = Browser::start().await;
        let console = Console::new(browser.client.clone(), format!("{}{sub_path}", sandbox.url));
        Session {
            console,
            browser,
            sandbox,
        }
    }

    /// A sandbox started with `extra` whose app gives up on a request after `timeout` (its
    /// config.json's `request_timeout_ms`), instead of 30 s: for tests that make requests hang.
    pub async fn with_request_timeout(extra: &[&str], timeout: std::time::Duration) -> Session {
        let ms = u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX);
        let sandbox = Sandbox::start_configured(extra, |c| {
            c["request_timeout_ms"] = serde_json::json!(ms);
        })
        .await;
        let mut s = Self::with(sandbox, "").await;
        s.browser.set_request_timeout(timeout);
        s
    }

    /// Saves a screenshot under target/screenshots for people to look at.
    pub async fn screenshot(&self, name: &str) {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
        let _ = std::fs::create_dir_all(&dir);
        self.console
            .screenshot(&dir.join(format!("{name}.png")))
            .await;
    }

    /// An API call to the sandbox behind the page (for setting up and checking what the UI did).
    pub fn api(
        &self,
        method: &str,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> berth_harness::http::Answer {
        let auth = if path.starts_with("/api/kopernik") {
            "Bearer sandbox"
        } else {
            "Token sandbox"
        };
        let body = body.map(|b| b.to_string());
        berth_harness::http::request(
            self.sandbox.port,
            method,
            path,
            body.as_deref(),
            &[("Authorization", auth)],
        )
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    /// The containers of a Qovery environment, as the API lists them.
    pub fn containers(&self, env: &str) -> Vec<serde_json::Value> {
        self.api(
            "GET",
            &format!("/api/qovery/environment/{env}/container"),
            None,
        )
        .json()["results"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// The container named `name` in `env`, if the API lists one.
    pub fn container_named(&self, env: &str, name: &str) -> Option<serde_json::Value> {
        self.containers(env).into_iter().find(|c| c["name"] == name)
    }

    /// The id of the demo container `name` in the demo's first environment.
    pub fn demo_container(&self, name: &str) -> String {
        let (_, env) = self.demo_env();
        self.container_named(&env, name)
            .and_then(|c| c["id"].as_str().map(String::from))
            .unwrap_or_else(|| panic!("the demo has a container {name}"))
    }

    /// Creates the Kopernik apps `{prefix}-1` … `{prefix}-{n}` on aws through the API (each
    /// provisioned before it answers); answers their uids.
    pub fn kopernik_apps(&self, prefix: &str, n: usize) -> Vec<String> {
        (1..=n)
            .map(|i| {
                let created = self
                    .api(
                        "POST",
                        "/api/kopernik/v0/resource/containerapp/aws?waitTime=5",
                        Some(&serde_json::json!({
                            "machineConfiguration": {"name": format!("{prefix}-{i}"), "regionUid": "us-east-1", "machineTypeUid": "t3.micro"},
                            "containerImage": {"id": "nginx:1.27"}})),
                    )
                    .expect(200)
                    .json();
                created["action"]["resourceUid"]
                    .as_str()
                    .expect("the create answers the app's uid")
                    .to_string()
            })
            .collect()
    }

    /// Waits until the API no longer knows any app of `uids` on aws (30 s each at most).
    pub async fn wait_apps_gone(&self, uids: &[String]) {
        for u in uids {
            let path = format!("/api/kopernik/v0/resource/containerapp/aws/{u}");
            poll_until(&format!("{u} gone"), Duration::from_secs(30), || {
                (self.api("GET", &path, None).status == 404).then_some(())
            })
            .await;
        }
    }

    /// The app path of the demo's environment `name` (in any project of Acme Corp), and its id.
    pub fn env_named(&self, name: &str) -> (String, String) {
        let (path, _) = self.demo_env();
        let org = path.split('/').nth(3).unwrap_or_default().to_string();
        let results = |p: &str| {
            self.api("GET", p, None).json()["results"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        };
        for project in results(&format!("/api/qovery/organization/{org}/project")) {
            let pid = project["id"].as_str().unwrap_or_default();
            let envs = results(&format!("/api/qovery/project/{pid}/environment"));
            if let Some(env) = envs.iter().find(|e| e["name"] == name) {
                let id = env["id"].as_str().unwrap_or_default().to_string();
                return (format!("/q/sandbox/{org}/{pid}/{id}"), id);
            }
        }
        panic!("the demo has no environment {name}")
    }

    /// The app path of the demo's first Qovery environment (Acme Corp / Storefront / production),
    /// and its id.
    pub fn demo_env(&self) -> (String, String) {
        let first = |path: &str| -> String {
            let v = self.api("GET", path, None).json();
            let list = v["results"].as_array().cloned().unwrap_or_default();
            let pick = list
                .iter()
                .find(|o| o["name"] == "Acme Corp")
                .or(list.first())
                .cloned()
                .unwrap_or_default();
            pick["id"].as_str().unwrap_or_default().to_string()
        };
        let org = first("/api/qovery/organization");
        let project = first(&format!("/api/qovery/organization/{org}/project"));
        let env = first(&format!("/api/qovery/project/{project}/environment"));
        (format!("/q/sandbox/{org}/{project}/{env}"), env)
    }

    /// Makes every API request of the page carry `X-Berth-Fault: fault` (the sandbox runs with
    /// `--faults`), or none when `fault` is empty. The console's own files (the screens' wasm
    /// chunks) are fetched without it: the fault stands for a failing API, not a failing host.
    /// `window.__faulted` counts the requests sent with a fault (see `wait_faulted`).
    pub async fn inject_fault(&self, fault: &str) {
        self.inject_fault_on(fault, "/api/").await;
    }

    /// [`Session::inject_fault`] on the requests whose path contains `path` only.
    pub async fn inject_fault_on(&self, fault: &str, path: &str) {
        self.console
            .eval(&format!(
                "if (!window.__origFetch) {{ window.__origFetch = window.fetch; window.__faulted = 0; window.fetch = function (input, init) {{ \
                   const r = new Request(input, init); const p = new URL(r.url).pathname; \
                   if (window.__fault && p.includes('/api/') && p.includes(window.__faultOn)) {{ r.headers.set('X-Berth-Fault', window.__fault); window.__faulted += 1; }} \
                   return window.__origFetch.call(window, r); }}; }} window.__fault = {fault:?}; window.__faultOn = {path:?}; return null;"
            ))
            .await;
    }

    /// Waits until `n` more requests were sent with the injected fault than when it was called.
    pub async fn wait_faulted(&self, n: u32) {
        let now = self.console.eval("return window.__faulted || 0").await;
        let target = now.as_u64().unwrap_or(0) + u64::from(n);
        self.console
            .wait_until(
                &format!("{n} more faulted requests"),
                &format!("(window.__faulted || 0) >= {target}"),
            )
            .await;
    }

    /// Runs `source` before the page's scripts in every page loaded from now on.
    pub async fn add_init_script(&self, source: &str) {
        self.browser.add_init_script(source).await;
    }

    /// How long the end-of-test check waits for the page to be idle before it fails the test
    /// (default `berth_harness::Idle::LIMIT`): for a test of the check itself.
    pub fn set_idle_limit(&mut self, limit: Duration) {
        self.browser.set_idle_limit(limit);
    }

    /// Ends the session: fails if the page panicked or is still busy at the check's limit
    /// (dropping it without `end` checks the same).
    pub async fn end(self) {
        self.browser.close().await;
    }

    /// The check `end` makes, as a result: waits until the page is idle (`berth_harness::Idle`),
    /// then reads the console for a panic or a wasm trap; a page still busy at the limit is an
    /// error naming what was pending.
    pub async fn check_quiet_and_no_panic(&self) -> Result<(), String> {
        self.browser.check_quiet_and_no_panic().await
    }

    /// Ends the session without the check, for a test that expects the check to fail.
    pub async fn end_unchecked(self) {
        self.browser.close_unchecked().await;
    }
}

pub fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dist") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

/// A fresh site folder holding `console/`, the build for /console/. Its config.json points at
/// the sandbox's APIs, which the sandbox serves at `/api/…` (the shipped config's relative URLs
/// expect them under /console/api/, where deploy/nginx proxies them).
pub fn console_site(name: &str) -> std::path::PathBuf {
    let root = std::env::temp_dir().join(format!("berth-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    copy_dir(
        &berth_harness::env_path("BERTH_DIST_CONSOLE"),
        &root.join("console"),
    );
    let config = serde_json::json!({ "connections": [
        { "id": "sandbox", "kind": "qovery", "label": "Sandbox Qovery", "base_url": "/api/qovery", "token": "sandbox" },
        { "id": "sandbox", "kind": "kopernik", "label": "Sandbox Kopernik", "base_url": "/api/kopernik/v0", "token": "sandbox" }
    ]});
    std::fs::write(root.join("console/config.json"), config.to_string()).expect("config.json");
    root
}

/// [`console_site`] with examples/portal's page as its `index.html`.
pub fn portal_site(name: &str) -> std::path::PathBuf {
    let root = console_site(name);
    let page = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/portal/index.html");
    std::fs::copy(&page, root.join("index.html")).expect("the portal page");
    root
}
