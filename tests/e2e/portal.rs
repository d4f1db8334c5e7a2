//! examples/portal: `<berth-console>` in a host page with its own routes and hostile global CSS.
//! Isolation both ways, routing under the host's path (links, back/forward, reload), the events the
//! host hears, removal that ends every request, a fresh console when added again, one per page.

use std::time::Duration;

use berth_harness::{Locator, Sandbox};

use crate::Session;

/// Computed styles (no colours: the host sets its own theme) of a few parts of the console,
/// found under `root`, as a JSON object; a part that is missing says so.
const STYLES: &str = r#"
const root = ROOT;
const parts = [".berth", ".berth-top", ".berth-brand", ".berth-nav-link", "main h1", ".berth-btn",
  ".berth-check", "table[aria-label='All apps'] th", "table[aria-label='All apps'] td"];
const props = ["font-family", "font-size", "font-weight", "line-height", "letter-spacing",
  "text-transform", "padding-top", "padding-left", "border-top-width", "border-top-style",
  "box-sizing", "height"];
const out = {};
for (const sel of parts) {
  const el = root.querySelector(sel);
  if (!el) { out[sel] = "missing"; continue; }
  const cs = getComputedStyle(el);
  out[sel] = props.map((p) => p === "height" && sel.startsWith("table") ? "-" : `${p}:${cs.getPropertyValue(p)}`).join("; ");
}
return out;
"#;

const SHADOW: &str = "document.querySelector('berth-console').shadowRoot";

/// The host's own parts, for the check that Berth changes nothing of the host.
const HOST_STYLES: &str = r##"
const out = {};
for (const sel of ["body", "header.portal", "#host-button", "main.portal", "aside.portal h2"]) {
  const cs = getComputedStyle(document.querySelector(sel));
  out[sel] = ["font-family", "font-size", "color", "background-color", "padding-top", "border-top-width", "line-height", "margin-top"]
    .map((p) => `${p}:${cs.getPropertyValue(p)}`).join("; ");
}
out.sheets = document.styleSheets.length;
return out;
"##;

fn in_console(sel: &str) -> String {
    format!("{SHADOW}?.querySelector({sel:?})")
}

/// Until the embedded console's overview shows the sandbox's organizations.
async fn wait_for_embedded_overview(c: &berth_harness::Console) {
    c.wait_until(
        "the embedded overview",
        &format!(
            "{}?.textContent.includes('2 organizations')",
            in_console("article[data-kind=qovery] .berth-check")
        ),
    )
    .await;
}

async fn api_requests(c: &berth_harness::Console) -> u64 {
    c.eval("return performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/')).length")
        .await
        .as_u64()
        .unwrap_or(0)
}

