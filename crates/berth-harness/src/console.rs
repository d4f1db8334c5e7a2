use std::time::Duration;

use fantoccini::elements::Element;
use fantoccini::{Client, Locator};

/// The console as a test sees it: open a route, wait for what a user would see, act on it.
pub struct Console {
    pub client: Client,
    /// The app's root URL, with the sub-path it is served under and no trailing slash.
    pub base: String,
}

const WAIT: Duration = Duration::from_secs(20);

impl Console {
    pub fn new(client: Client, base: impl Into<String>) -> Self {
        Self {
            client,
            base: base.into().trim_end_matches('/').to_string(),
        }
    }

    /// Loads `path` (relative to the app's root) as a fresh page load, like a pasted link.
    pub async fn open(&self, path: &str) {
        let url = format!("{}{}", self.base, path);
        self.client
            .goto(&url)
            .await
            .unwrap_or_else(|e| panic!("cannot open {url}: {e}"));
        self.wait_for(".berth-shell").await;
    }

    /// Loads `path` (relative to the base) without waiting for the console: a host page.
    pub async fn goto(&self, path: &str) {
        let url = format!("{}{}", self.base, path);
        self.client
            .goto(&url)
            .await
            .unwrap_or_else(|e| panic!("cannot open {url}: {e}"));
    }

