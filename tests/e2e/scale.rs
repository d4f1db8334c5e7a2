//! The table shell's virtual list: 100,000 loaded rows with a few dozen in the page, the last one
//! reachable by scrolling, the keyboard moving past the rendered rows, and a polled row updated
//! where it is.

use berth_harness::{Console, Sandbox};

use crate::Session;

const TABLE: &str = "table[aria-label='Container apps']";
const RENDERED: &str =
    "document.querySelectorAll(\"table[aria-label='Container apps'] tbody tr[data-pos]\").length";
const SCROLLER: &str = "document.querySelector('.berth-table-scroll')";

/// Every aws app's uid, in the API's order, read page after page.
fn api_uids(s: &Session) -> Vec<String> {
    let mut uids = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let path = match &token {
            Some(t) => format!(
                "/api/kopernik/v0/resource/containerapp/aws?maxResults=1000&nextToken={}",
                berth_api::http::encode(t)
            ),
            None => "/api/kopernik/v0/resource/containerapp/aws?maxResults=1000".to_string(),
        };
        let page = s.api("GET", &path, None).expect(200).json();
        uids.extend(
            page["resources"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|a| a["uid"].as_str().map(String::from)),
        );
        token = page["nextToken"]
            .as_str()
            .filter(|t| !t.is_empty())
            .map(String::from);
        if token.is_none() {
            return uids;
        }
    }
}

/// Opens the aws apps 1000 per request and loads every page: `total` rows.
async fn load_all(c: &Console, total: usize) {
    c.open("/k/sandbox/aws?max=1000").await;
    c.wait_for_text(".berth-count", "loaded").await;
    let count = format!("{total} loaded");
    for _ in 0..total / 1000 + 1 {
        if c.text(".berth-count").await.contains(&count) {
            break;
        }
        c.click_text("Load more").await;
        c.wait_until(
            "the page loaded",
            "![...document.querySelectorAll('button')].some(b => b.textContent === 'Loading…')",
        )
        .await;
    }
    c.wait_for_text(".berth-count", &count).await;
}

