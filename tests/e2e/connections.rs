//! Tokens go only where they were given: bound to their base URL, refused for a base URL the browser
//! would read as another host, and kept apart between consoles on one origin.

use berth_harness::Sandbox;

use crate::Session;

/// Records the `Authorization` header of every request the page sends from now on.
const RECORD: &str = "window.__sent = []; const f = window.fetch; window.fetch = function (input, init) { \
    const r = new Request(input, init); window.__sent.push([r.url, r.headers.get('Authorization')]); \
    return f.call(window, r); }; return null";

/// The rows of the Connections table, as text.
const ROWS: &str = "return [...document.querySelectorAll('table[aria-label=Connections] tbody tr')].map((r) => r.textContent)";

#[tokio::test(flavor = "multi_thread")]
async fn a_changed_base_url_does_not_take_the_token_along() {
    let s = Session::start().await;
    let c = &s.console;
    c.open("/connections").await;
    c.click("tr[data-conn=sandbox] button").await; // Edit on the Qovery row
    c.wait_for("form[aria-label='Edit connection']").await;
    let token = c
        .eval("return document.querySelector('#conn-token').value")
        .await;
    assert_eq!(token, "sandbox", "the config's token, for the config's URL");

    // The same API under another address: the token was not given for it.
    let moved = format!("{}/api/qovery", s.sandbox.url);
    c.fill("#conn-url", &moved).await;
    c.wait_until(
        "the token field emptied by the new base URL",
        "document.querySelector('#conn-token').value === ''",
    )
    .await;
    c.click("form button[type=submit]").await;
    c.wait_for_text("table[aria-label=Connections]", &moved)
        .await;

    c.eval(RECORD).await;
    c.nav("Overview").await;
    c.wait_for_text("article[data-kind=qovery] .berth-check", "HTTP 401")
        .await;
    let sent = c
        .eval("return window.__sent.filter(([u]) => u.includes('/api/qovery')).map(([, a]) => a)")
        .await;
    let sent = sent.as_array().cloned().unwrap_or_default();
    assert!(!sent.is_empty(), "no request to the new URL was seen");
    assert!(
        sent.iter().all(|a| a.is_null()),
        "a token went to the new base URL: {sent:?}"
    );

    // After a reload neither the config's token nor a stored one comes back for the new URL;
    // the connection whose URL did not change keeps its token.
    c.open("/").await;
    c.wait_for_text("article[data-kind=qovery] .berth-check", "HTTP 401")
        .await;
    c.open("/connections").await;
    c.wait_for_text("table[aria-label=Connections]", &moved)
        .await;
    let rows = c.eval(ROWS).await;
    let rows: Vec<String> = rows
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| r.as_str().unwrap_or_default().to_string())
        .collect();
    let qovery = rows.iter().find(|r| r.contains(&moved));
    assert!(
        qovery.is_some_and(|r| r.ends_with("noneEditRemove")),
        "{rows:?}"
    );
    let kopernik = rows.iter().find(|r| r.contains("/api/kopernik/v0"));
    assert!(kopernik.is_some_and(|r| r.contains("set")), "{rows:?}");
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_base_url_with_a_tab_is_refused_at_its_field() {
    let s = Session::start().await;
    let c = &s.console;
    c.open("/connections").await;
    c.click("tr[data-conn=sandbox] button").await;
    c.wait_for("form[aria-label='Edit connection']").await;
    // Typed by script: a tab key would move the focus. The browser would drop the tab and send
    // the token to //evil.example.
    c.eval(
        "const i = document.querySelector('#conn-url'); i.value = '/\\t/evil.example/api'; \
         i.dispatchEvent(new Event('input', { bubbles: true })); return null",
    )
    .await;
    c.click("form button[type=submit]").await;
    c.wait_for_text("#conn-url-error", "contains a tab at position 2")
        .await;
    let kept = c
        .eval("return document.querySelector('#conn-url').value")
        .await;
    assert_eq!(kept, "/\t/evil.example/api", "what was typed is kept");
    let rows = c.eval(ROWS).await.to_string();
    assert!(
        !rows.contains("evil") && rows.contains("/api/qovery"),
        "{rows}"
    );
    s.end().await;
}

/// A host page that shows one `<berth-console>` under /host: `show(storageKey, configUrl, config)`.
const HOST: &str = r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Host</title>
<script type="module" src="/console/berth-embed.js"></script></head>
<body><main id="slot"></main>
<script>
window.show = (key, configUrl, config) => {
  const el = document.createElement("berth-console");
  el.setAttribute("base", "/host");
  el.setAttribute("config-url", configUrl || "/console/config.json");
  if (key) el.setAttribute("storage-key", key);
  if (config) el.config = config;
  document.getElementById("slot").replaceChildren(el);
};
</script></body></html>"#;

