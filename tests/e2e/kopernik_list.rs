//! The Kopernik list: paging with nextToken, page size and jq filter in the URL, jq errors at the
//! input, delete with the volume policy and the Action's outcome.

use crate::Session;
use berth_harness::Sandbox;

const ROWS: &str =
    "document.querySelectorAll('table[aria-label=\"Container apps\"] tbody tr').length";

/// Opens the aws apps 25 at a time and loads the two further pages of the 65 demo apps.
async fn load_every_aws_page(c: &berth_harness::Console) {
    c.open("/k/sandbox/aws?max=25").await;
    c.wait_for_text(".berth-count", "25 loaded").await;
    for expected in [50, 65] {
        c.click_text("Load more").await;
        c.wait_for_text(".berth-count", &format!("{expected} loaded"))
            .await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn load_more_walks_every_page() {
    let s = Session::with(Sandbox::start(&["--demo-apps", "60"]).await, "").await;
    let c = &s.console;
    load_every_aws_page(c).await;
    c.wait_until(
        "no more pages",
        "![...document.querySelectorAll('button')].some(b => b.textContent === 'Load more')",
    )
    .await;
    // Up to 100 rows are all in the page (the virtual list renders a window only beyond).
    let uids = "[...document.querySelectorAll('tbody tr')].map(r => r.dataset.uid)";
    let shown = c.eval(&format!("return {uids}")).await;
    let mut all: Vec<String> = shown
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(String::from))
        .collect();
    assert_eq!(all.len(), 65);
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 65, "every app exactly once");
    c.wait_for_text(".berth-count", "65 shown · 65 loaded")
        .await;
    s.screenshot("kopernik-list").await;
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn jq_narrows_the_list_and_a_bad_filter_shows_at_the_input() {
    let s = Session::with(Sandbox::start(&["--demo-apps", "20"]).await, "").await;
    let c = &s.console;
    c.open("/k/sandbox/aws").await;
    c.wait_until("all rows", &format!("{ROWS} === 25")).await;
    c.fill("#berth-jq", ".status == \"off\"").await;
    c.click_text("Apply").await;
    c.wait_until("narrowed", &format!("{ROWS} > 0 && {ROWS} < 25"))
        .await;
    let statuses = c.eval("return [...new Set([...document.querySelectorAll('tbody tr')].map(r => r.dataset.status))]").await;
    assert_eq!(statuses, serde_json::json!(["off"]));
    c.wait_until(
        "the filter in the URL",
        "location.search.includes('jq=.status%20%3D%3D%20%22off%22')",
    )
    .await;

    // A link with the filter reopens it.
    c.open(&c.path().await).await;
    c.wait_until(
        "narrowed after reload",
        &format!("{ROWS} > 0 && {ROWS} < 25"),
    )
    .await;
    assert_eq!(
        c.eval("return document.querySelector('#berth-jq').value")
            .await,
        ".status == \"off\""
    );

    c.fill("#berth-jq", ".name | test(").await;
    c.click_text("Apply").await;
    c.wait_for_text("#berth-jq-error", "jq: syntax error").await;
    assert_eq!(
        c.eval("return document.querySelector('#berth-jq').getAttribute('aria-invalid')")
            .await,
        "true"
    );
    assert_eq!(
        c.eval("return document.querySelector('#berth-jq').value")
            .await,
        ".name | test(",
        "what was typed stays"
    );
    c.wait_for_text("[data-jq-blocked]", "could not run this filter")
        .await;
    s.screenshot("kopernik-jq-error").await;
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn delete_asks_for_the_volume_policy_and_shows_the_outcome() {
    let s = Session::with(Sandbox::start(&["--provision-ms", "300"]).await, "").await;
    let created = s
        .api(
            "POST",
            "/api/kopernik/v0/resource/containerapp/aws?waitTime=5",
            Some(&serde_json::json!({"machineConfiguration": {"name": "doomed-1", "regionUid": "us-east-1", "machineTypeUid": "t3.micro", "dataDisks": [{"sizeGb": 5}]},
                                     "containerImage": {"id": "nginx:1.27"}})),
        )
        .expect(200)
        .json();
    let uid = created["action"]["resourceUid"]
        .as_str()
        .expect("uid")
        .to_string();
    let volumes_of_app = |s: &Session| {
        let volumes = s
            .api("GET", "/api/kopernik/v0/resource/blockstorage/aws", None)
            .json();
        volumes["resources"].as_array().map(|v| {
            v.iter()
                .filter(|x| x["uid"].as_str().is_some_and(|u| u.contains(&uid)))
                .count()
        })
    };
    // Control: the app has a volume, so "none left" below says the policy was sent.
    assert_eq!(volumes_of_app(&s), Some(1), "the app's data disk");
    let c = &s.console;
    c.open("/k/sandbox/aws").await;
    c.click(&format!("tr[data-uid='{uid}'] button[data-action=delete]"))
        .await;
    c.wait_for("[role=dialog]").await;
    assert_eq!(
        c.eval("return document.querySelector('input[value=retain]').checked")
            .await,
        true,
        "retain by default"
    );
    c.click("input[value=delete]").await;
    c.fill("#berth-confirm-input", "doomed-1").await;
    c.click("[role=dialog] button.berth-btn-danger").await;
    c.wait_for_text(".berth-notice", "doomed-1 was deleted.")
        .await;
    c.wait_until(
        "row gone",
        &format!("document.querySelector(\"tr[data-uid='{uid}']\") === null"),
    )
    .await;
    // The sandbox removes the app and settles its volumes in one step: once the API no longer
    // knows the app, its volumes are as the policy left them.
    s.wait_apps_gone(std::slice::from_ref(&uid)).await;
    assert_eq!(
        volumes_of_app(&s),
        Some(0),
        "the chosen policy (delete volumes) was sent"
    );
    s.end().await;
}

/// The list is polled like the Qovery list: an app on its way (provisioning) is polled fast until
/// it is active, its row updated in place, and a poll keeps every page "Load more" brought.
#[tokio::test(flavor = "multi_thread")]
async fn the_list_is_live_and_a_poll_keeps_every_loaded_page() {
    let s = Session::with(
        Sandbox::start(&["--demo-apps", "60", "--provision-ms", "5000"]).await,
        "",
    )
    .await;
    let c = &s.console;
    load_every_aws_page(c).await;
    // Created behind the console's back: only a load can show it.
    let created = s
        .api(
            "POST",
            "/api/kopernik/v0/resource/containerapp/aws",
            Some(&serde_json::json!({"machineConfiguration": {"name": "zz-live-1", "regionUid": "us-east-1", "machineTypeUid": "t3.micro"},
                                     "containerImage": {"id": "nginx:1.27"}})),
        )
        .expect(202)
        .json();
    let uid = created["action"]["resourceUid"]
        .as_str()
        .expect("uid")
        .to_string();
    c.click_text("Refresh").await;
    c.wait_for_text(".berth-count", "66 loaded").await;
    c.fill("input[type=search]", "zz-live-1").await;
    let row = format!("tr[data-uid='{uid}']");
    c.wait_until(
        "the new app, still on its way",
        &format!("document.querySelector(\"{row}\")?.dataset.status === 'provisioning'"),
    )
    .await;
    c.eval(&format!(
        "document.querySelector(\"{row}\").berthKept = true; return null"
    ))
    .await;
    // No click from here: the poll alone brings the new status.
    c.wait_until(
        "the app active, by polling",
        &format!("document.querySelector(\"{row}\")?.dataset.status === 'active'"),
    )
    .await;
    assert_eq!(
        c.eval(&format!(
            "return document.querySelector(\"{row}\").berthKept === true"
        ))
        .await,
        true,
        "the row was updated in place, not rebuilt"
    );
    assert!(
        c.text(".berth-count").await.contains("66 loaded"),
        "the poll kept every loaded page: {}",
        c.text(".berth-count").await
    );
    s.end().await;
}

/// Rows are slots keyed by position: a search or a sort rewrites the rows already there. Every
/// cell of a row, its link, its `data-uid` and its Delete button must then belong to one app.
#[tokio::test(flavor = "multi_thread")]
async fn after_a_search_and_a_sort_each_row_is_one_app_through_and_through() {
    let s = Session::with(Sandbox::start(&["--demo-apps", "20"]).await, "").await;
    let listed = s
        .api("GET", "/api/kopernik/v0/resource/containerapp/aws", None)
        .expect(200)
        .json();
    let apps: std::collections::HashMap<String, (String, String)> = listed["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .filter_map(|a| {
            Some((
                a["uid"].as_str()?.to_string(),
                (
                    a["name"].as_str()?.to_string(),
                    a["containerImage"]["id"].as_str()?.to_string(),
                ),
            ))
        })
        .collect();
    assert_eq!(apps.len(), 25);
    let c = &s.console;
    // uid, link text, link href, image cell: one array per row, as the page shows them.
    let rows =
        "return [...document.querySelectorAll('table[aria-label=\"Container apps\"] tbody tr')]
        .map(r => [r.dataset.uid, r.querySelector('td a').textContent,
                   r.querySelector('td a').getAttribute('href'), r.cells[3].textContent])";
    // Every row checked against the API; returns the rows' (name, image).
    let check = |shown: &serde_json::Value| -> Vec<(String, String)> {
        let shown = shown.as_array().expect("rows");
        shown
            .iter()
            .map(|r| {
                let [uid, name, href, image] =
                    [0, 1, 2, 3].map(|k| r[k].as_str().unwrap_or_default().to_string());
                let (api_name, api_image) = apps.get(&uid).expect("a listed uid");
                assert_eq!((&name, &image), (api_name, api_image), "row {uid}");
                assert!(href.ends_with(&format!("/{uid}")), "{href} links to {uid}");
                (name, image)
            })
            .collect()
    };
    c.open("/k/sandbox/aws").await;
    c.wait_until("all rows", &format!("{ROWS} === 25")).await;
    check(&c.eval(rows).await);

    c.fill("input[type=search]", "redis").await;
    c.wait_until("narrowed", &format!("{ROWS} < 25")).await;
    let found = check(&c.eval(rows).await);
    assert!(
        !found.is_empty()
            && found
                .iter()
                .all(|(name, image)| name.contains("redis") || image.contains("redis"))
    );

    // Select all and Backspace, as a user would (WebDriver's clear fires no input event).
    c.wait_for("input[type=search]")
        .await
        .send_keys("\u{E009}a\u{E000}\u{E003}")
        .await
        .expect("keys");
    c.wait_until("all rows again", &format!("{ROWS} === 25"))
        .await;
    c.click("th button.berth-sort").await;
    // The URL changes before the rows do: wait for the rows themselves.
    c.wait_until(
        "sorted by name",
        "(() => { const n = [...document.querySelectorAll('tbody tr td a:not([data-open])')].map(a => a.textContent.toLowerCase());
         return location.search.includes('sort=name')
             && (n.every((x, i) => i === 0 || n[i - 1] <= x) || n.every((x, i) => i === 0 || n[i - 1] >= x)); })()",
    )
    .await;
    let names: Vec<String> = check(&c.eval(rows).await)
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    let mut sorted = names.clone();
    sorted.sort_by_key(|n| n.to_lowercase());
    if c.path().await.contains("dir=desc") {
        sorted.reverse();
    }
    assert_eq!(names, sorted, "sorted by name, in the URL's direction");

    // The first row's Delete, after the rows moved under it, asks about the app it now shows.
    c.click("tbody tr button[data-action=delete]").await;
    c.wait_for_text("[role=dialog]", &names[0]).await;
    s.end().await;
}

