//! The Kopernik create form against the sandbox: without and with a template, rules caught before
//! sending, a failing image's reason, and a draft that survives a reload without its secrets.

use std::time::Duration;

use crate::Session;
use berth_harness::Sandbox;

pub(crate) async fn select(s: &Session, css: &str, value: &str) {
    s.console
        .eval(&format!(
            "const e = document.querySelector({css:?}); e.value = {value:?}; e.dispatchEvent(new Event('change', {{ bubbles: true }})); return null"
        ))
        .await;
}

pub(crate) async fn fill_machine(s: &Session, name: &str) {
    let c = &s.console;
    c.fill("#f-machineConfiguration-name", name).await;
    select(s, "#f-machineConfiguration-regionUid", "nyc1").await;
    select(s, "#f-machineConfiguration-machineTypeUid", "s-1vcpu-1gb").await;
}

async fn choose_template(s: &Session, name: &str) {
    s.console
        .wait_until(
            "template cards",
            "document.querySelectorAll('button[role=radio]').length > 1",
        )
        .await;
    s.console
        .eval(&format!(
            "[...document.querySelectorAll('button[role=radio]')].find(b => b.querySelector('strong').textContent === {name:?}).click(); return null"
        ))
        .await;
    s.console
        .wait_for_text("button[role=radio][aria-checked=true]", name)
        .await;
}

