//! Detail pages and the all-apps overview.

use crate::Session;
use berth_harness::Sandbox;

#[tokio::test(flavor = "multi_thread")]
async fn qovery_detail_shows_every_group_and_the_raw_json() {
    let s = Session::with(Sandbox::start(&["--provision-ms", "1000"]).await, "").await;
    let (path, _) = s.demo_env();
    let c = &s.console;
    c.open(&path).await;
    c.click_text("whoami").await;
    c.wait_for_text("main h1", "whoami").await;
    assert!(c.path().await.starts_with("/q/sandbox/containers/"));
    for group in [
        "General",
        "Deployment",
        "Resources",
        "Health checks",
        "Ports",
        "Storage",
    ] {
        c.wait_for(&format!("section[aria-label='{group}']")).await;
    }
    c.wait_for_text("section[aria-label=General]", "traefik/whoami:v1.10")
        .await;
    c.wait_for_text("section[aria-label='Health checks']", "TCP port 80")
        .await;
    let raw = c
        .eval("return document.querySelector('[data-raw-json]').textContent")
        .await;
    let raw: serde_json::Value =
        serde_json::from_str(raw.as_str().expect("text")).expect("the raw view is the JSON");
    assert_eq!(raw["name"], "whoami");
    s.screenshot("qovery-detail").await;

    // Never deployed: an empty history, which the deploy below fills without a reload.
    c.wait_for_text(
        "section[aria-label='Deployment history']",
        "No deployments yet.",
    )
    .await;

    c.click("button[data-action=deploy]").await;
    c.wait_for_text(".berth-page-head", "Deployment queued")
        .await;
    c.wait_for_text(".berth-page-head", "Deployed").await;
    const FIRST: &str = "table[aria-label='Deployment history'] tbody tr:first-child";
    c.wait_until(
        "the deploy in the history, ended",
        &format!("document.querySelector(\"{FIRST}\")?.dataset.outcome === 'succeeded'"),
    )
    .await;
    let row = c.text(FIRST).await;
    assert!(
        row.contains("deploy")
            && row.contains("traefik/whoami:v1.10")
            && (row.contains("ago") || row.contains("just now")),
        "{row}"
    );
    // When, as people read it: relative, the exact time on hover.
    let exact = c
        .eval(&format!(
            "return document.querySelector(\"{FIRST} time\")?.getAttribute('title')"
        ))
        .await;
    assert!(
        exact
            .as_str()
            .is_some_and(|t| t.ends_with(" UTC") && t.len() == 23),
        "{exact}"
    );
    let duration = c.text(&format!("{FIRST} td.num")).await;
    assert!(
        duration.ends_with(" s"),
        "a finished deployment has a duration: {row}"
    );
    s.screenshot("qovery-detail-history").await;
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn kopernik_detail_and_delete_from_it() {
    let s = Session::with(Sandbox::start(&["--provision-ms", "200"]).await, "").await;
    let c = &s.console;
    c.open("/k/sandbox/digitalocean").await;
    c.click_text("nginx-1").await;
    c.wait_for_text("main h1", "nginx-1").await;
    c.wait_for_text("section[aria-label=Machine]", "203.0.113.1")
        .await;
    c.wait_for_text("section[aria-label=Container]", "nginx:1.27")
        .await;
    // Its address: the machine's public IP and the first port, opened in a new tab.
    let open = c
        .eval("const a = document.querySelector('a[data-open]'); return [a.getAttribute('href'), a.target, a.rel]")
        .await;
    assert_eq!(
        open,
        serde_json::json!(["http://203.0.113.1:80", "_blank", "noopener noreferrer"])
    );
    let raw = c
        .eval("return JSON.parse(document.querySelector('[data-raw-json]').textContent).uid")
        .await;
    assert!(raw.is_string());
    s.screenshot("kopernik-detail").await;

    c.click("button[data-action=delete]").await;
    c.fill("#berth-confirm-input", "nginx-1").await;
    c.click("[role=dialog] button.berth-btn-danger").await;
    c.wait_until(
        "back on the list",
        "location.pathname === '/k/sandbox/digitalocean'",
    )
    .await;
    c.wait_for("table[aria-label='Container apps'] tbody tr")
        .await;
    let names = c.text("table[aria-label='Container apps']").await;
    assert!(!names.contains("nginx-1"), "{names}");
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn all_apps_merges_every_connection_and_opens_rows_by_keyboard() {
    let s = Session::start().await;
    let c = &s.console;
    c.open("/").await;
    // 4 environments × 4 containers, and 5 apps on each of 3 providers.
    c.wait_until(
        "all rows",
        "document.querySelectorAll('table[aria-label=\"All apps\"] tbody tr').length === 31",
    )
    .await;
    let table = c.text("table[aria-label='All apps']").await;
    assert!(table.contains("Sandbox Qovery") && table.contains("Sandbox Kopernik"));
    s.screenshot("overview-all-apps").await;
    c.fill("input[type=search]", "redis").await;
    c.wait_until(
        "narrowed",
        "document.querySelectorAll('table[aria-label=\"All apps\"] tbody tr').length === 11",
    )
    .await;
    // The URL is written once typing settles (state/url_query.rs).
    c.wait_until(
        "the search in the URL",
        "location.search.includes('q=redis')",
    )
    .await;

    // Keyboard: focus the first row's link and press Enter.
    c.eval(
        "document.querySelector('table[aria-label=\"All apps\"] tbody tr a').focus(); return null",
    )
    .await;
    let focused = c.eval("return document.activeElement.textContent").await;
    let link = c.client.active_element().await.expect("focus");
    link.send_keys("\u{E007}").await.expect("enter");
    c.wait_for_text("main h1", focused.as_str().expect("name"))
        .await;
    s.end().await;
}

/// The page's "Updated …" line.
const UPDATED: &str = "return document.querySelector('main .berth-updated')?.textContent ?? ''";

/// The seconds an "Updated N s ago" line says, if it says so.
fn seconds(text: &serde_json::Value) -> Option<u64> {
    text.as_str()?
        .strip_prefix("Updated ")?
        .strip_suffix(" s ago")?
        .parse()
        .ok()
}

#[tokio::test(flavor = "multi_thread")]
async fn updated_counts_the_seconds_since_the_last_read_and_refresh_starts_again() {
    let s = Session::start().await;
    let c = &s.console;
    let id = s.demo_container("web");
    c.open(&format!("/q/sandbox/containers/{id}")).await;
    c.wait_for_text("main h1", "web").await;
    // Read just now; a deployed container is polled every 30 s, so the line then counts up.
    c.wait_until(
        "read just now",
        &format!("(() => {{ {UPDATED} }})() === 'Updated just now'"),
    )
    .await;
    c.wait_until(
        "Updated N s ago",
        &format!("/^Updated \\d+ s ago$/.test((() => {{ {UPDATED} }})())"),
    )
    .await;
    let first = seconds(&c.eval(UPDATED).await).unwrap_or_default();
    assert!((5..30).contains(&first), "{first}");
    c.wait_until(
        "the count goes on",
        &format!(
            "(() => {{ const m = /^Updated (\\d+) s ago$/.exec((() => {{ {UPDATED} }})()); return m !== null && Number(m[1]) > {first}; }})()"
        ),
    )
    .await;
    // Refresh reads again: back to "just now".
    c.click_text("Refresh").await;
    c.wait_until(
        "read again just now",
        &format!("(() => {{ {UPDATED} }})() === 'Updated just now'"),
    )
    .await;
    s.end().await;
}