/// Rows of the page's main table (a row has several cells; a note or a spacer has one).
const LIST_ROWS: &str = "document.querySelectorAll('main table tbody tr:has(td + td)').length";

/// On the list at `path`: a status chosen in the filter narrows the rows to it, goes into the
/// URL, and a link with it opens the list filtered the same way.
async fn status_filter_lives_in_the_url(s: &Session, path: &str) {
    let c = &s.console;
    c.open(path).await;
    c.wait_until("rows", &format!("{LIST_ROWS} > 0")).await;
    c.wait_until(
        "the status filter offers statuses",
        "document.querySelectorAll('select[aria-label=\"Filter by status\"] option').length > 1",
    )
    .await;
    let all = c.eval(&format!("return {LIST_ROWS}")).await;
    let (value, label) = {
        let o = c
            .eval("const o = document.querySelectorAll('select[aria-label=\"Filter by status\"] option')[1]; return [o.value, o.textContent]")
            .await;
        (
            o[0].as_str().unwrap_or_default().to_string(),
            o[1].as_str().unwrap_or_default().to_string(),
        )
    };
    assert!(!value.is_empty(), "{path}: a status to pick");
    c.eval(&format!(
        "const s = document.querySelector('select[aria-label=\"Filter by status\"]'); s.value = {value:?}; s.dispatchEvent(new Event('change')); return null"
    ))
    .await;
    c.wait_until(
        "the filter in the URL",
        &format!("new URLSearchParams(location.search).get('status') === {value:?}"),
    )
    .await;
    // Every row left has that status.
    let check_rows = format!(
        "(() => {{ const r = [...document.querySelectorAll('main table tbody tr:has(td + td)')]; \
           return r.length > 0 && r.length <= {all} && r.every((t) => t.textContent.toLowerCase().includes({:?})); }})()",
        label.to_lowercase()
    );
    c.wait_until("only that status", &check_rows).await;
    let filtered = c.eval(&format!("return {LIST_ROWS}")).await;
    // Opened from the URL: the same filter, the same rows.
    let url = c.path().await;
    c.open(&url).await;
    c.wait_until("rows after the link", &check_rows).await;
    assert_eq!(
        c.eval("return document.querySelector('select[aria-label=\"Filter by status\"]').value")
            .await,
        serde_json::json!(value)
    );
    assert_eq!(
        c.eval(&format!("return {LIST_ROWS}")).await,
        filtered,
        "{url}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_status_filter_of_the_kopernik_list_and_all_apps_lives_in_the_url() {
    let s = Session::start().await;
    status_filter_lives_in_the_url(&s, "/k/sandbox/aws").await;
    status_filter_lives_in_the_url(&s, "/").await;
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_jq_example_runs_on_the_server_and_shows_what_the_api_keeps() {
    let s = Session::with(Sandbox::start(&["--demo-apps", "20"]).await, "").await;
    let c = &s.console;
    c.open("/k/sandbox/aws").await;
    c.wait_until("all rows", &format!("{ROWS} === 25")).await;
    let examples = c
        .eval("return [...document.querySelectorAll('select[aria-label=\"Example filters\"] option')].map(o => o.value).filter(v => v)")
        .await;
    let examples: Vec<String> = examples
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(examples.len(), 5, "{examples:?}");
    let mut narrowed = 0;
    for jq in &examples {
        // What the API itself keeps with this filter.
        let q: String = jq
            .bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect();
        let kept = s
            .api(
                "GET",
                &format!("/api/kopernik/v0/resource/containerapp/aws?max=100&jq={q}"),
                None,
            )
            .expect(200)
            .json()["resources"]
            .as_array()
            .map(Vec::len)
            .unwrap_or_else(|| panic!("{jq}: the API lists"));
        c.eval(&format!(
            "const s = document.querySelector('select[aria-label=\"Example filters\"]'); s.value = {jq:?}; s.dispatchEvent(new Event('change')); return null"
        ))
        .await;
        c.wait_until(
            "the example applied",
            &format!(
                "new URLSearchParams(location.search).get('jq') === {jq:?} && document.querySelector('#berth-jq').value === {jq:?}"
            ),
        )
        .await;
        // The list read with this filter is answered before its rows are counted.
        c.wait_quiet().await;
        c.wait_until(
            &format!("{jq}: the rows the API keeps ({kept})"),
            &format!("document.querySelectorAll('table[aria-label=\"Container apps\"] tbody tr[data-uid]').length === {kept}"),
        )
        .await;
        assert_eq!(
            c.eval("return document.querySelector('#berth-jq-error').textContent")
                .await,
            "",
            "{jq}"
        );
        if kept < 25 {
            narrowed += 1;
        }
    }
    assert!(narrowed > 0, "no example narrowed the list");
    s.end().await;
}
