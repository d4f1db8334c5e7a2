//! One-click failure paths (#21): a URL writer the browser throttles, and a console removed while
//! one of its chunks is on the way. Each test makes the failure happen; the panic check at the
//! session's end (and the assertions here) fail if the console dies of it.

use berth_harness::Sandbox;

use crate::Session;

/// Safari refuses `history.replaceState` after 100 calls in 30 s (a `SecurityError`): the same,
/// counted from now, with `window.__refuseAll` to refuse every call.
const THROTTLE_HISTORY: &str = r#"
window.__replaceCalls = 0;
window.__refuseAll = false;
const original = History.prototype.replaceState;
History.prototype.replaceState = function (...args) {
  window.__replaceCalls += 1;
  if (window.__refuseAll || window.__replaceCalls > 100) {
    throw new DOMException("Attempt to use history.replaceState() more than 100 times per 30 seconds", "SecurityError");
  }
  return original.apply(this, args);
};
return null;
"#;

const ROWS: &str = "table[aria-label='All apps'] tbody tr";

async fn row_names(s: &Session) -> Vec<String> {
    let v = s
        .console
        .eval(&format!(
            "return [...document.querySelectorAll(\"{ROWS}\")].map((r) => r.querySelector('td:nth-child(2)')?.textContent.trim() ?? '')"
        ))
        .await;
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|x| x.as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn typing_fast_in_a_search_box_survives_a_browser_that_refuses_url_writes() {
    let s = Session::start().await;
    let c = &s.console;
    c.open("/").await;
    c.wait_for(ROWS).await;
    let names = row_names(&s).await;
    let target = names
        .iter()
        .find(|n| !n.is_empty())
        .cloned()
        .expect("a named row in All apps");
    c.eval(THROTTLE_HISTORY).await;

    // 150 keystrokes, each an input event.
    let search = c.wait_for("input.berth-search").await;
    let junk: String = "zq".repeat(75);
    search.send_keys(&junk).await.expect("typing");
    c.wait_until(
        "the search to filter every row out",
        &format!("document.querySelectorAll(\"{ROWS}\").length === 0"),
    )
    .await;
    c.wait_until(
        "the URL to carry the search",
        &format!("location.search.includes('q={junk}')"),
    )
    .await;
    let calls = c.eval("return window.__replaceCalls").await;
    assert!(
        calls.as_u64().is_some_and(|n| n <= 10),
        "150 keystrokes wrote the URL {calls} times: it must be written a few times a second at most"
    );

    // The browser now refuses every write: the search still filters, and nothing dies.
    c.eval("window.__refuseAll = true; return null").await;
    c.fill("input.berth-search", &target).await;
    c.wait_until(
        "the search to find the row",
        &format!(
            "[...document.querySelectorAll(\"{ROWS}\")].some((r) => r.textContent.includes({target:?}))"
        ),
    )
    .await;
    let shown = row_names(&s).await;
    assert!(
        !shown.is_empty() && shown.iter().all(|n| n.contains(&target)),
        "searching {target:?} shows {shown:?}"
    );
    // A refused write leaves the old URL; the page itself goes on (sorting still works).
    c.wait_until("a refused write", "window.__replaceCalls > 1")
        .await;
    c.click("table[aria-label='All apps'] th button.berth-sort")
        .await;
    c.wait_until(
        "the sort to apply",
        "document.querySelector(\"table[aria-label='All apps'] th[aria-sort='ascending']\") !== null",
    )
    .await;
    s.end().await;
}

/// A host page whose fetch holds the request for the poller's chunk (`pending_poll`) until
/// `window.__releaseChunk()`.
const HOLD_POLLER_CHUNK: &str = r#"
const manifest = await (await fetch('/console/berth-chunks.json')).json();
const key = Object.keys(manifest.chunks).find((k) => k.includes('pending_poll'));
if (!key) return 'no pending_poll chunk in ' + Object.keys(manifest.chunks).join(', ');
// Only the poller's own module: the shared chunks it needs serve the screens too.
const files = manifest.chunks[key].filter((f) => f.split('/').pop().startsWith('split_'));
window.__heldFiles = files;
window.__held = [];
const origFetch = window.fetch;
window.fetch = function (input, init) {
  const url = typeof input === 'string' ? input : (input.url ?? String(input));
  if (files.some((f) => url.includes(f))) {
    return new Promise((resolve, reject) => {
      window.__held.push(() => origFetch.call(window, input, init).then((r) => { window.__arrived = (window.__arrived ?? 0) + 1; resolve(r); }, reject));
    });
  }
  return origFetch.call(window, input, init);
};
window.__releaseChunk = () => { for (const go of window.__held) go(); };
return 'ok';
"#;

/// The poller's first read after its chunk arrives is the connections lookup
/// (`Connections::find`); with a plain `with` there, this test fails with the panic.
#[tokio::test(flavor = "multi_thread")]
async fn removing_the_console_while_the_pollers_chunk_loads_does_not_panic() {
    let root = crate::portal_site("held-chunk");
    let sandbox = Sandbox::start_with(
        &berth_harness::env_path("BERTH_SANDBOX"),
        &root,
        &["--provision-ms", "1500", "--status-lag-ms", "4000"],
    )
    .await;
    let s = Session::with(sandbox, "").await;
    let c = &s.console;
    let (env_path, _) = s.demo_env();
    // The console on its containers screen; a restart there starts an action to poll.
    c.goto(&format!("/portal/containers{env_path}")).await;
    let shadow = "document.querySelector('berth-console')?.shadowRoot";
    let held = c
        .client
        .execute_async(
            &format!(
                "const done = arguments[arguments.length - 1]; (async () => {{ {HOLD_POLLER_CHUNK} }})().then(done, (e) => done(String(e)));"
            ),
            vec![],
        )
        .await
        .expect("the fetch wrapper");
    assert_eq!(held, "ok", "{held}");
    let restart =
        format!("{shadow}?.querySelector('tr[data-state=DEPLOYED] button[data-action=restart]')");
    c.wait_until("a restart button", &restart).await;
    // When the action started (its `berth:action`, sent as the entry is added: no earlier than
    // the entry's start), on the page's clock that the harness's timer tracking uses.
    c.eval(
        "window.__actionAt = null; document.addEventListener('berth:action', (e) => { \
           if (window.__actionAt === null && e.detail.outcome === null) window.__actionAt = performance.now(); }); \
         return null",
    )
    .await;
    c.eval(&format!("{restart}.click(); return null")).await;
    c.wait_until(
        "the poller's chunk request, held",
        "window.__held.length > 0",
    )
    .await;
    // The chunk is first asked for by the store's save; the poll itself waits on the same load
    // once its first poll is due, 1 s after the action started (`delay_ms(0)`), when the store's
    // ticker (a 250 ms `setInterval`) next runs. Removed before that run, the console's ticker
    // stops before the poll starts, and the path under test never runs: so this waits until the
    // ticker has run at least 1.1 s after the action started (0.1 s for the app's `Date.now()`
    // against the page's `performance.now()`).
    c.wait_until(
        "the ticker ran after the first poll came due",
        "window.__actionAt !== null && window.__berthQuiet.intervals().some((i) => i.delay === 250 && i.lastAt !== null && i.lastAt >= window.__actionAt + 1100)",
    )
    .await;

    // The host removes the console, then the chunk arrives.
    c.click("a[href='/portal/reports']").await;
    c.wait_until(
        "the console removed",
        "document.querySelector('berth-console') === null",
    )
    .await;
    c.eval("window.__releaseChunk(); return null").await;
    c.wait_until("the chunk's answer", "window.__arrived > 0")
        .await;
    // What would panic runs once the chunk is compiled: the poller's task reading the console's
    // state. So: until the chunk is compiled, then until the page is idle (what the compiled
    // chunk started has run; the end-of-test check reads the console after this too).
    c.wait_until(
        "the poller's chunk compiled",
        "window.__berthQuiet.compiled().some((u) => window.__heldFiles.some((f) => u.includes(f)))",
    )
    .await;
    c.wait_idle().await;
    let alive = c
        .eval("return document.querySelector('main.portal h1')?.textContent")
        .await;
    assert_eq!(alive, "Reports");
    s.end().await;
    let _ = std::fs::remove_dir_all(&root);
}