async fn events(c: &berth_harness::Console, kind: &str) -> Vec<serde_json::Value> {
    let v = c
        .eval(&format!(
            "return window.hostEvents.filter((e) => e.type === {kind:?}).map((e) => e.detail)"
        ))
        .await;
    v.as_array().cloned().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_portal_embeds_the_console_isolated_routed_and_heard() {
    let root = crate::portal_site("portal");
    let sandbox = Sandbox::start_with(
        &berth_harness::env_path("BERTH_SANDBOX"),
        &root,
        &["--provision-ms", "1500", "--status-lag-ms", "4000"],
    )
    .await;
    let s = Session::with(sandbox, "").await;
    let c = &s.console;
    let (env_path, _) = s.demo_env();

    // The reference: the same build on its own page.
    c.open("/console/").await;
    c.wait_for_text("article[data-kind=qovery] .berth-check", "2 organizations")
        .await;
    c.wait_for("table[aria-label='All apps'] tbody tr").await;
    let standalone = c.eval(&STYLES.replace("ROOT", "document")).await;

    // The portal's home: no console yet.
    c.goto("/portal").await;
    c.wait_for("#host-text").await;
    c.eval("performance.setResourceTimingBufferSize(100000); return null")
        .await;
    let host_before = c.eval(HOST_STYLES).await;

    // The host's link opens the console under /portal/containers.
    c.click("a[href='/portal/containers']").await;
    wait_for_embedded_overview(c).await;
    c.wait_until(
        "the all-apps rows",
        &in_console("table[aria-label='All apps'] tbody tr"),
    )
    .await;
    assert_eq!(c.path().await, "/portal/containers");
    let embedded = c.eval(&STYLES.replace("ROOT", SHADOW)).await;
    assert_eq!(
        embedded, standalone,
        "the host's CSS changed Berth's computed styles"
    );
    assert!(!standalone.to_string().contains("missing"), "{standalone}");

    // The host's theme: its accent, and the dark scheme it asked for; never its stray `.berth` rules.
    let look = c
        .eval(&format!(
            "const r = {SHADOW}; return [getComputedStyle(r.querySelector('.berth-nav-link[aria-current=page]')).color, getComputedStyle(r.querySelector('.berth')).backgroundColor, getComputedStyle(r.querySelector('.berth')).borderRadius, getComputedStyle(r.querySelector('.berth-btn')).borderTopLeftRadius]"
        ))
        .await;
    assert_eq!(
        look[0], "rgb(123, 44, 191)",
        "the host's --berth-accent: {look}"
    );
    assert_eq!(look[1], "rgb(17, 20, 24)", "theme=dark: {look}");
    assert_eq!(look[3], "2px", "the host's --berth-radius: {look}");
    c.eval("document.querySelector('berth-console').setAttribute('theme', 'light'); return null")
        .await;
    assert_eq!(
        console_background(c).await,
        "rgb(246, 247, 249)",
        "theme=light"
    );
    s.screenshot("portal-console").await;

    // Nothing of Berth's reaches the host.
    let host_after = c.eval(HOST_STYLES).await;
    assert_eq!(
        host_after, host_before,
        "Berth changed the host page's styles"
    );

    // The host heard it start and where it is.
    let ready = events(c, "berth:ready").await;
    assert_eq!(ready.len(), 1, "{ready:?}");
    let nav = events(c, "berth:navigate").await;
    assert_eq!(
        nav.last().map(|d| d["path"].clone()),
        Some("/".into()),
        "{nav:?}"
    );

    // Berth's own links route under the base; back, forward and a reload work.
    c.eval(&format!(
        "{}.click(); return null",
        in_console("a.berth-nav-link[href='/portal/containers/connections']")
    ))
    .await;
    c.wait_until(
        "the connections URL",
        "location.pathname === '/portal/containers/connections'",
    )
    .await;
    c.wait_until(
        "the connections screen",
        &format!("{}?.textContent === 'Connections'", in_console("main h1")),
    )
    .await;
    let nav = events(c, "berth:navigate").await;
    assert_eq!(
        nav.last().map(|d| d["path"].clone()),
        Some("/connections".into()),
        "{nav:?}"
    );
    assert_eq!(
        nav.last().map(|d| d["url"].clone()),
        Some("/portal/containers/connections".into())
    );
    c.client.back().await.expect("back");
    c.wait_until(
        "back to the overview",
        "location.pathname === '/portal/containers'",
    )
    .await;
    c.wait_until(
        "the overview again",
        &in_console("article[data-kind=qovery]"),
    )
    .await;
    c.client.forward().await.expect("forward");
    c.wait_until(
        "the connections screen again",
        &format!("{}?.textContent === 'Connections'", in_console("main h1")),
    )
    .await;
    c.client.refresh().await.expect("reload");
    c.wait_until(
        "the connections screen after a reload",
        &format!("{}?.textContent === 'Connections'", in_console("main h1")),
    )
    .await;
    assert_eq!(c.path().await, "/portal/containers/connections");
    c.eval("performance.setResourceTimingBufferSize(100000); return null")
        .await;

    // An operation: the host hears it start.
    c.goto(&format!("/portal/containers{env_path}")).await;
    c.eval("performance.setResourceTimingBufferSize(100000); return null")
        .await;
    // A dialog inside the shadow root takes the focus, and Escape closes it.
    let delete = in_console("tr button[data-action=delete]");
    c.wait_until("a delete button", &delete).await;
    c.eval(&format!("{delete}.click(); return null")).await;
    c.wait_until(
        "the dialog's focus",
        &format!("{SHADOW}.activeElement?.id === 'berth-confirm-input'"),
    )
    .await;
    c.eval(&format!(
        "{SHADOW}.activeElement.dispatchEvent(new KeyboardEvent('keydown', {{key: 'Escape', bubbles: true}})); return null"
    ))
    .await;
    c.wait_until(
        "the dialog closed",
        &format!("!{}", in_console(".berth-modal")),
    )
    .await;

    let restart = in_console("tr[data-state=DEPLOYED] button[data-action=restart]");
    c.wait_until("a restart button", &restart).await;
    c.eval(&format!("{restart}.click(); return null")).await;
    c.wait_until(
        "berth:action at the start",
        "window.hostEvents.some((e) => e.type === 'berth:action' && e.detail.kind === 'restart' && e.detail.outcome === null)",
    )
    .await;
    let started = events(c, "berth:action").await;
    let first = &started[0];
    assert_eq!(first["target"]["backend"], "qovery", "{first}");
    assert_eq!(first["target"]["connection"], "sandbox", "{first}");
    assert!(
        first["target"]["id"]
            .as_str()
            .is_some_and(|i| !i.is_empty()),
        "{first}"
    );

    // While it is being polled, the host leaves: every request of the console stops.
    let before = api_requests(c).await;
    c.wait_until(
        "the console polling",
        &format!("performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/')).length > {before}"),
    )
    .await;
    c.click("a[href='/portal/reports']").await;
    c.wait_until(
        "the host's reports page",
        "document.querySelector('main.portal h1')?.textContent === 'Reports'",
    )
    .await;
    let gone = c
        .eval("return document.querySelector('berth-console') === null")
        .await;
    assert_eq!(gone, true);
    // What was in flight when it was removed has ended; from here, nothing more may be sent.
    c.wait_quiet().await;
    let after_removal = api_requests(c).await;
    // Nothing in the page can say "no request is coming": 7 s is longer than the restart's poll
    // steps (1, 2, 3 s) and the moving list's poll (2.5 s), in which a console still alive sends
    // requests (the control above: "the console polling").
    tokio::time::sleep(Duration::from_secs(7)).await;
    assert_eq!(
        api_requests(c).await,
        after_removal,
        "a removed console went on sending requests"
    );
    assert!(
        events(c, "berth:action")
            .await
            .iter()
            .all(|d| d["outcome"].is_null()),
        "nothing is reported once the console is gone"
    );

    // Added again: a fresh console, which resumes the restart (kept in sessionStorage) to its end.
    c.click("a[href='/portal/containers']").await;
    c.wait_until(
        "a second start",
        "window.hostEvents.filter((e) => e.type === 'berth:ready').length === 2",
    )
    .await;
    c.wait_until(
        "berth:action at the end",
        "window.hostEvents.some((e) => e.type === 'berth:action' && e.detail.kind === 'restart' && e.detail.outcome === 'success')",
    )
    .await;

    // One console per page: a second element says why it waits, and starts when the first goes.
    c.eval("const el = document.createElement('berth-console'); el.id = 'second'; el.setAttribute('base', '/portal/containers'); el.setAttribute('config-url', '/console/config.json'); document.body.append(el); return null")
        .await;
    c.wait_until(
        "the second element's notice",
        "document.getElementById('second').shadowRoot.textContent.includes('one <berth-console> runs per page')",
    )
    .await;
    c.eval("document.querySelector('#portal-main berth-console').remove(); return null")
        .await;
    c.wait_until(
        "the second element's console",
        "document.getElementById('second').shadowRoot.querySelector('article[data-kind=qovery] .berth-check')?.textContent.includes('2 organizations')",
    )
    .await;
    let shells = c
        .client
        .find_all(Locator::Css("berth-console"))
        .await
        .expect("elements")
        .len();
    assert_eq!(shells, 1);
    s.end().await;
    let _ = std::fs::remove_dir_all(&root);
}

/// The element's `background-color` inside the console.
async fn console_background(c: &berth_harness::Console) -> String {
    c.eval(&format!(
        "return getComputedStyle({SHADOW}.querySelector('.berth')).backgroundColor"
    ))
    .await
    .as_str()
    .unwrap_or_default()
    .to_string()
}

async fn scheme(s: &Session, scheme: &str) {
    s.browser
        .cdp(
            "Emulation.setEmulatedMedia",
            serde_json::json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
        )
        .await
        .expect("emulate the system's colour scheme");
}

/// `theme="auto"` follows the system's scheme as it changes; a config that cannot be read is told
/// to the host as `berth:error` (and on the element); a changed `config-url` remounts the console
/// with the new config.
#[tokio::test(flavor = "multi_thread")]
async fn a_portal_console_follows_theme_auto_says_berth_error_and_remounts_on_a_new_config_url() {
    const DARK: &str = "rgb(17, 20, 24)";
    const LIGHT: &str = "rgb(246, 247, 249)";
    let root = crate::portal_site("portal-attrs");
    let other = serde_json::json!({ "connections": [
        { "id": "other", "kind": "qovery", "label": "Other Qovery", "base_url": "/api/qovery", "token": "sandbox" }
    ]});
    std::fs::write(root.join("console/other.json"), other.to_string()).expect("other.json");
    let sandbox = Sandbox::start_with(&berth_harness::env_path("BERTH_SANDBOX"), &root, &[]).await;
    let s = Session::with(sandbox, "").await;
    let c = &s.console;
    c.goto("/portal/containers").await;
    wait_for_embedded_overview(c).await;

    // The portal asks for dark whatever the system says: the positive control.
    scheme(&s, "light").await;
    assert_eq!(console_background(c).await, DARK, "theme=dark");
    c.eval("document.querySelector('berth-console').setAttribute('theme', 'auto'); return null")
        .await;
    let pinned = c
        .eval(&format!(
            "return {SHADOW}.querySelector('[part=frame]').hasAttribute('data-berth-theme')"
        ))
        .await;
    assert_eq!(pinned, false, "theme=auto pins no scheme");
    assert_eq!(console_background(c).await, LIGHT, "auto on a light system");
    scheme(&s, "dark").await;
    assert_eq!(console_background(c).await, DARK, "auto on a dark system");
    scheme(&s, "light").await;
    assert_eq!(
        console_background(c).await,
        LIGHT,
        "auto follows the system back"
    );

    // A config that is not there: the host hears why, and the element says it.
    let ready = events(c, "berth:ready").await.len();
    assert_eq!(ready, 1);
    c.eval("document.querySelector('berth-console').setAttribute('config-url', '/console/missing.json'); return null")
        .await;
    c.wait_until(
        "berth:error",
        "window.hostEvents.some((e) => e.type === 'berth:error')",
    )
    .await;
    let errors = events(c, "berth:error").await;
    assert_eq!(errors.len(), 1, "{errors:?}");
    let message = errors[0]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("/console/missing.json") && message.contains("404"),
        "{message}"
    );
    c.wait_until(
        "the console says it could not start",
        &format!(
            "{}?.textContent.includes('The console could not start')",
            in_console("section[role=alert]")
        ),
    )
    .await;

    // Another config: a fresh console with its connections, and a second berth:ready.
    c.eval("document.querySelector('berth-console').setAttribute('config-url', '/console/other.json'); return null")
        .await;
    c.wait_until(
        "the console on the other config",
        &format!(
            "{}?.textContent.includes('Other Qovery')",
            in_console("article[data-kind=qovery]")
        ),
    )
    .await;
    let kopernik = c
        .eval(&format!(
            "return {SHADOW}.querySelectorAll('article[data-kind=kopernik]').length"
        ))
        .await;
    assert_eq!(kopernik, 0, "the other config has no Kopernik connection");
    assert_eq!(events(c, "berth:ready").await.len(), 2);
    assert_eq!(
        c.eval(&format!(
            "return {SHADOW}.querySelectorAll('.berth-shell').length"
        ))
        .await,
        1,
        "one console after the remount"
    );
    s.end().await;
    let _ = std::fs::remove_dir_all(&root);
}
