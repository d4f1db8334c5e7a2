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
    let id = s.demo_container("web");
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

/// A session with faults on, the demo's list open; answers web's id and its Restart button.
async fn web_in_its_list() -> (Session, String, String) {
    let s = Session::with(
        Sandbox::start(&["--faults", "--provision-ms", "1500"]).await,
        "",
    )
    .await;
    let (path, _) = s.demo_env();
    let id = s.demo_container("web");
    s.console.open(&path).await;
    let button = format!("tr[data-id='{id}'] button[data-action=restart]");
    s.console.wait_for(&button).await;
    (s, id, button)
}

/// Clicks `button` and waits until the request it sends went out with the injected fault
/// (counted from before the click: an answer that comes at once is not missed).
async fn click_counted(s: &Session, button: &str) {
    let before = s.console.eval("return window.__faulted || 0").await;
    s.console.click(button).await;
    s.console
        .wait_until(
            "the click's request was sent",
            &format!("(window.__faulted || 0) > {before}"),
        )
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_restart_whose_answer_is_lost_is_followed_and_not_sent_again() {
    let (s, id, button) = web_in_its_list().await;
    let c = &s.console;
    let before = restarts(&s, &id);
    // The restart happens; its answer is a proxy's 504.
    s.inject_fault("lost-answer").await;
    click_counted(&s, &button).await;
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
    let (s, id, button) = web_in_its_list().await;
    let c = &s.console;
    let before = restarts(&s, &id);
    // A proxy's 503: the server never saw it.
    s.inject_fault("503").await;
    click_counted(&s, &button).await;
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

#[tokio::test(flavor = "multi_thread")]
async fn a_bulk_delete_goes_through_the_connections_gate_and_deletes_every_app() {
    let s = Session::with(Sandbox::start(&["--provision-ms", "300"]).await, "").await;
    let uids = s.kopernik_apps("many", 9);
    let c = &s.console;
    c.open("/k/sandbox/aws?q=many-").await;
    c.wait_for("input[aria-label='Select many-9']").await;
    // Each delete is held 500 ms in the page, so requests that go at once overlap; the most in
    // flight together is recorded.
    c.eval(
        "window.__inFlight = 0; window.__most = 0; const f = window.fetch; window.fetch = function (input, init) { \
           const r = new Request(input, init); \
           if (r.method !== 'DELETE') return f.call(window, r); \
           window.__inFlight += 1; window.__most = Math.max(window.__most, window.__inFlight); \
           const done = () => { window.__inFlight -= 1; }; \
           return new Promise(ok => setTimeout(ok, 500)).then(() => f.call(window, r)).then(a => { done(); return a; }, e => { done(); throw e; }); }; \
         return null",
    )
    .await;
    c.click("input[aria-label='Select all shown container apps']")
        .await;
    c.wait_for_text(".berth-bulk-count", "9 selected").await;
    c.click(".berth-bulk-bar button[data-bulk=delete]").await;
    c.wait_for_text("[role=dialog]", "Delete 9 container app(s)?")
        .await;
    c.fill("#berth-confirm-input", "9").await;
    c.click("[role=dialog] button.berth-btn-danger").await;
    c.wait_until(
        "dialog closed",
        "document.querySelector('[role=dialog]') === null",
    )
    .await;
    let most = c.eval("return window.__most").await;
    assert!(
        most.as_u64().is_some_and(|m| (2..=6).contains(&m)),
        "at most 6 deletes at once, and more than one (the gate is a cap, not a queue of one): {most}"
    );
    s.wait_apps_gone(&uids).await;
    s.end().await;
}

/// Records when the page calls `fetch` for the API (ms since the page's start), in
/// `window.__sent`.
async fn record_sends(s: &Session) {
    s.console
        .eval(
            "window.__sent = []; const f = window.fetch; window.fetch = function (input, init) { \
               const r = new Request(input, init); \
               if (new URL(r.url).pathname.includes('/api/')) window.__sent.push(performance.now()); \
               return f.call(window, r); }; return null",
        )
        .await;
}

/// Clicks Refresh and answers how long the page took to send the list's first request.
async fn refresh_delay_ms(s: &Session) -> f64 {
    let c = &s.console;
    c.wait_until(
        "Refresh is enabled",
        "[...document.querySelectorAll('button')].some(b => b.textContent === 'Refresh' && !b.disabled)",
    )
    .await;
    let clicked = c
        .eval(
            "window.__sent = []; const b = [...document.querySelectorAll('button')].find(b => b.textContent === 'Refresh'); \
             const t = performance.now(); b.click(); return t",
        )
        .await;
    c.wait_until("the refresh was sent", "window.__sent.length > 0")
        .await;
    let sent = c.eval("return window.__sent[0]").await;
    sent.as_f64().unwrap_or(0.0) - clicked.as_f64().unwrap_or(0.0)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_429_without_retry_after_holds_every_request_of_the_connection() {
    let s = Session::with(Sandbox::start(&["--faults"]).await, "").await;
    let c = &s.console;
    let (path, _) = s.demo_env();
    c.open(&path).await;
    c.wait_for("table[aria-label=Containers] tbody tr").await;
    record_sends(&s).await;
    // Positive control: a refresh goes at once.
    let free = refresh_delay_ms(&s).await;
    assert!(free < 1000.0, "a refresh is sent at once: {free} ms");
    // One answer is a 429 without Retry-After (a proxy's): the next request of the connection,
    // whoever sends it, waits the 2 s back-off.
    c.eval(
        "const f = window.fetch; let once = true; window.fetch = function (input, init) { \
           if (!once) return f.call(window, input, init); once = false; \
           return Promise.resolve(new Response('{\"message\":\"slow down\"}', {status: 429, headers: {'Content-Type': 'application/json'}})); }; \
         return null",
    )
    .await;
    c.wait_until(
        "Refresh is enabled",
        "[...document.querySelectorAll('button')].some(b => b.textContent === 'Refresh' && !b.disabled)",
    )
    .await;
    c.eval("[...document.querySelectorAll('button')].find(b => b.textContent === 'Refresh').click(); return null")
        .await;
    let held = refresh_delay_ms(&s).await;
    assert!(
        held > 1200.0,
        "after a 429 the next request waits for the back-off: {held} ms"
    );
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn rows_show_their_likely_action_and_the_rest_in_a_keyboard_menu_without_sideways_scroll() {
    let s = Session::start().await;
    let c = &s.console;
    let (path, _) = s.demo_env();
    let web = s.demo_container("web");
    c.open(&path).await;
    let row = format!("tr[data-id='{web}']");
    c.wait_for(&format!("{row} details.berth-menu summary"))
        .await;
    // At 1280 px (the test browser's width) nothing scrolls sideways, and every row's actions
    // are in view.
    let fits = c
        .eval(
            "const boxes = [document.scrollingElement, ...document.querySelectorAll('.berth-table-scroll')]; \
             const wide = boxes.filter(b => b && b.scrollWidth > b.clientWidth + 1).map(b => (b.className || 'page') + ' ' + b.scrollWidth + '>' + b.clientWidth); \
             const out = [...document.querySelectorAll('td.berth-row-actions')].filter(td => td.getBoundingClientRect().right > window.innerWidth); \
             return {wide, out: out.length, width: window.innerWidth}",
        )
        .await;
    s.screenshot("containers-at-1280").await;
    assert_eq!(fits["wide"], serde_json::json!([]), "{fits}");
    assert_eq!(fits["out"], 0, "{fits}");
    assert_eq!(fits["width"], 1280, "{fits}");
    // A deployed container's likely action is Redeploy, in the row; the others are in its menu.
    let visible = |action: &str| {
        format!(
            "(() => {{ const b = document.querySelector(\"{row} button[data-action={action}]\"); return !!b && b.checkVisibility(); }})()"
        )
    };
    assert_eq!(
        c.eval(&format!("return {}", visible("redeploy"))).await,
        true
    );
    assert_eq!(
        c.eval(&format!("return {}", visible("restart"))).await,
        false
    );
    // The keyboard opens it, moves in it and closes it, the focus back on its toggle.
    c.eval(&format!(
        "document.querySelector(\"{row} details.berth-menu summary\").focus(); return null"
    ))
    .await;
    c.press("\u{E007}").await; // Enter
    c.wait_until(
        "the menu opened",
        &format!("document.querySelector(\"{row} details.berth-menu\").open"),
    )
    .await;
    assert_eq!(
        c.eval(&format!("return {}", visible("restart"))).await,
        true
    );
    c.press("\u{E004}").await; // Tab: into the menu
    let focused = c
        .eval("return document.activeElement.closest('.berth-menu-list') !== null")
        .await;
    assert_eq!(focused, true, "Tab moves into the open menu");
    c.press("\u{E00C}").await; // Escape
    c.wait_until(
        "the menu closed",
        &format!("!document.querySelector(\"{row} details.berth-menu\").open"),
    )
    .await;
    let back = c
        .eval("return document.activeElement.tagName + '|' + document.activeElement.getAttribute('aria-label')")
        .await;
    assert_eq!(
        back, "SUMMARY|More actions",
        "the focus is back on the toggle"
    );
    s.screenshot("containers-row-menu").await;
    s.end().await;
}
