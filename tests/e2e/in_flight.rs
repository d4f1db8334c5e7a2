//! Leaving, cancelling or switching while a request is in flight, against a slow sandbox: no panic
//! (the harness fails any test whose browser console shows one), and every operation started is
//! tracked under Actions until it ends.

use std::time::Duration;

use crate::kopernik_create::fill_machine;
use crate::Session;
use berth_harness::Sandbox;

const ACTION_ROW: &str = "table[aria-label=Actions] tbody tr";
/// The dialog's Cancel button, found by its text.
const CANCEL: &str =
    "[...document.querySelectorAll('[role=dialog] button')].find(b => b.textContent.trim() === 'Cancel')";

/// The first demo app on `provider` (uid, name), asked of the sandbox behind the page.
fn first_app(s: &Session, provider: &str) -> (String, String) {
    let list = s
        .api(
            "GET",
            &format!("/api/kopernik/v0/resource/containerapp/{provider}"),
            None,
        )
        .expect(200)
        .json();
    let app = &list["resources"][0];
    (
        app["uid"].as_str().expect("a demo app uid").to_string(),
        app["name"].as_str().expect("a demo app name").to_string(),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_delete_in_flight_cannot_be_dismissed_and_leaving_keeps_it_tracked() {
    let s = Session::with(Sandbox::start(&["--provision-ms", "8000"]).await, "").await;
    let (uid, name) = first_app(&s, "aws");
    let c = &s.console;
    // Actions first, so that going back from the list leads there (the modal covers the nav).
    c.open("/actions").await;
    c.nav("Kopernik").await;
    c.click(&format!("tr[data-uid='{uid}'] button[data-action=delete]"))
        .await;
    c.fill("#berth-confirm-input", &name).await;
    c.click("[role=dialog] button.berth-btn-danger").await;
    c.wait_for_text("[role=dialog] button.berth-btn-danger", "Deleting…")
        .await;
    // Cancel and Escape do nothing while the request is in flight.
    assert_eq!(
        c.eval(&format!("return {CANCEL}.disabled")).await,
        true,
        "Cancel is disabled while deleting"
    );
    c.eval(&format!(
        "const b = {CANCEL}; b.disabled = false; b.click(); \
         document.querySelector('#berth-confirm-input').dispatchEvent(new KeyboardEvent('keydown', {{key: 'Escape', bubbles: true}})); return null"
    ))
    .await;
    c.next_frame().await;
    assert_eq!(
        c.eval("return document.querySelector('[role=dialog]') !== null")
            .await,
        true,
        "the dialog stays while its request is in flight"
    );
    // Going back mid-request: the delete is tracked under Actions and ends there.
    back(c).await;
    c.wait_until("back on Actions", "location.pathname === '/actions'")
        .await;
    c.wait_for_text_within(
        ACTION_ROW,
        &format!("delete {name}"),
        Duration::from_secs(20),
    )
    .await;
    c.wait_for_text_within(
        ".berth-toasts",
        &format!("Delete {name}: done"),
        Duration::from_secs(30),
    )
    .await;
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_create_waiting_for_its_result_is_tracked_after_leaving() {
    let s = Session::with(Sandbox::start(&["--provision-ms", "8000"]).await, "").await;
    let c = &s.console;
    c.open("/k/sandbox/digitalocean/new").await;
    fill_machine(&s, "waited-1").await;
    c.fill("#f-containerImage-id", "nginx:1.27").await;
    c.fill("#f-waitTime", "20").await;
    c.click_text("Create container app").await;
    c.wait_for_text("button[type=submit]", "Creating…").await;
    // Away while the server waits for the result.
    c.nav("Overview").await;
    c.wait_for_text_within(
        ".berth-toasts",
        "Create waited-1: done",
        Duration::from_secs(40),
    )
    .await;
    c.nav("Actions").await;
    c.wait_for_text(ACTION_ROW, "create waited-1").await;
    c.wait_for_text(ACTION_ROW, "done").await;
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn switching_provider_or_leaving_during_loads_does_not_panic() {
    // The hung loads are given up after 4 s (config.json), not 30: the panic check at the end
    // waits for them, so their late ends are checked too.
    let s = Session::with_request_timeout(
        &["--provision-ms", "8000", "--faults"],
        Duration::from_secs(4),
    )
    .await;
    let c = &s.console;
    c.open("/k/sandbox/aws").await;
    c.wait_for("table[aria-label='Container apps'] tbody tr")
        .await;
    // Every request from now on hangs (the sandbox answers after 65 s): loads stay in flight.
    s.inject_fault("timeout").await;
    c.click_text("Refresh").await;
    c.click("a.berth-tab[href$='/digitalocean']").await;
    c.click("a.berth-tab[href$='/akamai']").await;
    let (uid, _) = first_app(&s, "aws");
    // A detail page whose load is in flight, left at once.
    c.eval(&format!(
        "history.pushState(null, '', '/k/sandbox/aws/apps/{uid}'); dispatchEvent(new PopStateEvent('popstate')); return null"
    ))
    .await;
    c.wait_for_text("main", "Loading the container app").await;
    c.nav("Overview").await;
    s.inject_fault("").await;
    c.nav("Kopernik").await;
    c.click("a.berth-tab[href$='/aws']").await;
    c.wait_for("table[aria-label='Container apps'] tbody tr")
        .await;
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_late_answer_from_the_previous_environment_never_lands_on_the_next() {
    let s = Session::start().await;
    let (path_a, env_a) = s.demo_env();
    let project = path_a.split('/').nth(4).unwrap_or_default().to_string();
    let envs = s
        .api(
            "GET",
            &format!("/api/qovery/project/{project}/environment"),
            None,
        )
        .expect(200)
        .json();
    let env_b = envs["results"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["id"].as_str())
        .find(|id| *id != env_a)
        .expect("a second environment in the demo project")
        .to_string();
    let ids_b: Vec<String> = s
        .api(
            "GET",
            &format!("/api/qovery/environment/{env_b}/container"),
            None,
        )
        .expect(200)
        .json()["results"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["id"].as_str().map(String::from))
        .collect();
    let c = &s.console;
    c.open(&path_a).await;
    c.wait_for("table[aria-label=Containers] tbody tr").await;
    // Environment A's answers now take 3 s (counted as they are sent and land); B's come at once.
    c.eval(&format!(
        "window.__aSent = 0; window.__aLanded = 0; \
         const orig = window.fetch; window.fetch = function (input, init) {{ \
           const r = new Request(input, init); \
           if (!r.url.includes('/environment/{env_a}/')) return orig.call(window, r); \
           window.__aSent += 1; \
           return new Promise(ok => setTimeout(() => ok(orig.call(window, r).finally(() => {{ window.__aLanded += 1; }})), 3000)); }}; \
         return null"
    ))
    .await;
    c.click_text("Refresh").await;
    let path_b = path_a.replace(&env_a, &env_b);
    c.eval(&format!(
        "history.pushState(null, '', '{path_b}'); dispatchEvent(new PopStateEvent('popstate')); return null"
    ))
    .await;
    c.wait_until(
        "B's rows",
        &format!(
            "document.querySelector('table[aria-label=Containers] tbody tr[data-id=\"{}\"]') !== null",
            ids_b[0]
        ),
    )
    .await;
    // Once A's answers have landed and the page has handled them.
    c.wait_until(
        "A's late answers landed",
        "window.__aSent > 0 && window.__aLanded === window.__aSent",
    )
    .await;
    c.wait_quiet().await;
    c.next_frame().await;
    let shown = c
        .eval("return [...document.querySelectorAll('table[aria-label=Containers] tbody tr')].map(r => r.dataset.id)")
        .await;
    let shown: Vec<String> = shown
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(String::from))
        .collect();
    assert!(!shown.is_empty(), "B's rows are shown");
    assert!(
        shown.iter().all(|id| ids_b.contains(id)),
        "a row of environment A landed on B: {shown:?} vs {ids_b:?}"
    );
    s.end().await;
}

/// Opens the demo environment's containers, then makes every Qovery request 1.5 s slower; the
/// environment's id.
async fn open_demo_list_slowly(s: &Session) -> String {
    let (path, env) = s.demo_env();
    s.console.open(&path).await;
    s.console
        .wait_for("table[aria-label=Containers] tbody tr")
        .await;
    slow_qovery(s, 1500).await;
    env
}

/// The browser's Back.
async fn back(c: &berth_harness::Console) {
    c.eval("history.back(); return null").await;
}

/// Every Qovery request of the page takes `ms` longer (the sandbox answers at once otherwise).
async fn slow_qovery(s: &Session, ms: u32) {
    s.console
        .eval(&format!(
            "if (!window.__slowOrig) window.__slowOrig = window.fetch; const orig = window.__slowOrig; \
             window.fetch = function (input, init) {{ const r = new Request(input, init); \
               if (!r.url.includes('/api/qovery/')) return orig.call(window, r); \
               return new Promise(ok => setTimeout(() => ok(orig.call(window, r)), {ms})); }}; return null"
        ))
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn leaving_qovery_screens_mid_request_loses_nothing() {
    let s = Session::with(Sandbox::start(&["--provision-ms", "2000"]).await, "").await;
    open_demo_list_slowly(&s).await;
    let c = &s.console;

    // The form, left while it loads.
    c.click_text("New container").await;
    c.wait_for_text("main", "Loading the environment").await;
    back(c).await;
    c.wait_for("table[aria-label=Containers] tbody tr").await;

    // The form, left during "Create and deploy": the container is made and its deploy tracked.
    c.click_text("New container").await;
    c.wait_for("form[aria-label=Container]").await;
    c.fill("#f-name", "left-1").await;
    c.fill("#f-image_name", "traefik/whoami").await;
    c.fill("#f-tag", "v1.10").await;
    c.click_text("Create and deploy").await;
    back(c).await;
    c.wait_for("table[aria-label=Containers] tbody tr").await;

    // A detail page, left while it loads; then one left right after a deploy starts.
    c.click("tr[data-state=STOPPED] a").await;
    c.wait_for_text("main", "Loading the container").await;
    back(c).await;
    c.click("tr[data-state=STOPPED] a").await;
    c.click("button[data-action=deploy]").await;
    back(c).await;

    c.nav("Actions").await;
    let rows = "table[aria-label=Actions] tbody";
    c.wait_for_text_within(rows, "deploy left-1", Duration::from_secs(20))
        .await;
    c.wait_for_text_within(rows, "deploy cache", Duration::from_secs(20))
        .await;
    c.wait_until(
        "both deploys end",
        "[...document.querySelectorAll('table[aria-label=Actions] tbody tr')].every(r => r.dataset.running === 'false')",
    )
    .await;
    assert!(
        !c.text(rows).await.contains("failed"),
        "{}",
        c.text(rows).await
    );
    s.end().await;
}

/// The environment picker left while its lists load, and a Qovery delete left while the server
/// answers: no panic, and the delete that was sent still happens.
#[tokio::test(flavor = "multi_thread")]
async fn the_picker_and_a_delete_left_mid_request_do_not_panic() {
    let s = Session::start().await;
    let env = open_demo_list_slowly(&s).await;
    let c = &s.console;

    c.click_text("Change environment").await;
    c.wait_until(
        "the picker's route",
        "location.pathname.split('/').filter(Boolean).length === 2",
    )
    .await;
    back(c).await;
    c.wait_for("table[aria-label=Containers] tbody tr").await;

    c.eval(
        "[...document.querySelectorAll('table[aria-label=Containers] tbody tr')] \
           .find(r => r.textContent.includes('whoami')) \
           .querySelector('button[data-action=delete]').click(); return null",
    )
    .await;
    c.wait_for("[role=dialog]").await;
    c.fill("#berth-confirm-input", "whoami").await;
    c.click("[role=dialog] button.berth-btn-danger").await;
    // The dialog is modal: leave as the browser's history would.
    c.eval(
        "history.pushState(null, '', '/'); dispatchEvent(new PopStateEvent('popstate')); return null",
    )
    .await;
    c.wait_for_text("main", "All apps").await;

    crate::poll_until(
        "the delete sent before leaving reached the server",
        Duration::from_secs(20),
        || s.container_named(&env, "whoami").is_none().then_some(()),
    )
    .await;
    // Back to the sandbox's own speed, so the page can become idle for the end-of-test check:
    // All apps walks every environment, one slowed request after the other, for longer than the
    // check waits.
    c.eval("window.fetch = window.__slowOrig; return null")
        .await;
    s.end().await;
}
