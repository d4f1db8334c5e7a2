//! A deployment's log opened while it runs (#20 item 2): from its history row, followed (lines
//! added without a reload), its stage progress from `statusesWithStages` (ONGOING with the step
//! under way, then DONE), the following stopping at its end; a failing image's stage in ERROR.

use std::time::Duration;

use berth_harness::Sandbox;

use crate::Session;

const FIRST: &str = "table[aria-label='Deployment history'] tbody tr:first-child";
const LOG: &str = "[data-deployment-log]";
const STAGE: &str = "[data-deployment-log] [data-stage-progress]";
/// Longer than a deployment here, with its polls.
const LONG: Duration = Duration::from_secs(40);

/// Opens the page of the demo container `name`; answers its id.
async fn open_container(s: &Session, name: &str) -> String {
    let (_, env) = s.demo_env();
    let id = s
        .container_named(&env, name)
        .and_then(|c| c["id"].as_str().map(String::from))
        .unwrap_or_else(|| panic!("the demo has a container {name}"));
    s.console.open(&format!("/q/sandbox/containers/{id}")).await;
    s.console.wait_for_text("main h1", name).await;
    id
}

async fn wait_js(c: &berth_harness::Console, what: &str, body: &str) {
    c.wait_until(what, &format!("(() => {{ {body} }})()")).await;
}

/// Deploys `tag` from the container's page and opens that deployment's log from its history
/// row while it runs (the row says so). The history shows the deployment as soon as it is
/// started on the page, without a reload (its slow poll would take 30 s).
async fn deploy_and_open_its_log(s: &Session, _id: &str, tag: &str) {
    let c = &s.console;
    c.click_text("Choose another tag").await;
    c.fill("#berth-deploy-tag", tag).await;
    c.click_text("Deploy this tag").await;
    wait_js(
        c,
        "the deployment is the first history row, running",
        &format!(
            "const r = document.querySelector(\"{FIRST}\"); \
             return r?.dataset.outcome === 'running' && r.textContent.includes(':{tag}')"
        ),
    )
    .await;
    c.eval(&format!(
        "document.querySelectorAll('.berth-toast button[aria-label=Dismiss]').forEach(b => b.click()); \
         document.querySelector(\"{FIRST} button[aria-label^='Log of']\").scrollIntoView({{block: 'center'}}); return null"
    ))
    .await;
    c.click(&format!("{FIRST} button[aria-label^='Log of']"))
        .await;
    c.wait_for(LOG).await;
}