const SHADOW: &str = "document.querySelector('berth-console')?.shadowRoot";

async fn qovery_check(c: &berth_harness::Console, what: &str, needle: &str) {
    c.wait_until(
        what,
        &format!("{SHADOW}?.querySelector('article[data-kind=qovery] .berth-check')?.textContent.includes({needle:?})"),
    )
    .await;
}

async fn connections_table(c: &berth_harness::Console) -> String {
    c.eval(&format!(
        "{SHADOW}.querySelector('a.berth-nav-link[href=\"/host/connections\"]').click(); return null"
    ))
    .await;
    c.wait_until(
        "the connections table",
        &format!("{SHADOW}?.querySelector('table[aria-label=Connections] tbody tr')"),
    )
    .await;
    let text = c
        .eval(&format!(
            "return {SHADOW}.querySelector('table[aria-label=Connections]').textContent"
        ))
        .await;
    text.as_str().unwrap_or_default().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn consoles_on_one_origin_keep_their_tokens_apart() {
    let root = crate::console_site("storage-ns");
    std::fs::write(root.join("index.html"), HOST).expect("host page");
    std::fs::copy(
        root.join("console/config.json"),
        root.join("console/other.json"),
    )
    .expect("a second config");
    let sandbox = Sandbox::start_with(&berth_harness::env_path("BERTH_SANDBOX"), &root, &[]).await;
    let s = Session::with(sandbox, "").await;
    let c = &s.console;
    c.goto("/host").await;
    c.wait_until("the host page", "typeof window.show === 'function'")
        .await;

    // Console A: the config's token works; the user enters another one and relabels.
    c.eval("show('team-a'); return null").await;
    qovery_check(c, "A's overview", "2 organizations").await;
    connections_table(c).await;
    c.eval(&format!(
        "const r = {SHADOW}; r.querySelector('tr[data-conn=sandbox] button').click(); return null"
    ))
    .await;
    c.wait_until(
        "A's form",
        &format!("{SHADOW}?.querySelector('#conn-token')"),
    )
    .await;
    c.eval(&format!(
        "const r = {SHADOW}; for (const [id, v] of [['#conn-token', 'token-of-a'], ['#conn-label', 'Team A']]) {{ \
           const i = r.querySelector(id); i.value = v; i.dispatchEvent(new Event('input', {{ bubbles: true, composed: true }})); }} \
         r.querySelector('form button[type=submit]').click(); return null"
    ))
    .await;
    c.wait_until(
        "A's saved connection",
        &format!("{SHADOW}?.querySelector('table[aria-label=Connections]')?.textContent.includes('Team A')"),
    )
    .await;

    // Console B (another storage-key) sees neither A's token nor A's list.
    c.goto("/host").await;
    c.wait_until("the host page", "typeof window.show === 'function'")
        .await;
    c.eval("show('team-b'); return null").await;
    qovery_check(
        c,
        "B's overview, with the config's token",
        "2 organizations",
    )
    .await;
    let table = connections_table(c).await;
    assert!(
        table.contains("Sandbox Qovery") && !table.contains("Team A"),
        "{table}"
    );

    // Nor does a console of another config URL, without a storage-key.
    c.goto("/host").await;
    c.wait_until("the host page", "typeof window.show === 'function'")
        .await;
    c.eval("show(null, '/console/other.json'); return null")
        .await;
    qovery_check(c, "the other config's overview", "2 organizations").await;

    // A again: its own token (refused by the sandbox) and list are still there.
    c.goto("/host").await;
    c.wait_until("the host page", "typeof window.show === 'function'")
        .await;
    c.eval("show('team-a'); return null").await;
    qovery_check(c, "A's overview with A's token", "HTTP 401").await;
    let table = connections_table(c).await;
    assert!(table.contains("Team A"), "{table}");

    // A host's `config` wins over the list saved in that namespace.
    c.goto("/host").await;
    c.wait_until("the host page", "typeof window.show === 'function'")
        .await;
    c.eval(
        "show('team-a', null, { connections: [{ id: 'sandbox', kind: 'qovery', label: 'Given Qovery', base_url: '/api/qovery', token: 'sandbox' }] }); return null",
    )
    .await;
    c.wait_until(
        "the host's connections",
        &format!("{SHADOW}?.querySelector('article[data-kind=qovery]')?.textContent.includes('Given Qovery')"),
    )
    .await;
    let table = connections_table(c).await;
    assert!(
        table.contains("Given Qovery") && !table.contains("Team A"),
        "{table}"
    );
    s.end().await;
    let _ = std::fs::remove_dir_all(&root);
}

/// The keys of a token stored before keys were namespaced, and of another console's token.
const LEGACY: &str = "return [localStorage.getItem('berth.token.qovery.sandbox'), \
    sessionStorage.getItem('berth.token.kopernik.sandbox'), \
    localStorage.getItem('berth.token.qovery.sandbox@key:other')]";

/// Stores tokens as a console did before keys were namespaced (and one of another console).
const PUT_LEGACY: &str = "localStorage.setItem('berth.token.qovery.sandbox', 'legacy-remembered'); \
    sessionStorage.setItem('berth.token.kopernik.sandbox', 'legacy-session'); \
    localStorage.setItem('berth.token.qovery.sandbox@key:other', '/api/qovery\\nother'); return null";

#[tokio::test(flavor = "multi_thread")]
async fn tokens_stored_before_namespacing_are_removed() {
    let s = Session::start().await;
    let c = &s.console;
    c.open("/").await;
    c.eval(PUT_LEGACY).await;

    // At start: the un-namespaced tokens go, another console's namespaced one stays.
    c.open("/").await;
    c.wait_for_text("article[data-kind=qovery] .berth-check", "2 organizations")
        .await;
    let left = c.eval(LEGACY).await;
    assert_eq!(
        left,
        serde_json::json!([null, null, "/api/qovery\nother"]),
        "the legacy tokens stayed"
    );

    // Written again (an older console in another tab): Reset removes them too.
    c.open("/connections").await;
    c.wait_for_text("table[aria-label=Connections]", "Sandbox Qovery")
        .await;
    c.eval(PUT_LEGACY).await;
    c.click_text("Reset to defaults").await;
    c.wait_until(
        "the legacy tokens removed by Reset",
        "localStorage.getItem('berth.token.qovery.sandbox') === null && \
         sessionStorage.getItem('berth.token.kopernik.sandbox') === null",
    )
    .await;
    let left = c.eval(LEGACY).await;
    assert_eq!(left[2], "/api/qovery\nother");
    s.end().await;
}

/// The stored token of the Qovery connection `id`: [sessionStorage, localStorage].
fn stored_token(id: &str) -> String {
    format!(
        "const k = 'berth.token.qovery.{id}@/config.json'; \
         return [sessionStorage.getItem(k), localStorage.getItem(k)]"
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_connection_is_added_remembered_on_the_device_and_removed_with_its_token() {
    let s = Session::start().await;
    let c = &s.console;
    c.open("/connections").await;
    c.wait_for_text("table[aria-label=Connections]", "Sandbox Qovery")
        .await;
    c.click_text("Add a connection").await;
    c.wait_for("#conn-label").await;
    c.fill("#conn-label", "Second Qovery").await;
    c.fill("#conn-id", "second").await;
    c.fill("#conn-url", "/api/qovery").await;
    c.fill("#conn-token", "sandbox").await;
    c.click("#conn-remember").await;
    c.click("form button[type=submit]").await;
    c.wait_for("tr[data-conn=second]").await;
    let row = c.text("tr[data-conn=second]").await;
    assert!(row.contains("remembered on this device"), "{row}");
    // Remembered: in localStorage, not in the tab's sessionStorage.
    assert_eq!(
        c.eval(&stored_token("second")).await,
        serde_json::json!([null, "/api/qovery\nsandbox"])
    );
    // It works: its picker lists the sandbox's organizations, and a reload keeps it.
    c.open("/q/second").await;
    c.wait_for_text("main", "Acme Corp").await;
    c.open("/connections").await;
    c.wait_for("tr[data-conn=second]").await;

    // Removed: its row and its token are gone from both storages, the others stay.
    c.click("tr[data-conn=second] button.berth-danger").await;
    c.wait_until(
        "the row removed",
        "document.querySelector('tr[data-conn=second]') === null",
    )
    .await;
    c.wait_until(
        "its token removed from both storages",
        &format!(
            "(() => {{ {} }})().every((v) => v === null)",
            stored_token("second")
        ),
    )
    .await;
    assert!(
        c.eval("return document.querySelector('tr[data-conn=sandbox]') !== null")
            .await
            .as_bool()
            .unwrap_or(false),
        "the sandbox connection stays"
    );
    s.end().await;
}
