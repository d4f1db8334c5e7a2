//! The Qovery containers list: live states, actions by state, delete by typed name, search / sort /
//! filter in the URL, failures that keep the stale rows, API text rendered as text.

use std::time::Duration;

use crate::Session;
use berth_harness::{Locator, Sandbox};
use serde_json::json;

fn row(name: &str) -> String {
    format!("//table[@aria-label='Containers']//tr[td[2][normalize-space(.)='{name}']]")
}

async fn click_in_row(s: &Session, name: &str, action: &str) {
    let xpath = format!("{}//button[@data-action='{action}']", row(name));
    let b = s
        .console
        .client
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::XPath(&xpath))
        .await
        .expect("action button");
    // The row's other actions are in its menu: opened first, as a user does.
    if let Ok(arg) = serde_json::to_value(&b) {
        let _ = s
            .console
            .client
            .execute(
                "const m = arguments[0].closest('details.berth-menu'); if (m) m.open = true; return null;",
                vec![arg],
            )
            .await;
    }
    b.click().await.expect("click");
}

async fn chip(s: &Session, name: &str) -> String {
    let xpath = format!("{}/td[4]//span", row(name));
    match s.console.client.find(Locator::XPath(&xpath)).await {
        Ok(e) => e.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// True once the stale-rows error panel is gone.
const STALE_GONE: &str = "document.querySelector('.berth-stale') === null";

/// Ends the injected fault, presses Retry and waits for the stale error to go.
async fn clear_fault_and_retry(s: &Session) {
    s.inject_fault("").await;
    s.console.click_text("Retry").await;
    s.console.wait_until("error cleared", STALE_GONE).await;
}

async fn wait_chip(s: &Session, name: &str, want: &str, limit: Duration) {
    let start = std::time::Instant::now();
    loop {
        let got = chip(s, name).await;
        if got == want {
            return;
        }
        assert!(
            start.elapsed() < limit,
            "{name}'s chip stayed {got:?}, expected {want:?}"
        );
        crate::poll_gap().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn states_are_live_and_actions_follow_them() {
    let s = Session::with(Sandbox::start(&["--provision-ms", "1500"]).await, "").await;
    let (path, _) = s.demo_env();
    let c = &s.console;
    c.open(&path).await;
    c.wait_for("table[aria-label=Containers] tbody tr").await;
    wait_chip(&s, "web", "Deployed", Duration::from_secs(10)).await;
    assert_eq!(chip(&s, "whoami").await, "Never deployed");
    assert_eq!(chip(&s, "worker").await, "Deployment error");
    let tone = c.eval("return document.querySelector('tr[data-state=DEPLOYMENT_ERROR] span[data-tone]').dataset.tone").await;
    assert_eq!(tone, "error");
    // Deploy is offered where the state allows it and only there.
    let disabled = |name: &str, action: &str| {
        format!("document.evaluate(\"{}//button[@data-action='{action}']\", document, null, 9, null).singleNodeValue.disabled", row(name))
    };
    assert_eq!(
        c.eval(&format!("return {}", disabled("web", "deploy")))
            .await,
        true
    );
    assert_eq!(
        c.eval(&format!("return {}", disabled("whoami", "stop")))
            .await,
        true
    );
    assert_eq!(
        c.eval(&format!("return {}", disabled("whoami", "deploy")))
            .await,
        false
    );
    s.screenshot("qovery-containers").await;

    click_in_row(&s, "whoami", "deploy").await;
    wait_chip(&s, "whoami", "Deployment queued", Duration::from_secs(5)).await;
    // The list polls fast while a row moves: the chip reaches Deployed without a reload.
    wait_chip(&s, "whoami", "Deployed", Duration::from_secs(20)).await;

    click_in_row(&s, "web", "stop").await;
    wait_chip(&s, "web", "Stopped", Duration::from_secs(20)).await;
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn search_sort_and_filter_live_in_the_url() {
    let s = Session::start().await;
    let (path, _) = s.demo_env();
    let c = &s.console;
    c.open(&path).await;
    c.wait_for("table[aria-label=Containers] tbody tr").await;
    c.fill("input[type=search]", "cach").await;
    c.wait_until(
        "one row",
        "document.querySelectorAll('table[aria-label=Containers] tbody tr').length === 1",
    )
    .await;
    c.wait_until("the search in the URL", "location.search === '?q=cach'")
        .await;

    c.open(&format!("{path}?q=cach")).await;
    c.wait_until(
        "one row after reload",
        "document.querySelectorAll('table[aria-label=Containers] tbody tr').length === 1",
    )
    .await;
    assert_eq!(
        c.eval("return document.querySelector('input[type=search]').value")
            .await,
        "cach"
    );

    c.open(&path).await;
    c.wait_for("table[aria-label=Containers] tbody tr").await;
    c.click("th button.berth-sort").await; // Name
    c.wait_until(
        "sorted by name",
        "document.querySelector('th[aria-sort=ascending]') !== null",
    )
    .await;
    let names = c.eval("return [...document.querySelectorAll('table[aria-label=Containers] tbody tr td:nth-child(2)')].map(t => t.textContent)").await;
    assert_eq!(names, json!(["cache", "web", "whoami", "worker"]));
    c.click("th button.berth-sort").await;
    c.wait_until(
        "descending",
        "document.querySelector('th[aria-sort=descending]') !== null",
    )
    .await;
    c.wait_until(
        "the sort in the URL",
        "location.search.includes('sort=name&dir=desc')",
    )
    .await;

    c.eval("const s = document.querySelector('select[aria-label=\"Filter by status\"]'); s.value = 'STOPPED'; s.dispatchEvent(new Event('change')); return null").await;
    c.wait_until(
        "filtered",
        "document.querySelectorAll('table[aria-label=Containers] tbody tr').length === 1",
    )
    .await;
    c.wait_until(
        "the filter in the URL",
        "location.search.includes('status=STOPPED')",
    )
    .await;
    c.wait_for_text(".berth-count", "1 of 4 containers").await;
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn delete_asks_for_the_typed_name_and_removes_the_row() {
    let s = Session::start().await;
    let (path, env) = s.demo_env();
    let c = &s.console;
    c.open(&path).await;
    click_in_row(&s, "cache", "delete").await;
    c.wait_for("[role=dialog]").await;
    let confirm = "[role=dialog] button.berth-btn-danger";
    assert_eq!(
        c.eval(&format!(
            "return document.querySelector('{confirm}').disabled"
        ))
        .await,
        true
    );
    c.fill("#berth-confirm-input", "cach").await;
    assert_eq!(
        c.eval(&format!(
            "return document.querySelector('{confirm}').disabled"
        ))
        .await,
        true
    );
    c.fill("#berth-confirm-input", "cache").await;
    c.click(confirm).await;
    c.wait_until(
        "dialog closed",
        "document.querySelector('[role=dialog]') === null",
    )
    .await;
    c.wait_until(
        "row gone",
        "document.querySelectorAll('table[aria-label=Containers] tbody tr').length === 3",
    )
    .await;
    let left = s
        .api(
            "GET",
            &format!("/api/qovery/environment/{env}/container"),
            None,
        )
        .json();
    assert!(left["results"]
        .as_array()
        .expect("list")
        .iter()
        .all(|x| x["name"] != "cache"));
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn failures_show_the_error_and_keep_the_stale_rows() {
    // A hung request is given up after 4 s (config.json), not 30.
    let s = Session::with_request_timeout(&["--faults"], Duration::from_secs(4)).await;
    let (path, _) = s.demo_env();
    let c = &s.console;
    c.open(&path).await;
    c.wait_for("table[aria-label=Containers] tbody tr").await;
    for (fault, expected) in [
        ("500", "HTTP 500"),
        ("malformed", "could not be read"),
        ("drop", "No answer"),
        ("timeout", "No answer"),
    ] {
        s.inject_fault(fault).await;
        c.click_text("Refresh").await;
        c.wait_for_text_within(".berth-stale", expected, Duration::from_secs(20))
            .await;
        let rows = c
            .eval(
                "return document.querySelectorAll('table[aria-label=Containers] tbody tr').length",
            )
            .await;
        assert_eq!(rows, 4, "{fault}: the stale rows must stay");
        if fault == "500" {
            c.wait_for_text(".berth-stale", "Request id").await;
            s.screenshot("qovery-stale-error").await;
        }
        clear_fault_and_retry(&s).await;
    }
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn api_strings_render_as_text() {
    let s = Session::start().await;
    let (path, env) = s.demo_env();
    let regs = s
        .api(
            "GET",
            &format!(
                "/api/qovery/organization/{}/containerRegistry",
                path.split('/').nth(3).unwrap_or_default()
            ),
            None,
        )
        .json();
    let reg = regs["results"][0]["id"]
        .as_str()
        .expect("registry")
        .to_string();
    let evil = "<img src=x onerror=alert(1)>";
    s.api("POST", &format!("/api/qovery/environment/{env}/container"), Some(&json!({"name": evil, "registry_id": reg, "image_name": "<b>bold</b>", "tag": "1", "healthchecks": {}})))
        .expect(201);
    let c = &s.console;
    c.open(&path).await;
    c.wait_for_text("table[aria-label=Containers]", evil).await;
    c.wait_for_text("table[aria-label=Containers]", "<b>bold</b>:1")
        .await;
    assert_eq!(
        c.eval("return document.querySelectorAll('main img, main b').length")
            .await,
        0
    );
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rate_limit_is_shown_and_its_retry_after_is_honoured() {
    // A long provisioning keeps rows moving, so the list polls every 2.5 s.
    let s = Session::with(
        Sandbox::start(&["--faults", "--provision-ms", "120000"]).await,
        "",
    )
    .await;
    let (path, _) = s.demo_env();
    let c = &s.console;
    c.open(&path).await;
    c.wait_for("table[aria-label=Containers] tbody tr").await;
    c.click("tr[data-state=READY] button[data-action=deploy]")
        .await;

    // A 503 says how long the server asked to wait.
    s.inject_fault("503").await;
    let text = c.wait_for_text(".berth-stale", "HTTP 503").await;
    assert!(text.contains("wait 3 s"), "the Retry-After is said: {text}");
    clear_fault_and_retry(&s).await;

    // A poll answered 429 with Retry-After: 20 is not retried before 20 s, though the list
    // polls every 2.5 s and the server answers again at once.
    s.inject_fault("429:20").await;
    // The list's own poll may be held first by a 429 another caller of the connection got (the
    // operation's poll): it shows the 429 once it is sent, 20 s later at most.
    let text = c
        .wait_for_text_within(".berth-stale", "HTTP 429", Duration::from_secs(45))
        .await;
    assert!(
        text.contains("wait 20 s"),
        "the Retry-After is said: {text}"
    );
    let asked = std::time::Instant::now();
    s.inject_fault("").await;
    loop {
        let gone = c.eval(&format!("return {STALE_GONE}")).await;
        if gone == true {
            break;
        }
        assert!(
            asked.elapsed() < Duration::from_secs(45),
            "the list never polled again after the 429"
        );
        crate::poll_gap().await;
    }
    let waited = asked.elapsed();
    assert!(
        waited >= Duration::from_secs(17),
        "polled again {waited:?} after a 429 that asked for 20 s"
    );
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_polled_row_is_updated_in_place_and_keeps_the_focus() {
    let s = Session::with(Sandbox::start(&["--provision-ms", "3000"]).await, "").await;
    let (path, _) = s.demo_env();
    let c = &s.console;
    c.open(&path).await;
    c.wait_for("table[aria-label=Containers] tbody tr").await;
    click_in_row(&s, "whoami", "deploy").await;
    wait_chip(&s, "whoami", "Deployment queued", Duration::from_secs(5)).await;
    // Mark the row's element and focus its link: a row rebuilt by a poll would lose both.
    let mark = format!(
        "const tr = document.evaluate(\"{}\", document, null, 9, null).singleNodeValue; \
         tr.__berthMark = 'same'; tr.querySelector('a').focus(); return null",
        row("whoami")
    );
    c.eval(&mark).await;
    // Several polls while it moves (every 2.5 s), then the state it ends in.
    wait_chip(&s, "whoami", "Deployed", Duration::from_secs(30)).await;
    let kept = format!(
        "const tr = document.evaluate(\"{}\", document, null, 9, null).singleNodeValue; \
         return [tr.__berthMark || 'rebuilt', document.activeElement === tr.querySelector('a')]",
        row("whoami")
    );
    assert_eq!(c.eval(&kept).await, serde_json::json!(["same", true]));
    s.end().await;
}