fn lines_js() -> String {
    format!("document.querySelectorAll('{LOG} li').length")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_running_deployments_log_follows_it_with_its_stage_until_done() {
    // A deployment of 16 s: queued for the first 8, deploying for the next 8.
    let s = Session::with(Sandbox::start(&["--provision-ms", "16000"]).await, "").await;
    let c = &s.console;
    let id = open_container(&s, "whoami").await;
    deploy_and_open_its_log(&s, &id, "v1.11").await;
    // A reload would lose this.
    c.eval("window.__sameDocument = true; return null").await;

    // While it runs: following, the stage from the API, this container's step under way.
    c.wait_for_text(LOG, "following").await;
    let text = c.wait_for_text(STAGE, "Stage DEFAULT").await;
    assert!(
        text.contains("QUEUED") || text.contains("ONGOING"),
        "the stage of a running deployment: {text}"
    );
    wait_js(
        c,
        "the log's first lines are shown",
        &format!("return {} >= 1", lines_js()),
    )
    .await;
    let first = c.eval(&format!("return {}", lines_js())).await;
    let first = first.as_u64().unwrap_or(0);
    let state = s
        .api("GET", &format!("/api/qovery/container/{id}/status"), None)
        .json()["state"]
        .clone();
    // The deployment reaches DEPLOYING (two more lines) after 8 s: the log was opened before.
    assert!(
        state == "DEPLOYMENT_QUEUED" || first < 3,
        "opened too late to see it grow: {state}, {first} lines"
    );

    // It moves on: the stage is ONGOING with the step under way, new lines came in, and the
    // viewer still follows.
    c.wait_for_text_within(STAGE, "ONGOING", LONG).await;
    let text = c
        .wait_for_text_within(STAGE, "Mirror image: ongoing", LONG)
        .await;
    assert!(text.contains("Queueing: done"), "{text}");
    wait_js(
        c,
        "lines were added while it runs, without a reload",
        &format!(
            "return {} > {first} && window.__sameDocument === true && \
             document.querySelector('{LOG}').textContent.includes('following')",
            lines_js()
        ),
    )
    .await;

    // The end: the stage is DONE with every step done, the log has its last lines, and the
    // viewer no longer follows.
    let text = c.wait_for_text_within(STAGE, "DONE", LONG).await;
    assert!(
        text.contains("Mirror image: done") && text.contains("Deploy: done"),
        "{text}"
    );
    c.wait_for_text_within(LOG, "whoami deployed", LONG).await;
    wait_js(
        c,
        "the viewer stopped following",
        &format!("return !document.querySelector('{LOG}').textContent.includes('following')"),
    )
    .await;
    let ended = c.eval(&format!("return {}", lines_js())).await;
    assert!(ended.as_u64().unwrap_or(0) >= 6, "{ended}");
    assert_eq!(
        c.eval("return window.__sameDocument === true").await,
        serde_json::json!(true)
    );
    s.screenshot("qovery-deployment-log-stage").await;
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failing_images_stage_shows_error() {
    let s = Session::with(Sandbox::start(&["--provision-ms", "8000"]).await, "").await;
    let c = &s.console;
    let id = open_container(&s, "whoami").await;
    deploy_and_open_its_log(&s, &id, "v-fail").await;
    c.wait_for_text(STAGE, "Stage DEFAULT").await;
    let text = c.wait_for_text_within(STAGE, "ERROR", LONG).await;
    assert!(text.contains("Mirror image: failed"), "{text}");
    c.wait_for_text("[data-deployment-log] [data-reason]", "image pull failed")
        .await;
    s.end().await;
}

/// The container's state through the API.
fn state_of(s: &Session, id: &str) -> Option<String> {
    s.api("GET", &format!("/api/qovery/container/{id}/status"), None)
        .json()["state"]
        .as_str()
        .map(String::from)
}

/// The execution ids of the container's deployments through the API, newest first.
fn executions(s: &Session, id: &str) -> Vec<String> {
    s.api(
        "GET",
        &format!("/api/qovery/container/{id}/deploymentHistoryV2"),
        None,
    )
    .json()["results"]
        .as_array()
        .map(|r| {
            r.iter()
                .filter_map(|h| h["identifier"]["execution_id"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_link_with_log_latest_opens_the_newest_deployments_log_and_an_id_its_own() {
    let s = Session::start().await;
    let c = &s.console;
    let (_, env) = s.demo_env();
    let id = s
        .container_named(&env, "whoami")
        .and_then(|c| c["id"].as_str().map(String::from))
        .unwrap_or_else(|| panic!("the demo has whoami"));
    // Two deployments through the API: a good one, then a failing one.
    for (tag, end) in [("v1.11", "DEPLOYED"), ("v-fail", "DEPLOYMENT_ERROR")] {
        let body = serde_json::json!({ "image_tag": tag });
        s.api(
            "POST",
            &format!("/api/qovery/container/{id}/deploy"),
            Some(&body),
        )
        .expect(202);
        crate::poll_until(&format!("{tag} ends {end}"), LONG, || {
            (state_of(&s, &id).as_deref() == Some(end)).then_some(())
        })
        .await;
    }
    let execs = executions(&s, &id);
    assert_eq!(execs.len(), 2, "two deployments: {execs:?}");
    let (newest, older) = (&execs[0], &execs[1]);

    // `latest`: the newest deployment's log opens by itself, with why it failed.
    c.open(&format!("/q/sandbox/containers/{id}?log=latest"))
        .await;
    c.wait_for(&format!("{LOG}[data-execution='{newest}']"))
        .await;
    c.wait_for_text(&format!("{LOG} [data-reason]"), "v-fail")
        .await;
    // An execution id: that deployment's log, and no other.
    c.open(&format!("/q/sandbox/containers/{id}?log={older}"))
        .await;
    c.wait_for(&format!("{LOG}[data-execution='{older}']"))
        .await;
    assert_eq!(
        c.eval(&format!("return document.querySelectorAll('{LOG}').length"))
            .await,
        serde_json::json!(1)
    );
    s.end().await;
}
