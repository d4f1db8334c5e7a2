//! The shell: it loads, its navigation works, deep links load directly, it works under a sub-path,
//! and connections are editable with tokens kept out of URLs and local storage.

use crate::Session;
use berth_harness::{Locator, Sandbox};

#[tokio::test(flavor = "multi_thread")]
async fn shell_loads_with_both_connections_answering() {
    let s = Session::start().await;
    let c = &s.console;
    c.open("/").await;
    let nav = c.text("nav.berth-nav").await;
    for label in ["Overview", "Qovery", "Kopernik", "Actions", "Connections"] {
        assert!(nav.contains(label), "navigation lacks {label}: {nav}");
    }
    c.wait_for_text("article[data-kind=qovery] .berth-check", "2 organizations")
        .await;
    c.wait_for_text("article[data-kind=kopernik] .berth-check", "answers")
        .await;
    let current = c
        .eval("return document.querySelector('nav a[aria-current=page]').textContent")
        .await;
    assert_eq!(current, "Overview");
    s.screenshot("overview").await;
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn navigation_walks_every_section_without_reloading() {
    let s = Session::start().await;
    let c = &s.console;
    c.open("/").await;
    // A marker on window survives client-side navigation but not a page load.
    c.eval("window.__berthMarker = 42; return null").await;

    c.nav("Connections").await;
    c.wait_for_text("main h1", "Connections").await;
    assert_eq!(c.path().await, "/connections");
    let rows = c
        .client
        .find_all(Locator::Css("table[aria-label=Connections] tbody tr"))
        .await
        .expect("rows");
    assert_eq!(rows.len(), 2);

    c.nav("Actions").await;
    c.wait_for_text("main h1", "Actions").await;
    assert_eq!(c.path().await, "/actions");

    c.nav("Kopernik").await;
    c.wait_for_text("main h1", "Kopernik").await;
    assert_eq!(c.path().await, "/k/sandbox/aws");
    c.wait_for("table[aria-label='Container apps'] tbody tr")
        .await;

    c.nav("Qovery").await;
    // The URL changes once the screen's chunk has arrived (the old screen stays until then).
    c.wait_until("the picker's URL", "location.pathname === '/q/sandbox'")
        .await;
    assert_eq!(c.path().await, "/q/sandbox");
    c.click_text("Acme Corp").await;
    c.click_text("Storefront").await;
    c.click_text("production").await;
    c.wait_for_text("table[aria-label=Containers]", "web").await;
    let path = c.path().await;
    assert_eq!(path.matches('/').count(), 5, "{path}");
    c.wait_for_text("table[aria-label=Containers]", "DEPLOYED")
        .await;
    c.wait_for_text("table[aria-label=Containers]", "Never deployed")
        .await;
    s.screenshot("containers").await;

    let marker = c.eval("return window.__berthMarker ?? null").await;
    assert_eq!(marker, 42, "a navigation reloaded the page");
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn deep_links_load_directly() {
    let s = Session::start().await;
    let c = &s.console;
    c.open("/k/sandbox/digitalocean").await;
    c.wait_for_text("main h1", "Kopernik").await;
    let current = c
        .eval("return document.querySelector('.berth-tab[aria-current=page]').textContent")
        .await;
    assert_eq!(current, "digitalocean");
    c.wait_for("table[aria-label='Container apps'] tbody tr")
        .await;
    s.screenshot("kopernik-apps").await;

    c.open("/q/sandbox/containers/some-id").await;
    c.wait_for_text("main [role=alert]", "HTTP 404").await;
    c.open("/q/sandbox/containers/some-id/edit").await;
    c.wait_for_text("main [role=alert]", "HTTP 404").await;

    c.open("/actions").await;
    c.wait_for_text("main", "No pending or recent actions")
        .await;

    // Every screen of a backend says the same of a connection that does not exist.
    for path in ["/q/nope", "/q/nope/containers/some-id", "/q/nope/o/p/e/new"] {
        c.open(path).await;
        c.wait_for_text("main", "There is no Qovery connection with the id nope")
            .await;
    }
    for path in ["/k/nope/aws", "/k/nope/aws/apps/1", "/k/nope/aws/new"] {
        c.open(path).await;
        c.wait_for_text("main", "There is no Kopernik connection with the id nope")
            .await;
    }

    c.open("/no/such/page").await;
    c.wait_for_text("main h1", "Page not found").await;
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn works_under_a_sub_path() {
    // Serve the /console/ build below /console/ (and as the fallback for deep links).
    let built = berth_harness::env_path("BERTH_DIST_CONSOLE");
    let root = crate::console_site("subpath");
    std::fs::copy(built.join("index.html"), root.join("index.html")).expect("copy index.html");
    let sandbox = Sandbox::start_with(&berth_harness::env_path("BERTH_SANDBOX"), &root, &[]).await;
    let s = Session::with(sandbox, "/console").await;
    let c = &s.console;

    c.open("/k/sandbox/akamai").await;
    c.wait_for("table[aria-label='Container apps'] tbody tr")
        .await;
    c.nav("Connections").await;
    c.wait_for_text("main h1", "Connections").await;
    let url = c.client.current_url().await.expect("url").to_string();
    assert!(url.ends_with("/console/connections"), "{url}");
    c.nav("Overview").await;
    c.wait_for_text("article[data-kind=qovery] .berth-check", "2 organizations")
        .await;
    s.end().await;
    let _ = std::fs::remove_dir_all(&root);
}

#[tokio::test(flavor = "multi_thread")]
async fn connections_are_editable_and_tokens_stay_in_session_storage() {
    let s = Session::start().await;
    let c = &s.console;
    c.open("/connections").await;
    c.click("tr[data-conn=sandbox] button").await; // Edit on the first (Qovery) row
    c.wait_for("form[aria-label='Edit connection']").await;

    // A bad base URL is refused at its field, and nothing typed is lost.
    c.fill("#conn-url", "ftp://example").await;
    c.fill("#conn-label", "My Qovery").await;
    c.click("form button[type=submit]").await;
    c.wait_for_text("#conn-url-error", "must start with http://, https:// or /")
        .await;
    let invalid = c
        .eval("return document.querySelector('#conn-url').getAttribute('aria-invalid')")
        .await;
    assert_eq!(invalid, "true");
    let label = c
        .eval("return document.querySelector('#conn-label').value")
        .await;
    assert_eq!(label, "My Qovery");

    // A wrong token is saved to this tab only, and the server's 401 shows on the overview.
    c.fill("#conn-url", "/api/qovery").await;
    c.fill("#conn-token", "wrong-secret-token").await;
    c.click("form button[type=submit]").await;
    c.wait_for_text("table[aria-label=Connections]", "My Qovery")
        .await;
    let stored = c
        .eval("return [sessionStorage.getItem('berth.token.qovery.sandbox@/config.json'), localStorage.getItem('berth.token.qovery.sandbox@/config.json'), localStorage.getItem('berth.connections.v1@/config.json')]")
        .await;
    // Keys in the console's namespace (its config URL); the token with the base URL it is for.
    assert_eq!(stored[0], "/api/qovery\nwrong-secret-token");
    assert!(stored[1].is_null());
    let list = stored[2].as_str().expect("the edited list is saved");
    assert!(
        list.contains("My Qovery") && !list.contains("wrong-secret-token"),
        "{list}"
    );

    c.nav("Overview").await;
    c.wait_for_text("article[data-kind=qovery] .berth-check", "HTTP 401")
        .await;
    assert!(!c.path().await.contains("secret"));

    // A reload keeps the edit (same tab); reset brings the defaults back.
    c.open("/connections").await;
    c.wait_for_text("table[aria-label=Connections]", "My Qovery")
        .await;
    c.click_text("Reset to defaults").await;
    c.wait_for_text("table[aria-label=Connections]", "Sandbox Qovery")
        .await;
    c.nav("Overview").await;
    c.wait_for_text("article[data-kind=qovery] .berth-check", "2 organizations")
        .await;
    s.end().await;
}

/// The harness's panic check (in `Browser::close`, after every test) really sees a panic message
/// and an uncaught wasm trap in the page's console.
#[tokio::test(flavor = "multi_thread")]
async fn the_panic_check_sees_a_panic_and_a_wasm_trap() {
    let s = Session::start().await;
    let c = &s.console;
    c.open("/").await;
    // Drop what loading logged, so only what follows is checked.
    let _ = berth_harness::browser_log(&c.client).await;
    c.eval(
        "console.error('panicked at src/pages/x.rs:1:1: a test panic'); \
         setTimeout(() => { throw new WebAssembly.RuntimeError('unreachable'); }, 0); return null",
    )
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let fatal = berth_harness::fatal_console_lines(&berth_harness::browser_log(&c.client).await);
    assert!(
        fatal.iter().any(|l| l.contains("panicked at")),
        "the panic line was missed: {fatal:?}"
    );
    assert!(
        fatal.iter().any(|l| l.contains("RuntimeError")),
        "the wasm trap was missed: {fatal:?}"
    );
    // The lines were read here, so the check at the end passes.
    s.end().await;
}
