//! The operations layer (#28): an operation started once, that outlives its screen, and whose
//! lost answer is checked by reads instead of being sent again.

use berth_harness::Sandbox;

use crate::Session;

/// Holds every write to a container's variables `ms` in the page before sending it, and counts
/// them in `window.__varWrites`: a save that takes long enough to leave its tab mid-way.
async fn slow_variable_writes(s: &Session, ms: u32) {
    s.console
        .eval(&format!(
            "window.__varWrites = 0; const f = window.fetch; window.fetch = function (input, init) {{ \
               const r = new Request(input, init); \
               if (r.method !== 'GET' && new URL(r.url).pathname.includes('/environmentVariable')) {{ \
                 window.__varWrites += 1; \
                 return new Promise(ok => setTimeout(ok, {ms})).then(() => f.call(window, r)); }} \
               return f.call(window, r); }}; return null"
        ))
        .await;
}

fn id_of(s: &Session, name: &str) -> String {
    let (_, env) = s.demo_env();
    s.container_named(&env, name)
        .and_then(|c| c["id"].as_str().map(String::from))
        .unwrap_or_else(|| panic!("the demo has a container {name}"))
}

/// The container's own variables by key, as the server holds them.
fn own_variables(s: &Session, id: &str) -> Vec<(String, String)> {
    let answer = s
        .api(
            "GET",
            &format!("/api/qovery/container/{id}/environmentVariable"),
            None,
        )
        .expect(200)
        .json();
    answer["results"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter(|v| v["scope"] == "CONTAINER")
        .map(|v| {
            (
                v["key"].as_str().unwrap_or_default().to_string(),
                v["value"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn leaving_the_variables_tab_mid_save_keeps_the_console_and_the_save_runs_once() {
    let s = Session::start().await;
    let c = &s.console;
    let id = id_of(&s, "web");
    c.open(&format!("/q/sandbox/containers/{id}?tab=variables"))
        .await;
    c.wait_for_text("section[aria-label=Variables] h2", "Variables")
        .await;
    slow_variable_writes(&s, 700).await;
    c.click("section[aria-label=Variables] details.berth-paste summary")
        .await;
    c.fill(
        "textarea[aria-label='KEY=VALUE lines']",
        "X1=one\nX2=two\nX3=three",
    )
    .await;
    c.click_text("Add these variables").await;
    c.click_text("Save variables").await;
    // While it runs the table cannot be edited (its result replaces the rows) and Save cannot
    // send the same changes again.
    let locked = c
        .eval(
            "const f = document.querySelector('section[aria-label=Variables] fieldset.berth-plain'); \
             const save = [...document.querySelectorAll('section[aria-label=Variables] button')].find(b => b.textContent.includes('Sav')); \
             return [f !== null && f.disabled, save !== undefined && save.disabled]",
        )
        .await;
    assert_eq!(locked, serde_json::json!([true, true]), "while saving");
    // Leave the tab at once: the save goes on, and the console lives (the session's end checks
    // the browser console for a panic or a RuntimeError).
    c.click("#berth-tab-overview").await;
    c.wait_for_text(".berth-toasts", "Variables of web: 3 changes saved")
        .await;
    let own = own_variables(&s, &id);
    for (k, v) in [("X1", "one"), ("X2", "two"), ("X3", "three")] {
        let n = own.iter().filter(|(key, _)| key == k).count();
        assert_eq!(n, 1, "{k} saved once: {own:?}");
        assert!(own.contains(&(k.to_string(), v.to_string())), "{own:?}");
    }
    assert_eq!(
        c.eval("return window.__varWrites").await,
        3,
        "one request per change"
    );
    // The page still works: the tab opens again with the saved rows and nothing left to save.
    c.click("#berth-tab-variables").await;
    c.wait_until(
        "the saved rows are shown",
        "[...document.querySelectorAll('section[aria-label=Variables] input[aria-label$=key]')].some(i => i.value === 'X3')",
    )
    .await;
    s.end().await;
}

/// The RESTART entries of the container's deployment history.
fn restarts(s: &Session, id: &str) -> usize {
    let h = s
        .api(
            "GET",
            &format!("/api/qovery/container/{id}/deploymentHistoryV2"),
            None,
        )
        .json();
    h["results"]
        .as_array()
        .map(|l| {
            l.iter()
                .filter(|d| d["status_details"]["action"] == "RESTART")
                .count()
        })
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_restart_whose_answer_is_lost_is_followed_and_not_sent_again() {
    let s = Session::with(
        Sandbox::start(&["--faults", "--provision-ms", "1500"]).await,
        "",
    )
    .await;
    let c = &s.console;
    let (path, _) = s.demo_env();
    let id = id_of(&s, "web");
    let before = restarts(&s, &id);
    c.open(&path).await;
    let button = format!("tr[data-id='{id}'] button[data-action=restart]");
    c.wait_for(&button).await;
    // The restart happens; its answer is a proxy's 504.
    s.inject_fault("lost-answer").await;
    c.click(&button).await;
    s.wait_faulted(1).await;
    s.inject_fault("").await;
    // Not a failure: followed until the container shows it, then done.
    c.wait_for_text(".berth-toasts", "Restart web: done").await;
    let said = c.text("body").await;
    assert!(!said.contains("Could not restart"), "{said}");
    assert_eq!(
        restarts(&s, &id),
        before + 1,
        "restarted once, never resent"
    );
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lost_restart_that_never_happened_says_so_and_may_be_sent_again() {
    let s = Session::with(
        Sandbox::start(&["--faults", "--provision-ms", "1500"]).await,
        "",
    )
    .await;
    let c = &s.console;
    let (path, _) = s.demo_env();
    let id = id_of(&s, "web");
    let before = restarts(&s, &id);
    c.open(&path).await;
    let button = format!("tr[data-id='{id}'] button[data-action=restart]");
    c.wait_for(&button).await;
    // A proxy's 503: the server never saw it.
    s.inject_fault("503").await;
    c.click(&button).await;
    s.wait_faulted(1).await;
    s.inject_fault("").await;
    c.wait_for_text(".berth-toasts", "nothing was done, you can try again")
        .await;
    assert_eq!(restarts(&s, &id), before, "nothing was restarted");
    // Sent again by the user, it happens once.
    c.wait_until(
        "Restart is offered again",
        &format!("document.querySelector(\"{button}\") && !document.querySelector(\"{button}\").disabled"),
    )
    .await;
    c.click(&button).await;
    c.wait_for_text(".berth-toasts", "Restart web: done").await;
    assert_eq!(restarts(&s, &id), before + 1);
    s.end().await;
}
