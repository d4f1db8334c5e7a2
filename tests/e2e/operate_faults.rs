//! Failures on the operate screens (#28): what failed is shown where it happened, nothing typed is
//! lost, and a retry sends only what failed (checked through the API).

use std::time::Duration;

use berth_harness::Sandbox;

use crate::Session;

fn own_keys(s: &Session, id: &str) -> Vec<String> {
    s.api(
        "GET",
        &format!("/api/qovery/container/{id}/environmentVariable"),
        None,
    )
    .expect(200)
    .json()["results"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter(|v| v["scope"] == "CONTAINER")
        .filter_map(|v| v["key"].as_str().map(String::from))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_variables_save_keeps_every_row_and_a_retry_saves_each_once() {
    let s = Session::with_request_timeout(&["--faults"], Duration::from_secs(3)).await;
    let c = &s.console;
    let id = s.demo_container("web");
    c.open(&format!("/q/sandbox/containers/{id}?tab=variables"))
        .await;
    c.wait_for_text("section[aria-label=Variables] h2", "Variables")
        .await;
    c.click("section[aria-label=Variables] details.berth-paste summary")
        .await;
    c.fill("textarea[aria-label='KEY=VALUE lines']", "P1=one\nP2=two")
        .await;
    c.click_text("Add these variables").await;
    // A timeout's writes may have gone through: they are read back before anything is said.
    for fault in ["500", "401", "429", "timeout"] {
        s.inject_fault(fault).await;
        c.click_text("Save variables").await;
        let said = c
            .wait_for_text("section[aria-label=Variables] [role=alert]", "P2:")
            .await;
        assert!(
            said.contains("These were not saved") && said.contains("P1:"),
            "{fault}: {said}"
        );
        s.inject_fault("").await;
        assert!(
            own_keys(&s, &id).iter().all(|k| k != "P1" && k != "P2"),
            "{fault}: nothing was saved"
        );
        // The rows are still there as typed.
        let kept = c
            .eval("return [...document.querySelectorAll('section[aria-label=Variables] input[aria-label$=key]')].map(i => i.value)")
            .await;
        assert!(
            kept.as_array()
                .is_some_and(|k| k.contains(&"P1".into()) && k.contains(&"P2".into())),
            "{fault}: {kept}"
        );
        // The gate holds the connection after a 429: the next Save waits for it.
        c.wait_until(
            "Save is offered again",
            "[...document.querySelectorAll('section[aria-label=Variables] button')].some(b => b.textContent === 'Save variables' && !b.disabled)",
        )
        .await;
    }
    c.click_text("Save variables").await;
    c.wait_for_text(
        "section[aria-label=Variables] [role=status]",
        "2 changes saved",
    )
    .await;
    let keys = own_keys(&s, &id);
    for k in ["P1", "P2"] {
        assert_eq!(keys.iter().filter(|x| *x == k).count(), 1, "{k}: {keys:?}");
    }
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_partly_failed_bulk_delete_names_the_failure_and_a_retry_sends_only_it() {
    let s = Session::with(Sandbox::start(&["--provision-ms", "300"]).await, "").await;
    let uids = s.kopernik_apps("part", 3);
    let c = &s.console;
    c.open("/k/sandbox/aws?q=part-").await;
    c.wait_for("input[aria-label='Select part-3']").await;
    // The delete of part-2 is refused by a 500 (once armed); every delete is counted by app.
    c.eval(&format!(
        "window.__fail = {:?}; window.__deletes = {{}}; const f = window.fetch; window.fetch = function (input, init) {{ \
           const r = new Request(input, init); \
           if (r.method !== 'DELETE') return f.call(window, r); \
           const uid = new URL(r.url).pathname.split('/').pop(); \
           window.__deletes[uid] = (window.__deletes[uid] || 0) + 1; \
           if (uid === window.__fail) return Promise.resolve(new Response(JSON.stringify({{reason: 'injected: disk busy'}}), {{status: 500, headers: {{'Content-Type': 'application/json'}}}})); \
           return f.call(window, r); }}; return null",
        uids[1]
    ))
    .await;
    c.click("input[aria-label='Select all shown container apps']")
        .await;
    c.wait_for_text(".berth-bulk-count", "3 selected").await;
    c.click(".berth-bulk-bar button[data-bulk=delete]").await;
    c.wait_for_text("[role=dialog]", "Delete 3 container app(s)?")
        .await;
    c.fill("#berth-confirm-input", "3").await;
    c.click("[role=dialog] button.berth-btn-danger").await;
    let said = c
        .wait_for_text("[role=dialog]", "1 of 3 deletes failed")
        .await;
    assert!(
        said.contains("part-2") && said.contains("disk busy"),
        "{said}"
    );
    // Only the failed one is left to send.
    c.wait_for_text("[role=dialog]", "Delete 1 container app(s)?")
        .await;
    c.eval("window.__fail = null; return null").await;
    c.fill("#berth-confirm-input", "1").await;
    c.click("[role=dialog] button.berth-btn-danger").await;
    c.wait_until(
        "dialog closed",
        "document.querySelector('[role=dialog]') === null",
    )
    .await;
    let sent = c.eval("return window.__deletes").await;
    assert_eq!(sent[&uids[0]], 1, "{sent}");
    assert_eq!(sent[&uids[1]], 2, "the failed one, sent again: {sent}");
    assert_eq!(sent[&uids[2]], 1, "{sent}");
    s.wait_apps_gone(&uids).await;
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_application_log_says_why_it_stopped_and_keeps_its_lines() {
    let s = Session::with_request_timeout(&["--faults"], Duration::from_secs(3)).await;
    let c = &s.console;
    let id = s.demo_container("web");
    c.open(&format!("/q/sandbox/containers/{id}?tab=logs"))
        .await;
    c.wait_until(
        "lines arrived",
        "document.querySelectorAll('section[aria-label=\"Application logs\"] li').length > 0",
    )
    .await;
    for (fault, says) in [
        ("500", "HTTP 500"),
        ("401", "HTTP 401"),
        ("429", "HTTP 429"),
        ("timeout", "no answer"),
    ] {
        s.inject_fault(fault).await;
        c.wait_for_text("section[aria-label='Application logs']", says)
            .await;
        let lines = c
            .eval("return document.querySelectorAll('section[aria-label=\"Application logs\"] li').length")
            .await;
        assert!(lines.as_u64().is_some_and(|n| n > 0), "{fault}: lines kept");
        s.inject_fault("").await;
        c.wait_until(
            "the error went with the next read",
            &format!("!document.querySelector(\"section[aria-label='Application logs']\").textContent.includes('{says}')"),
        )
        .await;
    }
    s.end().await;
}

const FAULTS: [(&str, &str); 4] = [
    ("500", "HTTP 500"),
    ("401", "HTTP 401"),
    ("429", "HTTP 429"),
    ("timeout", "no answer"),
];

/// Opens `web`'s page from the list (the page's own requests then carry the injected fault),
/// waits for `says` in `css`, and goes back to the list.
/// Opens the container `id`, clicks `then` if given, and waits for `css` to say `says`.
async fn open_web_and_see(
    s: &Session,
    id: &str,
    then: Option<&str>,
    css: &str,
    says: &str,
) -> String {
    let c = &s.console;
    c.click(&format!("tr[data-id='{id}'] a[href$='/containers/{id}']"))
        .await;
    if let Some(button) = then {
        c.click_text(button).await;
    }
    let said = c.wait_for_text(css, says).await;
    // The rest of the page works: its tabs and actions are there.
    c.wait_for("[role=tablist] [role=tab]").await;
    c.eval("history.back(); return null").await;
    c.wait_for(&format!("tr[data-id='{id}']")).await;
    said
}

#[tokio::test(flavor = "multi_thread")]
async fn links_and_registry_tags_that_cannot_be_read_say_why_and_the_page_still_works() {
    let s = Session::with_request_timeout(&["--faults"], Duration::from_secs(3)).await;
    let (path, _) = s.demo_env();
    let id = s.demo_container("web");
    let c = &s.console;
    c.open(&path).await;
    c.wait_for(&format!("tr[data-id='{id}']")).await;
    for (fault, says) in FAULTS {
        s.inject_fault_on(fault, "/link").await;
        let said = open_web_and_see(&s, &id, None, "section[aria-label=Links]", says).await;
        assert!(said.contains("Links could not be read"), "{fault}: {said}");
        // The registry's tags: the field stays usable, typed by hand.
        s.inject_fault_on(fault, "/images").await;
        let said = open_web_and_see(
            &s,
            &id,
            Some("Choose another tag"),
            "form[aria-label='Deploy another tag']",
            says,
        )
        .await;
        assert!(
            said.contains("The registry's tags could not be read") && said.contains("type the tag"),
            "{fault}: {said}"
        );
    }
    // Without a fault, neither says anything and the links are there.
    s.inject_fault("").await;
    c.click(&format!("tr[data-id='{id}'] a[href$='/containers/{id}']"))
        .await;
    c.wait_for("section[aria-label=Links] a.berth-btn").await;
    c.click_text("Choose another tag").await;
    c.wait_until(
        "the tags were offered",
        "document.querySelectorAll('#berth-deploy-tags option').length > 0",
    )
    .await;
    assert_eq!(
        c.eval("return document.querySelector('[data-tags-unread]') === null")
            .await,
        true
    );
    s.end().await;
}
