//! End-to-end: the built app served by the sandbox, driven in headless Chromium through WebDriver.
//! Run through `cargo xtask test`, which builds both and sets the paths (see berth-harness).

#![cfg(not(target_arch = "wasm32"))]

mod embed;
mod shell;

use berth_harness::{Browser, Console, Sandbox};

/// A sandbox with demo data, a browser, and the console page object on it.
pub struct Session {
    pub console: Console,
    browser: Browser,
    _sandbox: Sandbox,
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
            _sandbox: sandbox,
        }
    }

    /// Saves a screenshot under target/screenshots for people to look at.
    pub async fn screenshot(&self, name: &str) {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
        let _ = std::fs::create_dir_all(&dir);
        self.console
            .screenshot(&dir.join(format!("{name}.png")))
            .await;
    }

    pub async fn end(self) {
        self.browser.close().await;
    }
}
