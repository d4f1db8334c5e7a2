//! Outcomes that tell the truth when the network does not: a stalled body is cut by the timeout,
//! and a "Create and deploy" whose deploy fails says so where the user is, with the draft kept.

use std::time::Duration;

use crate::pending_actions::first_row_running;
use crate::Session;
use berth_harness::Sandbox;

#[tokio::test(flavor = "multi_thread")]
async fn a_stalled_body_is_cut_by_the_timeout_and_the_list_says_so() {
    let s = Session::with_request_timeout(&[], Duration::from_secs(4)).await;
    let c = &s.console;
    c.open("/k/sandbox/aws").await;
    c.wait_for("table[aria-label='Container apps'] tbody tr")
        .await;
    // From now on the list's answers send their headers and the start of a body, then nothing
    // (like a proxy that stalls); the stub honours the request's abort signal as fetch does.
    c.eval(
        "const orig = window.fetch; window.fetch = function (input, init) { \
           const r = new Request(input, init); \
           if (!r.url.includes('/resource/containerapp/aws')) return orig.call(window, r); \
           const body = new ReadableStream({ start(ctrl) { \
             ctrl.enqueue(new TextEncoder().encode('{\"resources\": [')); \
             r.signal.addEventListener('abort', () => ctrl.error(new DOMException('aborted', 'AbortError'))); } }); \
           return Promise.resolve(new Response(body, { status: 200, headers: { 'content-type': 'application/json' } })); }; \
         return null",
    )
    .await;
    c.click_text("Refresh").await;
    c.wait_for_text_within(".berth-error", "within 4 s", Duration::from_secs(20))
        .await;
    // The rows loaded before stay, and the page can refresh again.
    c.wait_for("table[aria-label='Container apps'] tbody tr")
        .await;
    assert_eq!(
        c.eval("return [...document.querySelectorAll('button')].find(b => b.textContent === 'Refresh').disabled")
            .await,
        false,
        "the stalled load ended"
    );
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_deploy_after_create_is_shown_on_the_form_with_the_draft_kept() {
    let s = Session::with(
        Sandbox::start(&["--provision-ms", "500", "--faults"]).await,
        "",
    )
    .await;
    let (path, _) = s.demo_env();
    let c = &s.console;
    c.open(&format!("{path}/new")).await;
    c.wait_for("form[aria-label=Container]").await;
    // Only the deploy request fails.
    c.eval(
        "const orig = window.fetch; window.fetch = function (input, init) { \
           const r = new Request(input, init); \
           if (r.url.endsWith('/deploy')) r.headers.set('X-Berth-Fault', '500'); \
           return orig.call(window, r); }; return null",
    )
    .await;
    c.fill("#f-name", "deploy-fails-1").await;
    c.fill("#f-image_name", "traefik/whoami").await;
    c.fill("#f-tag", "v1.10").await;
    c.click_text("Create and deploy").await;
    c.wait_for_text(".berth-error", "was created, but its deploy failed")
        .await;
    assert!(
        c.path().await.ends_with("/new"),
        "the user stays on the form: {}",
        c.path().await
    );
    c.wait_for("[data-created] a").await;
    assert_eq!(
        c.eval("return document.querySelector('#f-name').value")
            .await,
        "deploy-fails-1",
        "the form keeps what was typed"
    );
    let stored = c
        .eval("return Object.keys(sessionStorage).filter(k => k.startsWith('berth.draft.qovery')).map(k => sessionStorage.getItem(k)).join()")
        .await;
    assert!(
        stored
            .as_str()
            .unwrap_or_default()
            .contains("deploy-fails-1"),
        "the draft is kept: {stored}"
    );
    s.end().await;
}

/// Edits the sandbox connection of `kind` on the Connections page: `field` (an input id) to `value`.
async fn edit_connection(s: &Session, kind: &str, field: &str, value: &str) {
    let c = &s.console;
    c.nav("Connections").await;
    c.wait_for("tr[data-conn=sandbox]").await;
    c.eval(&format!(
        "[...document.querySelectorAll('tr[data-conn=sandbox]')].find(r => r.textContent.includes({kind:?})).querySelector('button').click(); return null"
    ))
    .await;
    c.wait_for("form[aria-label='Edit connection']").await;
    c.fill(field, value).await;
    c.click("form button[type=submit]").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_token_pauses_an_action_until_the_user_signs_in_again() {
    let s = Session::with(Sandbox::start(&["--provision-ms", "6000"]).await, "").await;
    let c = &s.console;
    crate::pending_actions::start_create(&s, "paused-1", "nginx:1.27").await;
    // Counts the polls of the create's Action (`GET /action/digitalocean/{uid}`).
    c.eval(
        "window.__polls = 0; const orig = window.fetch; window.fetch = function (input, init) { \
           const r = new Request(input, init); \
           if (/\\/action\\/digitalocean\\/[^/]+$/.test(new URL(r.url).pathname)) window.__polls += 1; \
           return orig.call(window, r); }; return null",
    )
    .await;
    // Control: in this setup the running action is polled.
    c.wait_until("the action polled", "window.__polls > 0")
        .await;
    edit_connection(&s, "kopernik", "#conn-token", "not-the-token").await;
    c.wait_for_text_within(".berth-toasts", "Sign in again", Duration::from_secs(20))
        .await;
    c.nav("Actions").await;
    let row = "table[aria-label=Actions] tbody tr";
    c.wait_for_text(row, "paused").await;
    c.wait_quiet().await;
    let polls = c.eval("return window.__polls").await;
    // Paused, not retried for 15 minutes nor ended. The window (8 s) is longer than the steps the
    // poller was at when the token was refused (1, 2, 3, 5 s after the create): an action still
    // followed would be polled in it, and the create itself ends on the server 6 s after it
    // started; nothing in the page can say "no poll is coming".
    tokio::time::sleep(Duration::from_secs(8)).await;
    assert_eq!(
        c.eval("return window.__polls").await,
        polls,
        "a paused action was polled"
    );
    assert_eq!(first_row_running(c).await, "true");
    c.wait_for_text(row, "paused").await;
    // Signing in again resumes it, and it ends.
    edit_connection(&s, "kopernik", "#conn-token", "sandbox").await;
    c.nav("Actions").await;
    c.wait_for_text_within(row, "done", Duration::from_secs(30))
        .await;
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_protocol_relative_base_url_is_refused_at_its_field() {
    let s = Session::start().await;
    let c = &s.console;
    c.open("/connections").await;
    c.click("tr[data-conn=sandbox] button").await;
    c.wait_for("form[aria-label='Edit connection']").await;
    c.fill("#conn-url", "//other-host/api").await;
    c.click("form button[type=submit]").await;
    c.wait_for_text("#conn-url-error", "must not start with //")
        .await;
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_create_waiting_longer_than_the_plain_timeout_is_not_reported_failed() {
    // The server holds the answer 8 s (its waitTime is 20 s): past the plain timeout, set to 3 s.
    let s =
        Session::with_request_timeout(&["--provision-ms", "8000"], Duration::from_secs(3)).await;
    let c = &s.console;
    c.open("/k/sandbox/digitalocean/new").await;
    crate::kopernik_create::fill_machine(&s, "patient-1").await;
    c.fill("#f-containerImage-id", "nginx:1.27").await;
    c.fill("#f-waitTime", "20").await;
    c.click_text("Create container app").await;
    let sent = std::time::Instant::now();
    c.wait_for_text_within(
        ".berth-toasts",
        "Create patient-1: done",
        Duration::from_secs(30),
    )
    .await;
    // Control: the answer did come after the plain timeout, which would have cut it.
    assert!(
        sent.elapsed() > Duration::from_secs(3),
        "the server answered within the plain timeout ({:?}): the test proves nothing",
        sent.elapsed()
    );
    assert!(
        !c.body_text().await.contains("no answer"),
        "the create was cut off: {}",
        c.body_text().await
    );
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn choosing_another_provider_on_the_create_page_loads_its_catalog() {
    let s = Session::start().await;
    let c = &s.console;
    c.open("/k/sandbox/aws/new").await;
    c.wait_for("#f-machineConfiguration-regionUid option[value='us-east-1']")
        .await;
    crate::kopernik_create::select(&s, "#f-provider", "digitalocean").await;
    c.wait_until(
        "on the digitalocean page",
        "location.pathname === '/k/sandbox/digitalocean/new'",
    )
    .await;
    c.wait_for("#f-machineConfiguration-regionUid option[value='nyc1']")
        .await;
    assert_eq!(
        c.eval("return document.querySelector(\"#f-machineConfiguration-regionUid option[value='us-east-1']\") === null")
            .await,
        true,
        "the old provider's regions are gone"
    );
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_polled_detail_page_keeps_the_focus_and_the_open_raw_json() {
    let s = Session::with(Sandbox::start(&["--provision-ms", "8000"]).await, "").await;
    let (_, env) = s.demo_env();
    let list = s
        .api(
            "GET",
            &format!("/api/qovery/environment/{env}/container"),
            None,
        )
        .expect(200)
        .json();
    let id = list["results"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["name"] == "web")
        .and_then(|c| c["id"].as_str())
        .expect("the demo's web container")
        .to_string();
    // A redeploy keeps it moving (and the page polling every 2.5 s) for 8 s, then it ends: a
    // poll brings new data, which a page that rebuilt its parts would lose the focus to.
    s.api(
        "POST",
        &format!("/api/qovery/container/{id}/redeploy"),
        None,
    )
    .expect(202);
    let c = &s.console;
    c.open(&format!("/q/sandbox/containers/{id}")).await;
    c.wait_for("[data-raw-json]").await;
    c.eval(&format!(
        "window.__polls = 0; const orig = window.fetch; window.fetch = function (input, init) {{ \
           const r = new Request(input, init); if (r.url.endsWith('/container/{id}/status')) window.__polls += 1; \
           return orig.call(window, r); }}; \
         document.querySelector('[data-raw-json]').closest('details').open = true; \
         [...document.querySelectorAll('main button')].find(b => b.textContent === 'Refresh').focus(); return null"
    ))
    .await;
    let chip = ".berth-page-head [data-tone]";
    let before = c.text(chip).await;
    assert!(
        !before.contains("Deployed"),
        "the redeploy ended before the focus was set: no change to come ({before})"
    );
    c.wait_until("three polls", "window.__polls >= 3").await;
    // Control: a poll changed what the page shows.
    c.wait_for_text_within(chip, "Deployed", Duration::from_secs(30))
        .await;
    assert_eq!(
        c.eval("return document.activeElement.textContent").await,
        "Refresh",
        "the focused button survived the polls"
    );
    assert_eq!(
        c.eval("return document.querySelector('[data-raw-json]').closest('details').open")
            .await,
        true,
        "the open Raw JSON stayed open"
    );
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn one_unreadable_app_is_an_error_row_not_a_failed_page() {
    let s = Session::start().await;
    let c = &s.console;
    c.open("/k/sandbox/aws").await;
    c.wait_for("table[aria-label='Container apps'] tbody tr[data-uid]")
        .await;
    let before = c
        .eval("return document.querySelectorAll('tbody tr[data-uid]').length")
        .await;
    // The next answers carry one app whose machine is not an object.
    c.eval(
        "const orig = window.fetch; window.fetch = async function (input, init) { \
           const r = new Request(input, init); const resp = await orig.call(window, r); \
           if (!/\\/resource\\/containerapp\\/aws(\\?|$)/.test(r.url)) return resp; \
           const body = await resp.json(); body.resources[0].machine = 'broken'; \
           return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } }); }; \
         return null",
    )
    .await;
    c.click_text("Refresh").await;
    c.wait_for_text("tr.berth-broken", "could not be read")
        .await;
    let after = c
        .eval("return document.querySelectorAll('tbody tr[data-uid]').length")
        .await;
    assert_eq!(
        after.as_u64().map(|n| n + 1),
        before.as_u64(),
        "every other app is still listed"
    );
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn all_apps_shows_the_rest_when_one_environment_fails() {
    let s = Session::with(Sandbox::start(&["--faults"]).await, "").await;
    let (_, env) = s.demo_env();
    let c = &s.console;
    c.open("/connections").await;
    // Only the demo's first environment (Acme Corp / Storefront / production) fails.
    c.eval(&format!(
        "const orig = window.fetch; window.fetch = function (input, init) {{ \
           const r = new Request(input, init); \
           if (r.url.includes('/environment/{env}/')) r.headers.set('X-Berth-Fault', '500'); \
           return orig.call(window, r); }}; return null"
    ))
    .await;
    c.nav("Overview").await;
    c.wait_for_text("main [role=alert]", "Storefront / production")
        .await;
    c.wait_for_text("main table", "Storefront / staging").await;
    c.wait_for_text("main table", "Kopernik").await;
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_token_on_submit_keeps_the_input_and_links_to_connections() {
    let s = Session::with(
        Sandbox::start(&["--faults", "--provision-ms", "500"]).await,
        "",
    )
    .await;
    let (path, _) = s.demo_env();
    let c = &s.console;

    // Qovery: a 401 on Create leaves the user on the form with every field as typed.
    c.open(&format!("{path}/new")).await;
    c.fill("#f-name", "refused-1").await;
    c.fill("#f-image_name", "nginx").await;
    c.fill("#f-tag", "1.27").await;
    s.inject_fault("401").await;
    c.click_text("Create").await;
    let text = c
        .wait_for_text("[data-submit-error]", "Sign in again")
        .await;
    assert!(text.contains("HTTP 401"), "{text}");
    assert_eq!(
        c.eval("return document.querySelector('[data-submit-error] a').textContent")
            .await,
        "Open connections"
    );
    assert!(c.path().await.ends_with("/new"), "still on the form");
    for (field, value) in [
        ("#f-name", "refused-1"),
        ("#f-image_name", "nginx"),
        ("#f-tag", "1.27"),
    ] {
        assert_eq!(
            c.eval(&format!("return document.querySelector('{field}').value"))
                .await,
            value,
            "{field} is kept"
        );
    }
    // Once the token is accepted again, the same input goes through.
    s.inject_fault("").await;
    c.click_text("Create").await;
    c.wait_for_text("table[aria-label=Containers]", "refused-1")
        .await;

    // Kopernik: a 403 says the same, and the form keeps its input.
    c.open("/k/sandbox/digitalocean/new").await;
    crate::kopernik_create::fill_machine(&s, "refused-2").await;
    c.fill("#f-containerImage-id", "nginx:1.27").await;
    s.inject_fault("403").await;
    c.click_text("Create container app").await;
    let text = c
        .wait_for_text("[data-submit-error]", "Sign in again")
        .await;
    assert!(text.contains("HTTP 403"), "{text}");
    s.screenshot("refused-token-on-submit").await;
    assert_eq!(
        c.eval("return document.querySelector('#f-containerImage-id').value")
            .await,
        "nginx:1.27"
    );
    s.inject_fault("").await;
    c.click_text("Create container app").await;
    c.wait_for_text_within(
        ".berth-toasts",
        "Create refused-2: done",
        Duration::from_secs(30),
    )
    .await;
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_state_no_client_knows_is_shown_as_text_not_an_error() {
    let s = Session::with(Sandbox::start(&["--faults"]).await, "").await;
    let (path, _) = s.demo_env();
    let c = &s.console;

    c.open(&path).await;
    c.wait_for("table[aria-label=Containers] tbody tr").await;
    s.inject_fault("unknown-state").await;
    c.click_text("Refresh").await;
    c.wait_for_text("table[aria-label=Containers] tbody", "Future state")
        .await;
    assert!(
        c.eval("return document.querySelectorAll('.berth-error').length")
            .await
            == 0,
        "an unknown state is not an error: {}",
        c.body_text().await
    );

    // The same answers on the Kopernik list and the overview (the fault stays on: in-app
    // navigation keeps the page).
    c.nav("Kopernik").await;
    c.wait_for_text("main table tbody", "FUTURE_STATE").await;
    c.nav("Overview").await;
    c.wait_for_text("table[aria-label='All apps'] tbody", "Future state")
        .await;
    c.wait_for_text("table[aria-label='All apps'] tbody", "FUTURE_STATE")
        .await;
    assert!(
        c.eval("return document.querySelectorAll('.berth-error').length")
            .await
            == 0,
        "an unknown state is not an error: {}",
        c.body_text().await
    );
    s.end().await;
}

/// Deploys whoami (never deployed) from its row, so the deployment is followed; answers its id.
async fn deploy_whoami_from_the_list(s: &Session) -> String {
    let (path, env) = s.demo_env();
    let id = s
        .container_named(&env, "whoami")
        .and_then(|c| c["id"].as_str().map(String::from))
        .unwrap_or_else(|| panic!("the demo has whoami"));
    let c = &s.console;
    c.open(&path).await;
    c.wait_for(&format!("tr[data-id='{id}']")).await;
    c.eval(&format!(
        "document.querySelector(\"tr[data-id='{id}'] button[data-action=deploy]\").click(); return null"
    ))
    .await;
    c.wait_for(&format!("tr[data-id='{id}'] .berth-tracked"))
        .await;
    id
}

#[tokio::test(flavor = "multi_thread")]
async fn a_followed_deploy_the_server_no_longer_knows_ends_gone() {
    let s = Session::with(
        Sandbox::start(&["--faults", "--provision-ms", "60000"]).await,
        "",
    )
    .await;
    let id = deploy_whoami_from_the_list(&s).await;
    let c = &s.console;
    // Its status now answers 404, as when another client deleted the container.
    s.inject_fault_on("404", &format!("/container/{id}/status"))
        .await;
    s.wait_faulted(1).await;
    c.wait_for_text(
        ".berth-toasts",
        "Deploy whoami: the server no longer knows it (gone)",
    )
    .await;
    s.inject_fault("").await;
    c.nav("Actions").await;
    let row = c.wait_for_text("table[aria-label=Actions]", "whoami").await;
    assert!(row.contains("gone: the server no longer knows it"), "{row}");
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deploy_followed_for_15_minutes_is_given_up_with_a_word() {
    let s = Session::with(Sandbox::start(&["--provision-ms", "60000"]).await, "").await;
    deploy_whoami_from_the_list(&s).await;
    let c = &s.console;
    // The page's clock jumps 16 minutes ahead: the next poll still reads it deploying.
    c.eval("const real = Date.now; Date.now = () => real() + 16 * 60 * 1000; return null")
        .await;
    c.wait_for_text(
        ".berth-toasts",
        "Deploy whoami is still running after 15 minutes: check again later",
    )
    .await;
    c.nav("Actions").await;
    let row = c.wait_for_text("table[aria-label=Actions]", "whoami").await;
    assert!(
        row.contains("still running after 15 minutes: check again"),
        "{row}"
    );
    s.end().await;
}
