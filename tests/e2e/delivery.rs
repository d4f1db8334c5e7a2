//! Delivery: screens arrive as separate wasm chunks; `/` fetches only the shell and the overview
//! (both in the main module), and a chunk
//! that cannot be loaded shows a message with "Reload" instead of a blank page or a panic.

use crate::pending_actions::{first_row_running, ROW};
use crate::Session;
use berth_harness::Sandbox;

/// The split manifest written by `cargo xtask split` beside `index.html`.
fn manifest(dist: &std::path::Path) -> serde_json::Value {
    let text = std::fs::read_to_string(dist.join("berth-chunks.json"))
        .expect("berth-chunks.json: the build must be split (cargo xtask split)");
    serde_json::from_str(&text).expect("berth-chunks.json is JSON")
}

/// The files of the chunk whose module name starts with `name`.
fn chunk_files(m: &serde_json::Value, name: &str) -> Vec<String> {
    let chunks = m["chunks"].as_object().expect("chunks");
    let (_, files) = chunks
        .iter()
        .find(|(k, _)| k.as_str() == name || k.starts_with(&format!("{name}_")))
        .unwrap_or_else(|| panic!("no chunk {name} in {:?}", chunks.keys()));
    files
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f.as_str().expect("file name").to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_first_screen_does_not_fetch_the_other_screens() {
    let dist = berth_harness::env_path("BERTH_DIST");
    let m = manifest(&dist);
    let s = Session::start().await;
    let c = &s.console;
    c.open("/").await;
    c.wait_for_text("main", "All apps").await;
    let fetched = c
        .eval("return performance.getEntriesByType('resource').map(e => new URL(e.name).pathname)")
        .await;
    let fetched: Vec<String> = serde_json::from_value(fetched).expect("paths");
    // The overview is in the main module: `/` fetches no screen's chunk.
    assert!(
        !fetched
            .iter()
            .any(|p| p.contains("/split_") || p.contains("/chunk_") || p.contains("/pack_")),
        "`/` must not fetch any screen's chunk; fetched {fetched:?}"
    );
    for other in [
        "kopernik_create",
        "qovery_form",
        "qovery_detail",
        "kopernik_apps",
    ] {
        let own = chunk_files(&m, other);
        // A chunk's last file is its own module (the others are chunks it shares).
        let file = own.last().expect("a chunk has its own file");
        assert!(
            !fetched.iter().any(|p| p.ends_with(file.as_str())),
            "`/` must not fetch the {other} screen ({file})"
        );
    }

    // Opening a screen by navigation loads its chunk (on its own or in the screen's pack: most
    // of its files are missing, so the pack), and it renders.
    c.nav("Actions").await;
    c.wait_for_text("main h1", "Actions").await;
    let compiled = c.eval("return window.__berthQuiet.compiled()").await;
    let compiled: Vec<String> = serde_json::from_value(compiled).expect("urls");
    let actions = chunk_files(&m, "settings");
    let own = actions.last().expect("file");
    assert!(
        compiled.iter().any(|u| u.ends_with(own.as_str())),
        "opening Actions must load its chunk {own}: compiled {compiled:?}"
    );
    let fetched = c
        .eval("return performance.getEntriesByType('resource').map(e => new URL(e.name).pathname)")
        .await;
    let fetched: Vec<String> = serde_json::from_value(fetched).expect("paths");
    let pack = m["packs"]["settings"].as_str().expect("the settings pack");
    assert!(
        fetched.iter().any(|p| p.ends_with(pack)),
        "a cold screen comes in its pack ({pack}): fetched {fetched:?}"
    );
}

/// A copy of the build whose chunk `name` (its own file) is gone, as after a new release; the
/// copy's folder and the removed file's name.
fn build_without(name: &str) -> (std::path::PathBuf, String) {
    let built = berth_harness::env_path("BERTH_DIST");
    let root = std::env::temp_dir().join(format!("berth-no-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).expect("mkdir");
    crate::copy_dir(&built, &root);
    let files = chunk_files(&manifest(&root), name);
    let own = files.last().expect("the chunk's own file").clone();
    std::fs::remove_file(root.join(&own)).expect("remove the chunk");
    // A release that replaced the chunks took their packs too (the screen's own stays out).
    if let Some(pack) = manifest(&root)["packs"][name].as_str() {
        std::fs::remove_file(root.join(pack)).expect("remove the screen's pack");
    }
    (root, own)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_chunk_that_cannot_load_shows_a_reload_button() {
    let built = berth_harness::env_path("BERTH_DIST");
    let (root, own) = build_without("kopernik_create");
    let sandbox = Sandbox::start_with(&berth_harness::env_path("BERTH_SANDBOX"), &root, &[]).await;
    let s = Session::with(sandbox, "").await;
    let c = &s.console;

    // By navigation from a working screen, then on a cold load of the route.
    c.open("/k/sandbox/aws").await;
    c.wait_for("table").await;
    c.click_text("New container app").await;
    let text = c
        .wait_for_text(".berth-chunk-failed", "could not be loaded")
        .await;
    assert!(text.contains("Reload"), "a Reload button: {text}");
    s.screenshot("chunk-failed").await;
    c.open("/k/sandbox/aws/new").await;
    c.wait_for_text(".berth-chunk-failed", "could not be loaded")
        .await;
    // The shell still works: another screen opens; back on the route, the load is tried again.
    c.nav("Actions").await;
    c.wait_for_text("main h1", "Actions").await;
    c.client.back().await.expect("back");
    c.wait_for_text(".berth-chunk-failed", "could not be loaded")
        .await;

    // Once the file is back (the deployment finished), Reload shows the screen.
    std::fs::copy(built.join(&own), root.join(&own)).expect("restore the chunk");
    c.click(".berth-chunk-failed button").await;
    c.wait_for_text("main h1", "container app").await;
    assert_eq!(
        c.eval("return document.querySelectorAll('.berth-chunk-failed').length")
            .await,
        0,
        "after Reload the screen shows, not the message"
    );
    let _ = std::fs::remove_dir_all(&root);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_poller_chunk_is_a_failed_poll_retried_until_it_arrives() {
    // The pending-actions poller's network half is a chunk of its own (fetched when an entry is
    // first due): without it, the action is shown as "checking failed" and stays running.
    let built = berth_harness::env_path("BERTH_DIST");
    let (root, own) = build_without("pending_poll");
    let sandbox = Sandbox::start_with(
        &berth_harness::env_path("BERTH_SANDBOX"),
        &root,
        &["--provision-ms", "2000"],
    )
    .await;
    let s = Session::with(sandbox, "").await;
    let c = &s.console;
    let (path, _) = s.demo_env();
    c.open(&path).await;
    c.wait_for("table[aria-label=Containers] tbody tr").await;
    c.click("tr[data-state=READY] button[data-action=deploy]")
        .await;
    c.nav("Actions").await;
    let text = c.wait_for_text(ROW, "could not be loaded").await;
    assert!(
        text.contains("deploy whoami"),
        "the entry is the deploy: {text}"
    );
    assert_eq!(
        first_row_running(c).await,
        "true",
        "a poller that cannot load does not end the action"
    );
    std::fs::copy(built.join(&own), root.join(&own)).expect("restore the chunk");
    c.wait_for_text_within(ROW, "done", std::time::Duration::from_secs(60))
        .await;
    s.end().await;
    let _ = std::fs::remove_dir_all(&root);
}

/// Holds every chunk request (`split_*.wasm` and its glue) until `window.__releaseChunks()`.
const HOLD_CHUNKS: &str = r#"
window.__held = [];
window.__arrived = 0;
const origFetch = window.fetch;
window.fetch = function (input, init) {
  const url = typeof input === 'string' ? input : (input.url ?? String(input));
  if (!window.__released && /(split|pack)_[^/]*$/.test(url.split('?')[0])) {
    return new Promise((resolve, reject) => {
      window.__held.push(() => origFetch.call(window, input, init)
        .then((r) => { window.__arrived += 1; resolve(r); }, reject));
    });
  }
  return origFetch.call(window, input, init);
};
window.__releaseChunks = () => { window.__released = true; for (const go of window.__held.splice(0)) go(); };
"#;

/// A user who leaves the first screen before its chunk has arrived gets the screen they went to:
/// the late chunk does not replace it (leptos_router's first route load is not aborted by a
/// navigation, see `Screen::preload`).
#[tokio::test(flavor = "multi_thread")]
async fn leaving_the_first_screen_before_its_chunk_arrives_shows_where_the_user_went() {
    let s = Session::start().await;
    s.add_init_script(HOLD_CHUNKS).await;
    let c = &s.console;
    c.open("/connections").await;
    c.wait_until("the connections chunk, held", "window.__held.length > 0")
        .await;
    c.nav("Overview").await;
    c.wait_for_text("main h1", "Overview").await;
    c.eval("window.__releaseChunks(); return null").await;
    c.wait_until("the chunk's answer", "window.__arrived > 0")
        .await;
    // Whatever the late chunk would do happens once it is compiled: until it is, then until the
    // page is idle (what it started has run).
    c.wait_until(
        "the late chunk compiled",
        "window.__berthQuiet.compiled().some((u) => /split_[^/]*$/.test(u.split('?')[0]))",
    )
    .await;
    c.wait_idle().await;
    assert_eq!(c.path().await, "/");
    let heading = c
        .eval(
            "return [...document.querySelectorAll('main h1')].map((h) => h.textContent).join('|')",
        )
        .await;
    assert_eq!(heading, "Overview", "only the overview is shown");
    // And the held screen still opens when asked for.
    c.nav("Connections").await;
    c.wait_for_text("main h1", "Connections").await;
    s.end().await;
}