/// The `data-pos` of the focused element, if it is a row.
async fn focused_pos(c: &Console) -> Option<u64> {
    c.eval("return document.activeElement?.closest?.('tr[data-pos]')?.dataset.pos ?? null")
        .await
        .as_str()
        .and_then(|p| p.parse().ok())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_last_of_100000_rows_is_shown_when_scrolled_to() {
    let s = Session::with(Sandbox::start(&["--demo-apps", "100000"]).await, "").await;
    let uids = api_uids(&s);
    let total = uids.len();
    assert!(total >= 100_000, "{total} apps");
    let c = &s.console;
    load_all(c, total).await;
    // Every row is counted for a screen reader; a few dozen exist.
    assert_eq!(
        c.eval(&format!(
            "return document.querySelector(\"{TABLE}\").getAttribute('aria-rowcount')"
        ))
        .await,
        (total + 1).to_string()
    );
    let rendered = c.eval(&format!("return {RENDERED}")).await;
    assert!(
        rendered.as_u64().is_some_and(|n| (10..80).contains(&n)),
        "rows in the page: {rendered}"
    );

    // Scrolled to the bottom, the last row is there and in view.
    c.eval(&format!(
        "const b = {SCROLLER}; b.scrollTop = b.scrollHeight; return null"
    ))
    .await;
    let last = format!("{TABLE} tbody tr[data-pos='{}']", total - 1);
    c.wait_until(
        "the last row, in view",
        &format!(
            "(() => {{ const r = document.querySelector(\"{last}\"); if (!r) return false; \
               const a = r.getBoundingClientRect(), s = {SCROLLER}, b = s.getBoundingClientRect(); \
               return a.top >= b.top && a.bottom <= b.top + s.clientTop + s.clientHeight + 0.5; }})()"
        ),
    )
    .await;
    let (uid, index) = (
        c.eval(&format!(
            "return document.querySelector(\"{last}\").dataset.uid"
        ))
        .await,
        c.eval(&format!(
            "return document.querySelector(\"{last}\").getAttribute('aria-rowindex')"
        ))
        .await,
    );
    assert_eq!(
        uid.as_str(),
        uids.last().map(String::as_str),
        "the API's last app"
    );
    assert_eq!(index, (total + 1).to_string());
    let rendered = c.eval(&format!("return {RENDERED}")).await;
    assert!(
        rendered.as_u64().is_some_and(|n| n < 80),
        "rows in the page at the end: {rendered}"
    );
    s.screenshot("scale-100k-end").await;
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_keyboard_moves_across_the_window_edge() {
    let s = Session::with(Sandbox::start(&["--demo-apps", "400"]).await, "").await;
    let total = api_uids(&s).len();
    let c = &s.console;
    load_all(c, total).await;
    let rendered = c
        .eval(&format!("return {RENDERED}"))
        .await
        .as_u64()
        .unwrap_or(0);
    assert!(
        (10..80).contains(&rendered),
        "{rendered} rows rendered of {total}"
    );
    c.eval(&format!(
        "document.querySelector(\"{TABLE} tbody tr[data-pos='0']\").focus(); return null"
    ))
    .await;
    assert_eq!(focused_pos(c).await, Some(0));
    // Down past every row that was rendered at first: each key moves the focus by one row.
    let steps = rendered + 10;
    for i in 1..=steps {
        c.press("\u{E015}").await;
        c.wait_until(
            "the next row focused",
            &format!("document.activeElement?.dataset?.pos === '{i}'"),
        )
        .await;
    }
    // The row focused is the one its index says, and the first rows are gone from the page.
    assert_eq!(
        c.eval("return document.activeElement.getAttribute('aria-rowindex')")
            .await,
        (steps + 2).to_string()
    );
    assert_eq!(
        c.eval(&format!(
            "return document.querySelector(\"{TABLE} tbody tr[data-pos='0']\") === null"
        ))
        .await,
        true,
        "the window moved"
    );
    assert_eq!(
        c.eval("return document.activeElement.getAttribute('tabindex')")
            .await,
        "0",
        "the focused row is the one Tab comes back to"
    );
    // End and Home reach both ends; Up from the top stays there.
    for (key, want) in [
        ("\u{E010}", total as u64 - 1),
        ("\u{E011}", 0),
        ("\u{E013}", 0),
    ] {
        c.press(key).await;
        c.wait_until(
            "the row the key goes to, focused",
            &format!("document.activeElement?.dataset?.pos === '{want}'"),
        )
        .await;
    }
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_polled_row_updates_where_it_is() {
    let s = Session::with(
        Sandbox::start(&["--demo-apps", "400", "--provision-ms", "60000"]).await,
        "",
    )
    .await;
    // An app on its way keeps the list polling fast.
    s.api(
        "POST",
        "/api/kopernik/v0/resource/containerapp/aws",
        Some(&serde_json::json!({"machineConfiguration": {"name": "zz-busy", "regionUid": "us-east-1", "machineTypeUid": "t3.micro"},
                                 "containerImage": {"id": "nginx:1.27"}})),
    )
    .expect(202);
    let total = api_uids(&s).len();
    let c = &s.console;
    load_all(c, total).await;
    // Halfway down the list.
    c.eval(&format!(
        "const b = {SCROLLER}; b.scrollTop = b.scrollHeight / 2; return null"
    ))
    .await;
    let mid = total / 2;
    let row = format!("{TABLE} tbody tr[data-pos='{mid}']");
    c.wait_until(
        "the middle row",
        &format!("document.querySelector(\"{row}\") !== null"),
    )
    .await;
    let uid = c
        .eval(&format!(
            "const r = document.querySelector(\"{row}\"); r.berthKept = true; return r.dataset.uid"
        ))
        .await;
    let uid = uid.as_str().expect("a uid").to_string();
    assert_ne!(
        c.eval(&format!(
            "return document.querySelector(\"{row}\").dataset.status"
        ))
        .await,
        "deleting"
    );
    s.api(
        "DELETE",
        &format!("/api/kopernik/v0/resource/containerapp/aws/{uid}"),
        None,
    )
    .expect(202);
    // No click: the poll brings the new status to that row, in place.
    c.wait_until(
        "the row deleting, by polling",
        &format!(
            "(() => {{ const r = document.querySelector(\"{row}\"); \
               return r.dataset.uid === '{uid}' && r.dataset.status === 'deleting'; }})()"
        ),
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
        c.eval(&format!("return {SCROLLER}.scrollTop"))
            .await
            .as_f64()
            .unwrap_or(0.0)
            > 1000.0,
        "the view stayed where it was"
    );
    s.end().await;
}
