//! Pending actions: tracked by one poller, shown in the actions panel and on rows, ended with a
//! toast, resumed after a reload, never ended by a failing poll.

use std::time::Duration;

use crate::kopernik_create::fill_machine;
use crate::Session;
use berth_harness::Sandbox;

pub(crate) async fn start_create(s: &Session, name: &str, image: &str) {
    let c = &s.console;
    c.open("/k/sandbox/digitalocean/new").await;
    fill_machine(s, name).await;
    c.fill("#f-containerImage-id", image).await;
    c.fill("#f-waitTime", "0").await;
    c.click_text("Create container app").await;
    c.wait_for(".berth-outcome").await;
}

pub(crate) const ROW: &str = "table[aria-label=Actions] tbody tr";

/// The first action row's `data-running`: "true" while its operation runs.
pub(crate) async fn first_row_running(c: &berth_harness::Console) -> serde_json::Value {
    c.eval(&format!(
        "return document.querySelector('{ROW}').dataset.running"
    ))
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_create_is_tracked_in_the_panel_on_the_row_and_ends_with_a_toast() {
    // Long enough to still be running after the steps below on a loaded machine (3 s was not,
    // beside the other tests' browsers), short enough for the actions poller (1, 2, 3, 5 s) to
    // see it end within the wait.
    let s = Session::with(Sandbox::start(&["--provision-ms", "8000"]).await, "").await;
    let c = &s.console;
    start_create(&s, "tracked-1", "nginx:1.27").await;
    c.nav("Kopernik").await;
    c.click("a.berth-tab[href$='/digitalocean']").await;
    c.wait_for_text("table[aria-label='Container apps']", "tracked-1")
        .await;
    c.wait_for_text("table[aria-label='Container apps']", "⟳ create")
        .await;
    c.nav("Actions").await;
    c.wait_for_text(ROW, "create tracked-1").await;
    assert_eq!(first_row_running(c).await, "true");
    s.screenshot("actions-pending").await;
    c.wait_until(
        "ended",
        &format!("document.querySelector('{ROW}').dataset.running === 'false'"),
    )
    .await;
    c.wait_for_text(ROW, "done").await;
    c.wait_for_text(".berth-toasts", "Create tracked-1: done")
        .await;
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reload_resumes_polling_and_the_action_finishes() {
    // A token found nowhere else (the sandbox accepts only it), so finding it anywhere in the
    // stored actions means it was stored.
    const TOKEN: &str = "e2e-token-7f3a9c";
    let sandbox = Sandbox::start_configured(&["--provision-ms", "4000", "--token", TOKEN], |c| {
        for conn in c["connections"].as_array_mut().into_iter().flatten() {
            conn["token"] = serde_json::json!(TOKEN);
        }
    })
    .await;
    let s = Session::with(sandbox, "").await;
    let c = &s.console;
    start_create(&s, "resumed-1", "nginx:1.27").await;
    // The list is written when the pending chunk has encoded it, a moment after the outcome.
    c.wait_until(
        "the action stored",
        "Object.keys(sessionStorage).some(k => k.startsWith('berth.pending') && sessionStorage.getItem(k).includes('resumed-1'))",
    )
    .await;
    let stored = c
        .eval("return Object.keys(sessionStorage).filter(k => k.startsWith('berth.pending')).map(k => sessionStorage.getItem(k)).join('')")
        .await;
    let stored = stored.as_str().unwrap_or_default().to_string();
    // Control: this is the stored action (a read of the wrong key or of nothing proves nothing),
    // and the check finds the token where the app does hold it: the config it loaded.
    assert!(
        stored.contains("resumed-1"),
        "the action is not stored: {stored:?}"
    );
    let config = c
        .eval("return fetch('/config.json').then(r => r.text())")
        .await;
    assert!(
        config.as_str().unwrap_or_default().contains(TOKEN),
        "the control missed the token in config.json: {config}"
    );
    assert!(
        !stored.contains(TOKEN),
        "a token in the stored actions: {stored}"
    );
    c.open("/actions").await;
    c.wait_for_text(ROW, "create resumed-1").await;
    assert_eq!(first_row_running(c).await, "true");
    c.wait_for_text_within(ROW, "done", Duration::from_secs(20))
        .await;
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn failing_polls_are_shown_and_retried_never_taken_as_the_outcome() {
    // A poll that hangs is given up after 4 s (config.json), not 30.
    let s = Session::with_request_timeout(
        &["--provision-ms", "3000", "--faults"],
        Duration::from_secs(4),
    )
    .await;
    let c = &s.console;
    start_create(&s, "flaky-1", "nginx:1.27").await;
    c.nav("Actions").await;
    c.wait_for_text(ROW, "create flaky-1").await;
    s.inject_fault("500").await;
    c.wait_for_text(ROW, "checking failed").await;
    // Three more polls fail (they come 1 s, 2 s, 3 s... apart): past the 3 s the operation takes.
    s.wait_faulted(3).await;
    assert_eq!(
        first_row_running(c).await,
        "true",
        "a 500 while polling does not end it"
    );
    // A poll that never answers is cut by the console's timeout, shown, and retried.
    s.inject_fault("timeout").await;
    c.wait_for_text_within(ROW, "no answer", Duration::from_secs(20))
        .await;
    let running = first_row_running(c).await;
    assert_eq!(running, "true", "a timeout while polling does not end it");
    s.inject_fault("").await;
    c.wait_for_text_within(ROW, "done", Duration::from_secs(20))
        .await;
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_create_leaves_an_error_toast_until_dismissed() {
    let s = Session::with(Sandbox::start(&["--provision-ms", "500"]).await, "").await;
    let (path, _) = s.demo_env();
    let c = &s.console;
    start_create(&s, "doomed-2", "acme/fail:2").await;
    c.wait_for_text(
        ".berth-toasts [role=alert]",
        "Create doomed-2 failed: image pull failed",
    )
    .await;
    // A success toast that comes after it, on the same page (toasts live in the page: no reload),
    // fades after its lifetime: once it has, the error toast has outlived that lifetime.
    c.eval(&format!(
        "history.pushState(null, '', {path:?}); dispatchEvent(new PopStateEvent('popstate')); return null"
    ))
    .await;
    c.click("tr[data-state=READY] button[data-action=deploy]")
        .await;
    c.wait_for_text(".berth-toasts", "Deploy whoami: done")
        .await;
    c.wait_until(
        "the success toast faded",
        "!(document.querySelector('.berth-toasts')?.textContent ?? '').includes('Deploy whoami: done')",
    )
    .await;
    c.wait_for_text(".berth-toasts [role=alert]", "doomed-2")
        .await;
    c.click(".berth-toasts [role=alert] button").await;
    c.wait_until(
        "dismissed",
        "document.querySelector('.berth-toasts [role=alert]') === null",
    )
    .await;
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_qovery_deploy_is_tracked_until_deployed() {
    let s = Session::with(Sandbox::start(&["--provision-ms", "2000"]).await, "").await;
    let (path, _) = s.demo_env();
    let c = &s.console;
    c.open(&path).await;
    c.wait_for("table[aria-label=Containers] tbody tr").await;
    c.click("tr[data-state=READY] button[data-action=deploy]")
        .await;
    c.wait_for_text("table[aria-label=Containers]", "Deployment queued")
        .await;
    c.nav("Actions").await;
    c.wait_for_text(ROW, "deploy whoami").await;
    c.wait_for_text_within(ROW, "Deployed", Duration::from_secs(20))
        .await;
    c.wait_for_text(ROW, "done").await;
    c.wait_for_text(".berth-toasts", "Deploy whoami: done")
        .await;
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_restart_is_not_done_while_the_status_still_reads_the_old_state() {
    // Like the real API, the status goes on reading DEPLOYED for a while after the restart was
    // accepted: the operation must not end on that stale read (bug 8), only once it moved.
    let s = Session::with(
        Sandbox::start(&["--provision-ms", "1500", "--status-lag-ms", "5000"]).await,
        "",
    )
    .await;
    let (path, _) = s.demo_env();
    let c = &s.console;
    c.open(&path).await;
    c.wait_for("tr[data-state=DEPLOYED] button[data-action=restart]")
        .await;
    // Counts the answers to reads of one container's status (the operation's polls).
    c.eval(
        "window.__statusReads = 0; const orig = window.fetch; window.fetch = function (input, init) { \
           const r = new Request(input, init); const p = orig.call(window, r); \
           if (/\\/container\\/[^/]+\\/status$/.test(new URL(r.url).pathname)) p.then(() => { window.__statusReads += 1; }, () => null); \
           return p; }; return null",
    )
    .await;
    c.click("tr[data-state=DEPLOYED] button[data-action=restart]")
        .await;
    let clicked = std::time::Instant::now();
    c.nav("Actions").await;
    c.wait_for_text(ROW, "restart").await;
    // Two polls have read the stale DEPLOYED, and the page has handled them.
    c.wait_until("two status polls", "window.__statusReads >= 2")
        .await;
    c.wait_quiet().await;
    let polled = first_row_running(c).await;
    assert!(
        clicked.elapsed() < Duration::from_secs(5),
        "the polls came after the 5 s lag ({:?}): they did not read the stale state",
        clicked.elapsed()
    );
    assert_eq!(
        polled, "true",
        "a restart read as DEPLOYED during the lag is not done yet"
    );
    c.wait_for_text_within(ROW, "done", Duration::from_secs(30))
        .await;
    c.wait_for_text(ROW, "Restarted").await;
    s.end().await;
}
