//! What a list shows after an action ends, and operations that must never go unreported: a reload
//! supersedes a poll in flight (a deleted app does not come back), Qovery deletes are tracked, a
//! deploy that fails after the user left is reported, an old stored entry is polled before it is
//! given up, and All apps waits as long as a 429's Retry-After asks.

use std::time::Duration;

use crate::pending_actions::{start_create, ROW};
use crate::Session;
use berth_harness::Sandbox;

/// Holds the answers of the page's requests whose method is `method` and whose path ends with
/// `suffix` until `window.__open()` is called (the request itself reaches the server at once, so
/// a held answer tells how things were when it was sent). `window.__held` counts them,
/// `window.__delivered` the held answers handed to the page since.
async fn hold_answers(s: &Session, method: &str, suffix: &str) {
    s.console
        .eval(&format!(
            "const orig = window.fetch; window.__held = 0; window.__delivered = 0; \
             window.__gate = new Promise(res => {{ window.__open = res; }}); \
             window.fetch = function (input, init) {{ \
               const r = new Request(input, init); \
               if (r.method !== {method:?} || !new URL(r.url).pathname.endsWith({suffix:?})) return orig.call(window, r); \
               window.__held += 1; \
               return orig.call(window, r).then(answer => window.__gate.then(() => {{ window.__delivered += 1; return answer; }})); }}; \
             return null"
        ))
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_poll_in_flight_when_a_delete_ends_does_not_bring_the_app_back() {
    let s = Session::with(Sandbox::start(&["--provision-ms", "300"]).await, "").await;
    let list = s
        .api("GET", "/api/kopernik/v0/resource/containerapp/aws", None)
        .expect(200)
        .json();
    let uid = list["resources"][0]["uid"]
        .as_str()
        .expect("a demo app uid")
        .to_string();
    let name = list["resources"][0]["name"]
        .as_str()
        .expect("a demo app name")
        .to_string();
    let c = &s.console;
    c.open("/k/sandbox/aws").await;
    let row = format!("tr[data-uid='{uid}']");
    c.wait_for(&row).await;
    // A load starts while the app still exists; its answer is held until after the delete ended.
    hold_answers(&s, "GET", "/resource/containerapp/aws").await;
    c.click_text("Refresh").await;
    c.wait_until("a load in flight", "window.__held >= 1").await;
    c.click(&format!("{row} button[data-action=delete]")).await;
    c.fill("#berth-confirm-input", &name).await;
    c.click("[role=dialog] button.berth-btn-danger").await;
    c.wait_for_text(".berth-notice", &format!("{name} was deleted."))
        .await;
    c.wait_until(
        "row gone",
        &format!("document.querySelector(\"{row}\") === null"),
    )
    .await;
    // The delete's end reloads the list: that load is sent after the delete ended (held too).
    c.wait_until(
        "the reload the delete's end sends, held behind the older load",
        "window.__held >= 2",
    )
    .await;
    // The older answer, with the app in it, must not land: any insertion of its row from here
    // on is recorded, however briefly it stays.
    c.eval(&format!(
        "window.__cameBack = false; const sel = \"{row}\"; \
         new MutationObserver((records) => {{ for (const r of records) {{ \
           if (r.type === 'attributes' && r.target.matches(sel)) window.__cameBack = true; \
           for (const n of r.addedNodes) if (n.nodeType === 1 && (n.matches(sel) || n.querySelector(sel))) window.__cameBack = true; }} }}) \
           .observe(document.body, {{ childList: true, subtree: true, attributes: true, attributeFilter: ['data-uid'] }}); \
         return null"
    ))
    .await;
    c.eval("window.__open(); return null").await;
    // Both held answers handed to the page, and everything they started done.
    c.wait_until(
        "both held answers delivered",
        "window.__delivered >= window.__held",
    )
    .await;
    c.wait_idle().await;
    assert_eq!(
        c.eval("return window.__cameBack").await,
        false,
        "the deleted app came back"
    );
    assert_eq!(
        c.eval(&format!(
            "return document.querySelector(\"{row}\") === null"
        ))
        .await,
        true,
        "the deleted app is listed"
    );
    assert_eq!(
        c.eval("return [...document.querySelectorAll('button')].find(b => b.textContent === 'Refresh').disabled")
            .await,
        false,
        "the reload ended"
    );
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_qovery_delete_is_tracked_under_actions_to_its_end() {
    // Status reads lag behind a deploy (as a real API does): the list still offers Delete.
    let s = Session::with(
        Sandbox::start(&["--provision-ms", "4000", "--status-lag-ms", "30000"]).await,
        "",
    )
    .await;
    let (path, env) = s.demo_env();
    let id = s
        .container_named(&env, "cache")
        .and_then(|c| c["id"].as_str().map(String::from))
        .expect("the demo's cache container");
    // A deploy runs (cache is stopped): the delete is queued behind it and takes a while.
    s.api("POST", &format!("/api/qovery/container/{id}/deploy"), None)
        .expect(202);
    let c = &s.console;
    c.open(&path).await;
    c.click(&format!("tr[data-id='{id}'] button[data-action=delete]"))
        .await;
    c.fill("#berth-confirm-input", "cache").await;
    c.click("[role=dialog] button.berth-btn-danger").await;
    c.wait_until(
        "dialog closed",
        "document.querySelector('[role=dialog]') === null",
    )
    .await;
    c.nav("Actions").await;
    c.wait_for_text(ROW, "delete cache").await;
    assert_eq!(
        crate::pending_actions::first_row_running(c).await,
        "true",
        "the delete is followed while the container goes"
    );
    c.wait_for_text_within(ROW, "done", Duration::from_secs(30))
        .await;
    c.wait_for_text(".berth-toasts", "Delete cache: done").await;
    assert!(
        s.container_named(&env, "cache").is_none(),
        "the container is gone"
    );
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deploy_that_fails_after_the_user_left_the_form_is_reported() {
    let s = Session::with(
        Sandbox::start(&["--provision-ms", "500", "--faults"]).await,
        "",
    )
    .await;
    let (path, _) = s.demo_env();
    let c = &s.console;
    c.open(&format!("{path}/new")).await;
    c.wait_for("form[aria-label=Container]").await;
    // The deploy request answers late, and fails.
    c.eval(
        "const orig = window.fetch; window.fetch = function (input, init) { \
           const r = new Request(input, init); \
           if (!r.url.endsWith('/deploy')) return orig.call(window, r); \
           r.headers.set('X-Berth-Fault', '500'); \
           return new Promise(res => setTimeout(res, 3000)).then(() => orig.call(window, r)); }; \
         return null",
    )
    .await;
    c.fill("#f-name", "left-deploy-1").await;
    c.fill("#f-image_name", "traefik/whoami").await;
    c.fill("#f-tag", "v1.10").await;
    c.click_text("Create and deploy").await;
    c.nav("Actions").await;
    c.wait_until("left the form", "location.pathname === '/actions'")
        .await;
    c.wait_for_text_within(
        ".berth-toasts",
        "Deploy left-deploy-1 failed",
        Duration::from_secs(20),
    )
    .await;
    let row = c.wait_for_text(ROW, "deploy left-deploy-1").await;
    assert!(
        row.contains("the deploy request failed"),
        "the actions page says how it ended: {row}"
    );
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_entry_stored_more_than_15_minutes_ago_is_polled_before_it_is_given_up() {
    let s = Session::with(Sandbox::start(&["--provision-ms", "300"]).await, "").await;
    let c = &s.console;
    start_create(&s, "old-1", "nginx:1.27").await;
    c.nav("Actions").await;
    c.wait_for_text_within(ROW, "done", Duration::from_secs(20))
        .await;
    c.wait_until(
        "the ended entry stored",
        "Object.keys(sessionStorage).some(k => k.startsWith('berth.pending.v1') && sessionStorage.getItem(k).includes('\"Success\"'))",
    )
    .await;
    // As if the tab had been reloaded 20 minutes after the create started, while it still ran
    // (the key carries the console's storage namespace).
    c.eval(
        "const key = Object.keys(sessionStorage).find(k => k.startsWith('berth.pending.v1')); const list = JSON.parse(sessionStorage.getItem(key)); \
         for (const p of list) { p.outcome = null; p.ended_ms = null; p.state = 'pending'; \
           p.polls = 0; p.last_polled_ms = null; p.started_ms = Date.now() - 20 * 60000; p.next_poll_ms = 0; } \
         sessionStorage.setItem(key, JSON.stringify(list)); return null",
    )
    .await;
    c.open("/actions").await;
    c.wait_for_text(ROW, "create old-1").await;
    // Polled once: the action's real outcome, not "gave up".
    let text = c.wait_for_text(ROW, "done").await;
    assert!(
        !text.contains("15 minutes"),
        "given up without a poll: {text}"
    );
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn all_apps_waits_as_long_as_a_429_asks_before_asking_again() {
    let s = Session::with(Sandbox::start(&["--faults"]).await, "").await;
    let c = &s.console;
    c.open("/").await;
    c.wait_for("table[aria-label='All apps'] tbody tr").await;
    s.inject_fault("429:45").await;
    // Counts the requests of All apps' fan-out (the overview's connection cards ask only once),
    // when each was sent, and when the first 429 among their answers arrived (each server's lane is
    // held from its own 429, none earlier than this one).
    c.eval(
        "const orig = window.fetch; window.__asked = 0; window.__askedAt = []; window.__refusedAt = null; \
         window.fetch = function (input, init) { \
           const r = new Request(input, init); const p = new URL(r.url).pathname; \
           const counted = p.endsWith('/organization') || p.includes('/resource/containerapp/'); \
           if (counted) { window.__asked += 1; window.__askedAt.push(performance.now()); } \
           return orig.call(window, r).then((a) => { if (counted && a.status === 429 && window.__refusedAt === null) window.__refusedAt = performance.now(); return a; }); }; \
         return null",
    )
    .await;
    c.click_text("Refresh").await;
    c.wait_until(
        "the refused load ended",
        "window.__asked > 0 && window.__refusedAt !== null && ![...document.querySelectorAll('button')].find(b => b.textContent === 'Refresh').disabled",
    )
    .await;
    c.wait_for_text("body", "HTTP 429").await;
    let first = c.eval("return window.__asked").await;
    let refused_at = c.eval("return window.__refusedAt").await;
    // The usual poll (30 s) would ask again 30 s after the refusal; the server asked for 45 s.
    // Waits for the next request, whenever it comes, then tells when it came.
    let start = std::time::Instant::now();
    while c.eval(&format!("return window.__asked > {first}")).await != true {
        assert!(
            start.elapsed() < Duration::from_secs(70),
            "All apps never asked again after the 429"
        );
        crate::poll_gap().await;
    }
    let after = c
        .eval(&format!("return window.__askedAt[{first}] - {refused_at}"))
        .await
        .as_f64()
        .expect("the time of the next request");
    // 45 s from the answer the page read (the console's clock ticks in whole milliseconds).
    assert!(
        after >= 44_900.0,
        "All apps asked again {after:.0} ms after a 429 whose Retry-After was 45 s"
    );
    s.end().await;
}