    /// Finds `locator`, trying again until `WAIT` has passed. Any error is retried, not only "no
    /// such element": under load chromedriver sometimes answers a find with a malformed response
    /// (`non-conforming response: Null`), which fantoccini's own wait gives up on at once.
    async fn find_within(&self, locator: Locator<'_>) -> Result<Element, String> {
        let start = std::time::Instant::now();
        loop {
            match self.client.find(locator).await {
                Ok(e) => return Ok(e),
                Err(e) if start.elapsed() > WAIT => return Err(e.to_string()),
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    }

    pub async fn wait_for(&self, css: &str) -> Element {
        match self.find_within(Locator::Css(css)).await {
            Ok(e) => e,
            Err(e) => panic!(
                "`{css}` did not appear within {WAIT:?} on {}: {e}\npage text:\n{}",
                self.path().await,
                self.failure_context().await
            ),
        }
    }

    /// Waits until the element at `css` contains `needle` in its visible text.
    pub async fn wait_for_text(&self, css: &str, needle: &str) -> String {
        self.wait_for_text_within(css, needle, WAIT).await
    }

    pub async fn wait_for_text_within(&self, css: &str, needle: &str, limit: Duration) -> String {
        let start = std::time::Instant::now();
        loop {
            if let Ok(e) = self.client.find(Locator::Css(css)).await {
                if let Ok(t) = e.text().await {
                    if t.contains(needle) {
                        return t;
                    }
                }
            }
            if start.elapsed() > limit {
                panic!(
                    "`{css}` never contained {needle:?} on {}\npage text:\n{}",
                    self.path().await,
                    self.failure_context().await
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until `script` (a JS expression) is true in the page.
    pub async fn wait_until(&self, what: &str, script: &str) {
        let start = std::time::Instant::now();
        loop {
            let v = self
                .client
                .execute(&format!("return !!({script});"), vec![])
                .await;
            if matches!(v, Ok(serde_json::Value::Bool(true))) {
                return;
            }
            if start.elapsed() > WAIT {
                panic!(
                    "{what}: `{script}` never became true on {}\npage text:\n{}",
                    self.path().await,
                    self.failure_context().await
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until the page has no request in flight (the count the browser's init script keeps:
    /// from `fetch` to its answer's headers, each body read, each wasm compilation), e.g. until
    /// anything a click sent has been answered. Timers are not waited for: see [`Self::wait_idle`].
    pub async fn wait_quiet(&self) {
        self.wait_until(
            "no request in flight",
            "!window.__berthQuiet || window.__berthQuiet.inFlight() === 0",
        )
        .await;
    }

    /// Waits until the page is idle as the end-of-test check means it ([`crate::Idle`]): nothing
    /// in flight (fetches, body reads, wasm chunk compilations), no timeout due within a second,
    /// and nothing started, ended or fired for a settle window. E.g. until a late chunk has been
    /// compiled and whatever it runs has run.
    pub async fn wait_idle(&self) {
        let script = crate::browser::idle_script();
        let start = std::time::Instant::now();
        loop {
            let state = self.client.execute(&script, vec![]).await;
            if matches!(&state, Ok(v) if v["idle"] == true) {
                return;
            }
            if start.elapsed() > WAIT {
                let why = match state {
                    Ok(v) => crate::browser::describe_busy(&v),
                    Err(e) => e.to_string(),
                };
                panic!(
                    "the page never became idle within {WAIT:?} on {} ({why})\npage text:\n{}",
                    self.path().await,
                    self.failure_context().await
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until the browser has rendered a frame after everything already queued (the
    /// handlers of an event just dispatched, and what they changed in the page).
    pub async fn next_frame(&self) {
        let done = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1]; \
                 requestAnimationFrame(() => setTimeout(() => done(true), 0));",
                vec![],
            )
            .await;
        if let Err(e) = done {
            panic!("no frame rendered: {e}");
        }
    }

    pub async fn text(&self, css: &str) -> String {
        self.wait_for(css).await.text().await.unwrap_or_default()
    }

    /// What a failed wait prints: the page's text, then the browser's console (a panic or a failed
    /// chunk load is often the reason the page never changed).
    async fn failure_context(&self) -> String {
        let mut out = self.body_text().await;
        let log = crate::browser::try_browser_log(&self.client);
        if let Ok(Ok(lines)) = tokio::time::timeout(Duration::from_secs(5), log).await {
            out.push_str("\nbrowser console:\n");
            out.push_str(&lines.join("\n"));
        }
        out
    }

    pub async fn body_text(&self) -> String {
        match self.client.find(Locator::Css("body")).await {
            Ok(b) => b.text().await.unwrap_or_default(),
            Err(e) => format!("<no body: {e}>"),
        }
    }

    pub async fn click(&self, css: &str) {
        let e = self.wait_for(css).await;
        // A row's other actions sit in its menu (`details.berth-menu`): reached as a user does,
        // by opening the menu first.
        if let Ok(arg) = serde_json::to_value(&e) {
            let _ = self
                .client
                .execute(
                    "const m = arguments[0].closest('details.berth-menu:not([open])'); \
                     if (m && arguments[0].tagName !== 'SUMMARY') m.open = true; return null;",
                    vec![arg],
                )
                .await;
        }
        e.click()
            .await
            .unwrap_or_else(|err| panic!("cannot click `{css}`: {err}"));
    }

    /// Clicks the navigation link whose text is `label`.
    pub async fn nav(&self, label: &str) {
        let xpath = format!("//nav//a[normalize-space(.)='{label}']");
        let link = self
            .find_within(Locator::XPath(&xpath))
            .await
            .unwrap_or_else(|e| panic!("no navigation link {label:?}: {e}"));
        link.click()
            .await
            .unwrap_or_else(|e| panic!("cannot click {label:?}: {e}"));
    }

    /// The current path relative to the app's root, with its query string.
    pub async fn path(&self) -> String {
        let url = self
            .client
            .current_url()
            .await
            .map(|u| u.to_string())
            .unwrap_or_default();
        url.strip_prefix(&self.base).unwrap_or(&url).to_string()
    }

    /// Runs `script` in the page and returns its JSON result.
    pub async fn eval(&self, script: &str) -> serde_json::Value {
        self.client
            .execute(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    pub async fn screenshot(&self, path: &std::path::Path) {
        match self.client.screenshot().await {
            Ok(png) => {
                if let Err(e) = std::fs::write(path, png) {
                    eprintln!("cannot write {}: {e}", path.display());
                }
            }
            Err(e) => eprintln!("screenshot failed: {e}"),
        }
    }
}

impl Console {
    /// Presses each key of `keys` (down, then up) on whatever has the focus when it arrives, as
    /// a keyboard does. No element is looked up first: a row the app re-renders or refocuses
    /// between the look-up and the key cannot make the key go stale or land elsewhere.
    pub async fn press(&self, keys: &str) {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let mut actions = KeyActions::new("keyboard".to_string());
        for value in keys.chars() {
            actions = actions
                .then(KeyAction::Down { value })
                .then(KeyAction::Up { value });
        }
        self.client
            .perform_actions(actions)
            .await
            .unwrap_or_else(|e| panic!("cannot press {keys:?}: {e}"));
    }

    /// Replaces the value of the input at `css` as a user would (clear, then type).
    pub async fn fill(&self, css: &str, value: &str) {
        let e = self.wait_for(css).await;
        e.clear()
            .await
            .unwrap_or_else(|err| panic!("cannot clear `{css}`: {err}"));
        e.send_keys(value)
            .await
            .unwrap_or_else(|err| panic!("cannot type into `{css}`: {err}"));
        // A secret typed (a password field, but a connection's token, which is kept on purpose):
        // looked for in storage, the URL and the console when the session ends.
        let secret = matches!(e.attr("type").await, Ok(Some(t)) if t == "password")
            && !matches!(e.attr("id").await, Ok(Some(id)) if id == "conn-token");
        if secret {
            if let Some(session) = self.client.session_id().await.ok().flatten() {
                crate::secrets::record(&session.to_string(), value);
            }
        }
    }

    /// Clicks the link or button whose visible text is exactly `text`.
    pub async fn click_text(&self, text: &str) {
        let xpath = format!("//main//*[self::a or self::button][normalize-space(.)='{text}']");
        let e = self
            .find_within(Locator::XPath(&xpath))
            .await
            .unwrap_or_else(|err| panic!("no link or button {text:?} on the page: {err}"));
        e.click()
            .await
            .unwrap_or_else(|err| panic!("cannot click {text:?}: {err}"));
    }
}