fn actions(s: &Session) -> usize {
    s.api("GET", "/api/kopernik/v0/action/digitalocean", None)
        .json()["resources"]
        .as_array()
        .map(Vec::len)
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread")]
async fn create_without_template_then_find_the_app() {
    let s = Session::with(Sandbox::start(&["--provision-ms", "800"]).await, "").await;
    let c = &s.console;
    c.open("/k/sandbox/digitalocean/new").await;
    c.wait_for("form[aria-label='New container app']").await;
    fill_machine(&s, "hello-1").await;
    c.fill("#f-containerImage-id", "nginx:1.27").await;
    c.click_text("Add a variable").await;
    c.fill("#f-runtimeProps-env-0--name", "MODE").await;
    c.fill("#f-runtimeProps-env-0--value", "demo").await;
    c.click_text("Add a port").await;
    c.fill("#f-runtimeProps-ports-0--port", "8080").await;
    c.wait_for_text("[data-preview=json]", "\"port\": 8080")
        .await;
    c.wait_for_text("[data-preview=curl]", "Bearer $KOPERNIK_TOKEN")
        .await;
    s.screenshot("kopernik-create").await;
    c.click_text("Create container app").await;
    c.wait_for_text_within(
        ".berth-outcome",
        "The container app is ready.",
        Duration::from_secs(20),
    )
    .await;
    c.click_text("Open the container app").await;
    c.wait_for_text("main h1", "hello-1").await;
    c.wait_for_text("section[aria-label=Container]", "MODE")
        .await;
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn mysql_template_rules_are_checked_before_sending_then_it_succeeds() {
    let s = Session::with(Sandbox::start(&["--provision-ms", "500"]).await, "").await;
    let c = &s.console;
    c.open("/k/sandbox/digitalocean/new").await;
    choose_template(&s, "MySQL").await;
    assert_eq!(
        c.eval("return document.querySelector('#f-containerImage-id').value")
            .await,
        "mysql:8.4"
    );
    assert_eq!(
        c.eval("return document.querySelector('#f-containerImage-id').readOnly")
            .await,
        true
    );
    assert_eq!(
        c.eval(
            "return document.querySelectorAll('table[aria-label=\"Data disks\"] tbody tr').length"
        )
        .await,
        1
    );
    assert_eq!(
        c.eval("return document.querySelector('#f-runtimeProps-env-MYSQL_ROOT_HOST').value")
            .await,
        "%"
    );
    assert_eq!(
        c.eval("return document.querySelector('#f-runtimeProps-env-MYSQL_ROOT_PASSWORD').type")
            .await,
        "password"
    );
    fill_machine(&s, "db-1").await;

    let before = actions(&s);
    c.click_text("Create container app").await;
    // The summary names the field as people read it, and its link takes the focus there.
    c.wait_for_text(
        "#berth-error-summary",
        "Runtime props · env · MYSQL_ROOT_PASSWORD: ",
    )
    .await;
    c.click("#berth-error-summary a[data-path='runtimeProps.env.MYSQL_ROOT_PASSWORD']")
        .await;
    c.wait_until(
        "the field focused from the summary",
        "document.activeElement?.id === 'f-runtimeProps-env-MYSQL_ROOT_PASSWORD'",
    )
    .await;
    let aria = c
        .eval("const f = document.activeElement; return [f.getAttribute('aria-invalid'), f.getAttribute('aria-describedby')]")
        .await;
    assert_eq!(aria[0], "true", "{aria}");
    assert!(
        aria[1].as_str().is_some_and(|d| d
            .split(' ')
            .any(|id| id == "f-runtimeProps-env-MYSQL_ROOT_PASSWORD-error")),
        "{aria}"
    );
    c.wait_for_text(
        "#f-runtimeProps-env-MYSQL_ROOT_PASSWORD-error",
        "required by the template",
    )
    .await;
    // Anything the click sent has been answered.
    c.wait_quiet().await;
    assert_eq!(
        actions(&s),
        before,
        "nothing was sent while a template rule failed"
    );

    c.fill("#f-runtimeProps-env-MYSQL_ROOT_PASSWORD", "s3cret-pw")
        .await;
    let preview = c.text("[data-preview=json]").await;
    assert!(
        !preview.contains("s3cret-pw") && preview.contains("<secret>"),
        "{preview}"
    );
    c.click_text("Create container app").await;
    c.wait_for_text_within(
        ".berth-outcome",
        "The container app is ready.",
        Duration::from_secs(20),
    )
    .await;
    let apps = s
        .api(
            "GET",
            "/api/kopernik/v0/resource/containerapp/digitalocean?jq=.templateId%3D%3D%22mysql%22",
            None,
        )
        .json();
    assert_eq!(apps["resources"].as_array().map(Vec::len), Some(1));
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failing_image_shows_the_reason() {
    let s = Session::with(Sandbox::start(&["--provision-ms", "500"]).await, "").await;
    let c = &s.console;
    c.open("/k/sandbox/digitalocean/new").await;
    fill_machine(&s, "doomed-1").await;
    c.fill("#f-containerImage-id", "acme/fail:1").await;
    c.click_text("Create container app").await;
    c.wait_for_text_within(
        ".berth-outcome",
        "The creation failed: image pull failed",
        Duration::from_secs(20),
    )
    .await;
    assert_eq!(
        c.eval("return document.querySelector('.berth-outcome').dataset.state")
            .await,
        "failed"
    );
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reload_keeps_the_draft_but_not_the_secrets() {
    let s = Session::start().await;
    let c = &s.console;
    c.open("/k/sandbox/digitalocean/new").await;
    choose_template(&s, "MySQL").await;
    fill_machine(&s, "keep-0").await;
    c.fill("#f-runtimeProps-env-MYSQL_ROOT_PASSWORD", "top-secret")
        .await;
    c.fill("#f-containerImageRepositoryCredentials", "deployer")
        .await;
    c.fill("#f-containerImageRepositoryCredentials-password", "hunter2")
        .await;
    // The last edit, after the secrets: once the stored draft has it, the draft was written
    // after the secrets were typed (a read before that write could not see them).
    c.fill("#f-machineConfiguration-name", "keep-1").await;
    let draft = "Object.keys(sessionStorage).filter(k => k.startsWith('berth.draft')).map(k => sessionStorage.getItem(k)).join('')";
    c.wait_until(
        "the draft written after the last edit",
        &format!("({draft}).includes('keep-1')"),
    )
    .await;
    let stored = c.eval(&format!("return {draft}")).await;
    let stored = stored.as_str().expect("draft stored");
    assert!(
        stored.contains("deployer")
            && !stored.contains("top-secret")
            && !stored.contains("hunter2"),
        "{stored}"
    );

    c.open("/k/sandbox/digitalocean/new").await;
    c.wait_for_text("main", "Your draft was restored").await;
    assert_eq!(
        c.eval("return document.querySelector('#f-machineConfiguration-name').value")
            .await,
        "keep-1"
    );
    assert_eq!(
        c.eval("return document.querySelector('#f-containerImageRepositoryCredentials').value")
            .await,
        "deployer"
    );
    assert_eq!(c.eval("return document.querySelector('#f-containerImageRepositoryCredentials-password').value").await, "");
    assert_eq!(
        c.eval("return document.querySelector('#f-runtimeProps-env-MYSQL_ROOT_PASSWORD').value")
            .await,
        ""
    );
    c.wait_for_text("button[role=radio][aria-checked=true]", "MySQL")
        .await;
    c.click_text("Discard draft").await;
    assert_eq!(
        c.eval("return document.querySelector('#f-machineConfiguration-name').value")
            .await,
        ""
    );
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pasted_docker_run_line_fills_the_app_form() {
    let s = Session::start().await;
    let c = &s.console;
    c.open("/k/sandbox/digitalocean/new").await;
    c.wait_for("form[aria-label='New container app']").await;
    let before = actions(&s);
    c.click("details.berth-paste summary").await;
    c.fill(
        "#paste-input",
        "docker run -d --name web-9 -p 8080:80 -e MODE=prod --restart unless-stopped --cpus 2 -v www:/srv nginx:1.27",
    )
    .await;
    c.click_text("Fill the form").await;
    c.wait_for_text(".berth-paste-report", "Left out").await;
    let report = c.text(".berth-paste-report").await;
    assert!(
        report.contains("--cpus / --memory: Kopernik sizes an app by its machine type")
            && report.contains("host port 8080"),
        "{report}"
    );
    let value = |id: &'static str| async move {
        c.eval(&format!("return document.querySelector('#{id}').value"))
            .await
    };
    assert_eq!(value("f-containerImage-id").await, "nginx:1.27");
    assert_eq!(value("f-machineConfiguration-name").await, "web-9");
    assert_eq!(value("f-runtimeProps-env-0--name").await, "MODE");
    let preview = c.text("[data-preview=json]").await;
    for needle in ["\"MODE\"", "\"unless-stopped\"", "\"port\": 80", "\"/srv\""] {
        assert!(preview.contains(needle), "{needle} not in {preview}");
    }
    // Anything the paste sent would have been answered by now.
    c.wait_quiet().await;
    assert_eq!(
        actions(&s),
        before,
        "nothing is sent before the user submits"
    );
    s.end().await;
}

fn apps_named(s: &Session, name: &str) -> usize {
    let jq = format!(".name == \"{name}\"")
        .replace(' ', "%20")
        .replace('"', "%22")
        .replace('=', "%3D");
    s.api(
        "GET",
        &format!("/api/kopernik/v0/resource/containerapp/digitalocean?jq={jq}"),
        None,
    )
    .expect(200)
    .json()["resources"]
        .as_array()
        .map(Vec::len)
        .unwrap_or(0)
}

/// Whether the form's submit button can be pressed.
async fn submit_enabled(s: &Session) -> bool {
    s.console
        .eval("return !document.querySelector('form[aria-label=\"New container app\"] button[type=submit]').disabled")
        .await
        == true
}

/// Issue 21: a create whose answer a proxy lost (504 after the write) is "unknown", looked up by
/// name, found and followed; the form cannot send it a second time.
#[tokio::test(flavor = "multi_thread")]
async fn a_lost_answer_is_looked_up_by_name_and_never_sent_twice() {
    let s = Session::with(
        Sandbox::start(&["--provision-ms", "1500", "--faults"]).await,
        "",
    )
    .await;
    let c = &s.console;
    c.open("/k/sandbox/digitalocean/new").await;
    c.wait_for("form[aria-label='New container app']").await;
    fill_machine(&s, "lost-1").await;
    c.fill("#f-containerImage-id", "nginx:1.27").await;
    s.inject_fault("lost-answer").await;
    // Counts the creates the page sends (POST to the provider's container apps).
    c.eval(
        "window.__creates = 0; const orig = window.fetch; window.fetch = function (input, init) { \
           const r = new Request(input, init); \
           if (r.method === 'POST' && /\\/resource\\/containerapp\\/[^/]+$/.test(new URL(r.url).pathname)) window.__creates += 1; \
           return orig.call(window, r); }; return null",
    )
    .await;
    c.click_text("Create container app").await;
    c.wait_for_text("[data-lost=created]", "lost-1 was created")
        .await;
    c.wait_for_text("[data-lost=created]", "HTTP 504").await;
    assert_eq!(apps_named(&s, "lost-1"), 1);
    // Control: the counter sees the create the click sent.
    assert_eq!(c.eval("return window.__creates").await, 1, "creates sent");
    // Followed like any create, and the submit stays closed: a second click sends nothing.
    c.wait_for_text_within(
        ".berth-outcome",
        "The container app is ready.",
        Duration::from_secs(20),
    )
    .await;
    assert!(!submit_enabled(&s).await, "no resubmit of a created app");
    c.eval("document.querySelector('form[aria-label=\"New container app\"]').requestSubmit(); return null")
        .await;
    // The submit's handlers have run and anything they sent has been answered.
    c.next_frame().await;
    c.wait_idle().await;
    assert_eq!(
        c.eval("return window.__creates").await,
        1,
        "a second create was sent"
    );
    assert_eq!(apps_named(&s, "lost-1"), 1, "no duplicate");
    c.click_text("Open the container app").await;
    c.wait_for_text("main h1", "lost-1").await;
    s.end().await;
}

/// A lost answer (503, nothing written) whose look-up fails too stays unknown, with the submit
/// closed, until "Check again" finds no app: then the form may be sent again.
#[tokio::test(flavor = "multi_thread")]
async fn a_lost_create_that_did_not_happen_may_be_sent_again() {
    let s = Session::with(
        Sandbox::start(&["--provision-ms", "500", "--faults"]).await,
        "",
    )
    .await;
    let c = &s.console;
    c.open("/k/sandbox/digitalocean/new").await;
    c.wait_for("form[aria-label='New container app']").await;
    fill_machine(&s, "lost-2").await;
    c.fill("#f-containerImage-id", "nginx:1.27").await;
    s.inject_fault("503").await;
    c.click_text("Create container app").await;
    c.wait_for_text("[data-lost=unknown]", "checking failed too")
        .await;
    assert!(!submit_enabled(&s).await, "no resubmit while unknown");
    s.inject_fault("").await;
    c.click_text("Check again").await;
    c.wait_for_text("[data-lost=not-created]", "it was not created")
        .await;
    assert!(submit_enabled(&s).await);
    assert_eq!(apps_named(&s, "lost-2"), 0);
    c.click_text("Create container app").await;
    c.wait_for_text_within(
        ".berth-outcome",
        "The container app is ready.",
        Duration::from_secs(20),
    )
    .await;
    assert_eq!(apps_named(&s, "lost-2"), 1);
    s.end().await;
}
