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

/// The lines the harness's panic check looks for: a panic message and an uncaught wasm trap.
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
    // The trap is thrown by a timer: read the log until both lines are in (or 10 s passed).
    let mut fatal = Vec::new();
    let start = std::time::Instant::now();
    while start.elapsed() < std::time::Duration::from_secs(10)
        && !(fatal.iter().any(|l: &String| l.contains("panicked at"))
            && fatal.iter().any(|l: &String| l.contains("RuntimeError")))
    {
        fatal.extend(berth_harness::fatal_console_lines(
            &berth_harness::browser_log(&c.client).await,
        ));
        crate::poll_gap().await;
    }
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

/// Makes the app panic for real: leptos_router unwraps `history.pushState`, which is made to throw
/// (as a browser refusing it would), and the next in-app navigation (to Actions) calls it. With
/// `late`, the navigation happens when a request of the page that hangs is given up after 3 s.
async fn make_the_app_panic(c: &berth_harness::Console, late: bool) {
    let navigate =
        "[...document.querySelectorAll('nav a')].find(a => a.textContent.trim() === 'Actions').click()";
    let trigger = if late {
        format!(
            "fetch('/api/qovery/organization', {{ headers: {{ 'Authorization': 'Token sandbox', 'X-Berth-Fault': 'timeout' }}, \
               signal: AbortSignal.timeout(3000) }}).catch(() => null).finally(() => {navigate});"
        )
    } else {
        format!("{navigate};")
    };
    c.eval(&format!(
        "History.prototype.pushState = function () {{ throw new DOMException('refused', 'SecurityError'); }}; \
         {trigger} return null"
    ))
    .await;
}

/// The panic check (run when a session ends or is dropped) against a real panic that comes after
/// the test's last step, when a late answer lands: read at once, the console is still clean; the
/// check waits until the page is quiet and reports the panic. A page that did not panic passes.
#[tokio::test(flavor = "multi_thread")]
async fn the_panic_check_waits_for_a_late_answer_and_reports_its_panic() {
    let s = Session::with(Sandbox::start(&["--faults"]).await, "").await;
    let c = &s.console;
    c.open("/").await;
    c.wait_for_text("article[data-kind=qovery] .berth-check", "2 organizations")
        .await;
    s.check_quiet_and_no_panic()
        .await
        .unwrap_or_else(|e| panic!("a page that did not panic failed the check: {e}"));
    make_the_app_panic(c, true).await;
    let at_once = berth_harness::fatal_console_lines(&berth_harness::browser_log(&c.client).await);
    assert!(
        at_once.is_empty(),
        "the panic came before the late answer, so this proves no waiting: {at_once:?}"
    );
    let checked = s.check_quiet_and_no_panic().await;
    let failure = checked.expect_err("the check missed the app's panic");
    assert!(failure.contains("panicked at"), "{failure}");
    s.end_unchecked().await;
}

/// A test that never calls `end()` is checked too, when its session is dropped.
#[tokio::test(flavor = "multi_thread")]
#[should_panic(expected = "the browser console shows a panic")]
async fn a_session_dropped_without_end_is_checked_for_a_panic() {
    let s = Session::start().await;
    let c = &s.console;
    c.open("/").await;
    c.wait_for_text("article[data-kind=qovery] .berth-check", "2 organizations")
        .await;
    make_the_app_panic(c, false).await;
}
