//! A hidden tab polls nothing: the containers list and /actions stop reading while the tab is
//! hidden, and catch up as soon as it shows again (#30 item 6).

use std::time::Duration;

use berth_harness::Sandbox;

use crate::Session;

/// Requests the page made to the Qovery API so far.
const READS: &str =
    "return performance.getEntriesByType('resource').filter(e => e.name.includes('/api/qovery/')).length";

/// Hides or shows the tab as the browser would: `document.hidden` and its event.
fn set_hidden(hidden: bool) -> String {
    let state = if hidden { "hidden" } else { "visible" };
    format!(
        "Object.defineProperty(document, 'hidden', {{ get: () => {hidden}, configurable: true }}); \
         Object.defineProperty(document, 'visibilityState', {{ get: () => '{state}', configurable: true }}); \
         document.dispatchEvent(new Event('visibilitychange', {{ bubbles: true }})); return null"
    )
}

async fn reads(s: &Session) -> u64 {
    s.console.eval(READS).await.as_u64().unwrap_or_default()
}

/// The page reads again within `limit` (a poll every 2.5 s while a deployment runs).
async fn reads_again(s: &Session, what: &str) {
    let before = reads(s).await;
    s.console
        .wait_until(what, &format!("(() => {{ {READS} }})() > {before}"))
        .await;
}

/// Visible, the page polls (the positive control); hidden, it reads nothing for three poll
/// periods; shown again, it reads at once.
async fn pauses_while_hidden(s: &Session, page: &str) {
    reads_again(s, &format!("{page}: polled while visible")).await;
    s.console.eval(&set_hidden(true)).await;
    // A read already sent when the tab hid may still end: counted from when all are answered.
    s.console.wait_quiet().await;
    let hidden_at = reads(s).await;
    // The window: three periods of the fast poll (2.5 s) that runs while a deployment does.
    tokio::time::sleep(Duration::from_millis(7500)).await;
    assert_eq!(reads(s).await, hidden_at, "{page}: read while hidden");
    s.console.eval(&set_hidden(false)).await;
    reads_again(s, &format!("{page}: polled again once shown")).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_list_and_actions_poll_nothing_while_the_tab_is_hidden() {
    // A deployment that runs for a minute keeps both pages on their fast poll.
    let s = Session::with(Sandbox::start(&["--provision-ms", "60000"]).await, "").await;
    let (path, env) = s.demo_env();
    let id = s
        .container_named(&env, "whoami")
        .and_then(|c| c["id"].as_str().map(String::from))
        .unwrap_or_else(|| panic!("the demo has whoami"));
    let c = &s.console;
    c.open(&path).await;
    c.wait_for(&format!("tr[data-id='{id}']")).await;
    // Deployed from the console, so /actions follows it too.
    c.eval(&format!(
        "document.querySelector(\"tr[data-id='{id}'] button[data-action=deploy]\").click(); return null"
    ))
    .await;
    c.wait_for(&format!("tr[data-id='{id}'] .berth-tracked"))
        .await;
    pauses_while_hidden(&s, "the containers list").await;
    c.nav("Actions").await;
    c.wait_for_text("table[aria-label=Actions]", "whoami").await;
    pauses_while_hidden(&s, "/actions").await;
    s.end().await;
}
