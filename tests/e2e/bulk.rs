//! Bulk actions: several Qovery containers restarted in one call and each followed to its end;
//! several Kopernik apps deleted with one confirmation; the bar passes axe.

use std::time::Duration;

use crate::Session;
use berth_harness::Sandbox;
use serde_json::json;

/// Creates a container named `name` in the demo environment and deploys it; its id.
fn deployed_container(s: &Session, path: &str, env: &str, name: &str) -> String {
    let id = created_container(s, path, env, name, "1.27");
    s.api("POST", &format!("/api/qovery/container/{id}/deploy"), None)
        .expect(202);
    id
}

/// Creates a container named `name` with image `nginx:{tag}` in the demo environment; its id.
fn created_container(s: &Session, path: &str, env: &str, name: &str, tag: &str) -> String {
    let org = path.split('/').nth(3).unwrap_or_default();
    let regs = s
        .api(
            "GET",
            &format!("/api/qovery/organization/{org}/containerRegistry"),
            None,
        )
        .json();
    let reg = regs["results"][0]["id"].as_str().expect("registry");
    let made = s
        .api(
            "POST",
            &format!("/api/qovery/environment/{env}/container"),
            Some(&json!({"name": name, "registry_id": reg, "image_name": "nginx", "tag": tag, "healthchecks": {}})),
        )
        .expect(201)
        .json();
    made["id"].as_str().expect("id").to_string()
}

fn state(s: &Session, id: &str) -> String {
    s.api("GET", &format!("/api/qovery/container/{id}/status"), None)
        .json()["state"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// Waits (polling the API) until every container of `ids` is in one of `states`.
async fn wait_states(s: &Session, ids: &[String], states: &[&str], limit: Duration) {
    let start = std::time::Instant::now();
    loop {
        let now: Vec<String> = ids.iter().map(|id| state(s, id)).collect();
        if now.iter().all(|x| states.contains(&x.as_str())) {
            return;
        }
        assert!(
            start.elapsed() < limit,
            "states {now:?}, expected one of {states:?}"
        );
        crate::poll_gap().await;
    }
}

/// Sets up three deployed containers and opens the list searched down to them.
async fn three_deployed(s: &Session) -> Vec<String> {
    let (path, env) = s.demo_env();
    let ids: Vec<String> = ["bulk-a", "bulk-b", "bulk-c"]
        .iter()
        .map(|n| deployed_container(s, &path, &env, n))
        .collect();
    wait_states(s, &ids, &["DEPLOYED"], Duration::from_secs(30)).await;
    let c = &s.console;
    c.open(&format!("{path}?q=bulk-")).await;
    c.wait_for("input[aria-label='Select bulk-c']").await;
    ids
}

/// Clicks the checkbox labelled `label`, with shift held if `shift`.
async fn tick(s: &Session, label: &str, shift: bool) {
    s.console
        .eval(&format!(
            "document.querySelector(\"input[aria-label='{label}']\").dispatchEvent(new MouseEvent('click', {{ bubbles: true, cancelable: true, shiftKey: {shift} }})); return null"
        ))
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn three_containers_restart_in_one_call_and_each_is_followed_to_its_end() {
    let s = Session::with(Sandbox::start(&["--provision-ms", "1500"]).await, "").await;
    let ids = three_deployed(&s).await;
    let c = &s.console;
    // One click and a shift-click select the range between them.
    tick(&s, "Select bulk-a", false).await;
    tick(&s, "Select bulk-c", true).await;
    c.wait_for_text(".berth-bulk-count", "3 selected").await;
    let checked = c
        .eval("return [...document.querySelectorAll('tbody input[type=checkbox]')].filter((e) => e.checked).length")
        .await;
    assert_eq!(checked, 3, "the range bulk-a..bulk-c is selected");

    c.click(".berth-bulk-bar button[data-bulk=restart]").await;
    let dialog = c
        .wait_for_text("[role=dialog]", "Restart 3 container(s)?")
        .await;
    for n in ["bulk-a", "bulk-b", "bulk-c"] {
        assert!(dialog.contains(n), "{n} not listed in: {dialog}");
    }
    c.click("[role=dialog] button[data-action=confirm]").await;
    c.wait_until(
        "dialog closed",
        "document.querySelector('[role=dialog]') === null",
    )
    .await;

    // One call restarted every container: each has a RESTART in its history.
    assert_eq!(bulk_calls(&s, "restart-service").await, 1, "one call");
    for id in &ids {
        let h = s
            .api(
                "GET",
                &format!("/api/qovery/container/{id}/deploymentHistoryV2"),
                None,
            )
            .json();
        assert_eq!(
            h["results"][0]["status_details"]["action"], "RESTART",
            "{id}: {h}"
        );
    }
    // Each row shows the restart being followed, then its end.
    let tracked = |id: &str| {
        format!("document.querySelector(\"tr[data-id='{id}'] .berth-tracked\") !== null")
    };
    let all_tracked = ids
        .iter()
        .map(|id| tracked(id))
        .collect::<Vec<_>>()
        .join(" && ");
    c.wait_until("every row followed", &all_tracked).await;
    let none_tracked = format!(
        "document.querySelectorAll('tr[data-id] .berth-tracked').length === 0 && {}",
        ids.iter()
            .map(|id| format!("['RESTARTED', 'DEPLOYED'].includes(document.querySelector(\"tr[data-id='{id}']\")?.dataset.state)"))
            .collect::<Vec<_>>()
            .join(" && ")
    );
    c.wait_until("every restart ended on its row", &none_tracked)
        .await;
    for n in ["bulk-a", "bulk-b", "bulk-c"] {
        c.wait_for_text(".berth-toasts", &format!("Restart {n}: done"))
            .await;
    }
    wait_states(
        &s,
        &ids,
        &["RESTARTED", "DEPLOYED"],
        Duration::from_secs(10),
    )
    .await;
    // The selection went with the batch.
    assert_eq!(
        c.eval("return document.querySelector('.berth-bulk-bar') === null")
            .await,
        true
    );
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_batch_blocked_by_a_row_says_which_and_asks_nothing() {
    let s = Session::start().await;
    let (path, _) = s.demo_env();
    let c = &s.console;
    c.open(&path).await;
    c.wait_for("input[aria-label='Select web']").await;
    // Select every row shown: `whoami` (never deployed) cannot be stopped.
    c.click("input[aria-label='Select all shown containers']")
        .await;
    c.click(".berth-bulk-bar button[data-bulk=restart]").await;
    let blocked = c
        .wait_for_text("[data-bulk-blocked]", "Cannot restart")
        .await;
    assert!(blocked.contains("whoami (never deployed)"), "{blocked}");
    assert!(!blocked.contains("web ("), "web can restart: {blocked}");
    assert_eq!(
        c.eval("return document.querySelector('[role=dialog]') === null")
            .await,
        true,
        "nothing is asked while a row blocks it"
    );
    s.end().await;
}

fn newest_action(s: &Session, id: &str) -> serde_json::Value {
    s.api(
        "GET",
        &format!("/api/qovery/container/{id}/deploymentHistoryV2"),
        None,
    )
    .json()["results"][0]["status_details"]["action"]
        .clone()
}

/// The deployments in a container's history.
fn deployments(s: &Session, id: &str) -> usize {
    s.api(
        "GET",
        &format!("/api/qovery/container/{id}/deploymentHistoryV2"),
        None,
    )
    .json()["results"]
        .as_array()
        .map_or(0, Vec::len)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_batch_shows_its_status_and_message_and_keeps_the_selection() {
    let s = Session::with_request_timeout(&["--faults"], Duration::from_secs(3)).await;
    let (path, env) = s.demo_env();
    let web = s
        .container_named(&env, "web")
        .and_then(|x| x["id"].as_str().map(String::from))
        .expect("web");
    let c = &s.console;
    c.open(&path).await;
    c.click("input[aria-label='Select web']").await;
    c.wait_for_text(".berth-bulk-count", "1 selected").await;
    for (fault, says) in [
        ("500", "HTTP 500"),
        ("401", "HTTP 401"),
        ("429", "HTTP 429"),
    ] {
        c.click(".berth-bulk-bar button[data-bulk=restart]").await;
        c.wait_for("[role=dialog] button[data-action=confirm]")
            .await;
        s.inject_fault_on(fault, "/service/").await;
        c.click("[role=dialog] button[data-action=confirm]").await;
        let said = c
            .wait_for_text("[role=dialog] .berth-field-error", says)
            .await;
        assert!(
            said.contains("Could not restart 1 container(s)"),
            "{fault}: {said}"
        );
        s.inject_fault("").await;
        c.click("[role=dialog] button[data-action=cancel]").await;
        // Once the dialog is gone the error stays above the table, and so does the selection.
        c.wait_for_text("[data-bulk-error]", says).await;
        assert_eq!(c.text(".berth-bulk-count").await, "1 selected", "{fault}");
        assert_eq!(
            c.eval("return document.querySelector(\"input[aria-label='Select web']\").checked")
                .await,
            true,
            "{fault}"
        );
        assert_ne!(
            newest_action(&s, &web),
            "RESTART",
            "{fault}: nothing was restarted"
        );
    }
    // No answer within the timeout: it may have gone through, so it is checked, not resent; the
    // sandbox's `timeout` never does it, and the check says so.
    c.click(".berth-bulk-bar button[data-bulk=restart]").await;
    c.wait_for("[role=dialog] button[data-action=confirm]")
        .await;
    s.inject_fault_on("timeout", "/service/").await;
    let before = c
        .eval("return window.__faulted")
        .await
        .as_u64()
        .unwrap_or(0);
    c.click("[role=dialog] button[data-action=confirm]").await;
    c.wait_for_text(".berth-toasts", "nothing was done, you can try again")
        .await;
    assert_eq!(
        c.eval("return window.__faulted").await.as_u64(),
        Some(before + 1),
        "sent once, never again"
    );
    assert_ne!(newest_action(&s, &web), "RESTART");
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_partly_failed_bulk_deploy_shows_each_failure_and_try_again_sends_only_it() {
    let s = Session::with(Sandbox::start(&["--provision-ms", "1500"]).await, "").await;
    let (path, env) = s.demo_env();
    // Never deployed; bulk-b's tag is one its registry does not have: its deploy will fail.
    let ids: Vec<String> = [("bulk-a", "1.27"), ("bulk-b", "v-fail"), ("bulk-c", "1.27")]
        .iter()
        .map(|(n, tag)| created_container(&s, &path, &env, n, tag))
        .collect();
    let c = &s.console;
    c.open(&format!("{path}?q=bulk-")).await;
    c.wait_for("input[aria-label='Select bulk-c']").await;
    let body = |tag: &str| {
        let org = path.split('/').nth(3).unwrap_or_default();
        let regs = s
            .api(
                "GET",
                &format!("/api/qovery/organization/{org}/containerRegistry"),
                None,
            )
            .json();
        json!({"name": "bulk-b", "registry_id": regs["results"][0]["id"], "image_name": "nginx", "tag": tag, "healthchecks": {}})
    };
    let before: Vec<usize> = ids.iter().map(|id| deployments(&s, id)).collect();
    c.click("input[aria-label='Select all shown containers']")
        .await;
    c.wait_for_text(".berth-bulk-count", "3 selected").await;
    c.click(".berth-bulk-bar button[data-bulk=deploy]").await;
    c.wait_for_text("[role=dialog]", "Deploy 3 container(s)?")
        .await;
    c.click("[role=dialog] button[data-action=confirm]").await;
    // Each container's end is reported on its own: two done, one failed with its reason.
    c.wait_for_text(".berth-toasts", "Deploy bulk-b failed")
        .await;
    c.wait_for_text(".berth-toasts", "image pull failed").await;
    for n in ["bulk-a", "bulk-c"] {
        c.wait_for_text(".berth-toasts", &format!("Deploy {n}: done"))
            .await;
    }
    let after: Vec<usize> = ids.iter().map(|id| deployments(&s, id)).collect();
    assert_eq!(
        after,
        before.iter().map(|n| n + 1).collect::<Vec<_>>(),
        "one deployment each: {env}"
    );
    // Fixed, then tried again from Actions: only the failed one is sent.
    s.api(
        "PUT",
        &format!("/api/qovery/container/{}", ids[1]),
        Some(&body("1.27")),
    )
    .expect(200);
    c.nav("Actions").await;
    let failed_row = "tr[data-running=false]:has(button.berth-btn-small)";
    let row = c.wait_for_text(failed_row, "bulk-b").await;
    assert!(row.contains("image pull failed"), "{row}");
    assert_eq!(
        c.eval("return document.querySelectorAll('table[aria-label=Actions] button.berth-btn-small').length")
            .await,
        1,
        "only the failed one can be tried again"
    );
    c.click(&format!("{failed_row} button.berth-btn-small"))
        .await;
    c.wait_for_text(".berth-toasts", "Deploy bulk-b: done")
        .await;
    let last: Vec<usize> = ids.iter().map(|id| deployments(&s, id)).collect();
    assert_eq!(
        last,
        vec![after[0], after[1] + 1, after[2]],
        "only bulk-b deployed again"
    );
    assert_eq!(state(&s, &ids[1]), "DEPLOYED");
    // The old failure is history now: nothing left to try again.
    c.wait_until(
        "no Try again left",
        "document.querySelectorAll('table[aria-label=Actions] button.berth-btn-small').length === 0",
    )
    .await;
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_bar_and_its_dialog_pass_axe() {
    let s = Session::with(Sandbox::start(&["--provision-ms", "300"]).await, "").await;
    let _ = three_deployed(&s).await;
    let c = &s.console;
    tick(&s, "Select bulk-a", false).await;
    tick(&s, "Select bulk-b", false).await;
    c.wait_for_text(".berth-bulk-count", "2 selected").await;
    let mut all = Vec::new();
    crate::a11y::check(c, "containers with the bulk bar", &mut all).await;
    c.click(".berth-bulk-bar button[data-bulk=delete]").await;
    c.wait_for("[role=dialog] #berth-confirm-input").await;
    crate::a11y::check(c, "bulk delete dialog", &mut all).await;
    assert!(all.is_empty(), "{all:#?}");
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn kopernik_apps_are_deleted_together_with_one_confirmation() {
    let s = Session::with(Sandbox::start(&["--provision-ms", "300"]).await, "").await;
    let mut uids = Vec::new();
    for name in ["gone-1", "gone-2"] {
        let created = s
            .api(
                "POST",
                "/api/kopernik/v0/resource/containerapp/aws?waitTime=5",
                Some(&json!({"machineConfiguration": {"name": name, "regionUid": "us-east-1", "machineTypeUid": "t3.micro", "dataDisks": [{"sizeGb": 5}]},
                             "containerImage": {"id": "nginx:1.27"}})),
            )
            .expect(200)
            .json();
        uids.push(
            created["action"]["resourceUid"]
                .as_str()
                .expect("uid")
                .to_string(),
        );
    }
    assert_eq!(volumes_of(&s, &uids), 2, "each app has its volume");
    let c = &s.console;
    c.open("/k/sandbox/aws?q=gone-").await;
    c.wait_for("input[aria-label='Select gone-2']").await;
    c.click("input[aria-label='Select all shown container apps']")
        .await;
    c.wait_for_text(".berth-bulk-count", "2 selected").await;
    c.click(".berth-bulk-bar button[data-bulk=delete]").await;
    let dialog = c
        .wait_for_text("[role=dialog]", "Delete 2 container app(s)?")
        .await;
    assert!(
        dialog.contains("gone-1") && dialog.contains("gone-2"),
        "{dialog}"
    );
    assert_eq!(
        c.eval("return document.querySelector('input[value=retain]').checked")
            .await,
        true,
        "retain by default"
    );
    let mut all = Vec::new();
    crate::a11y::check(c, "Kopernik bulk delete dialog", &mut all).await;
    assert!(all.is_empty(), "{all:#?}");
    c.click("input[value=delete]").await;
    c.fill("#berth-confirm-input", "2").await;
    c.click("[role=dialog] button.berth-btn-danger").await;
    c.wait_until(
        "dialog closed",
        "document.querySelector('[role=dialog]') === null",
    )
    .await;
    let gone = uids
        .iter()
        .map(|u| format!("document.querySelector(\"tr[data-uid='{u}']\") === null"))
        .collect::<Vec<_>>()
        .join(" && ");
    c.wait_until("both rows gone", &gone).await;
    for u in &uids {
        let start = std::time::Instant::now();
        loop {
            let a = s.api(
                "GET",
                &format!("/api/kopernik/v0/resource/containerapp/aws/{u}"),
                None,
            );
            if a.status == 404 {
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "{u} still there: {}",
                a.status
            );
            crate::poll_gap().await;
        }
    }
    for n in ["gone-1", "gone-2"] {
        c.wait_for_text(".berth-toasts", n).await;
    }
    // The policy asked once reached every request: no volume of either app is left.
    assert_eq!(volumes_of(&s, &uids), 0, "volumes left");
    s.end().await;
}

/// How many volumes of the apps `uids` the provider lists.
fn volumes_of(s: &Session, uids: &[String]) -> usize {
    let volumes = s
        .api(
            "GET",
            "/api/kopernik/v0/resource/blockstorage/aws?maxResults=1000",
            None,
        )
        .json();
    volumes["resources"].as_array().map_or(0, |v| {
        v.iter()
            .filter(|x| {
                x["uid"]
                    .as_str()
                    .is_some_and(|u| uids.iter().any(|a| u.contains(a.as_str())))
            })
            .count()
    })
}

/// How many requests the page sent to the environment's bulk endpoint `verb`.
async fn bulk_calls(s: &Session, verb: &str) -> serde_json::Value {
    s.console
        .eval(&format!(
            "return performance.getEntriesByType('resource').filter(e => new URL(e.name).pathname.endsWith('/service/{verb}')).length"
        ))
        .await
}

#[tokio::test(flavor = "multi_thread")]
async fn three_containers_deploy_then_stop_in_one_call_each_and_each_is_followed() {
    let s = Session::with(Sandbox::start(&["--provision-ms", "1500"]).await, "").await;
    let (path, env) = s.demo_env();
    let ids: Vec<String> = ["bulk-a", "bulk-b", "bulk-c"]
        .iter()
        .map(|n| created_container(&s, &path, &env, n, "1.27"))
        .collect();
    let c = &s.console;
    c.open(&format!("{path}?q=bulk-")).await;
    c.wait_for("input[aria-label='Select bulk-c']").await;
    for (key, endpoint, label, end) in [
        ("deploy", "deploy", "Deploy", "DEPLOYED"),
        ("stop", "stop", "Stop", "STOPPED"),
    ] {
        assert_eq!(bulk_calls(&s, endpoint).await, 0, "{key}: nothing sent yet");
        c.click("input[aria-label='Select all shown containers']")
            .await;
        c.wait_for_text(".berth-bulk-count", "3 selected").await;
        c.click(&format!(".berth-bulk-bar button[data-bulk={key}]"))
            .await;
        c.wait_for_text("[role=dialog]", &format!("{label} 3 container(s)?"))
            .await;
        c.click("[role=dialog] button[data-action=confirm]").await;
        for n in ["bulk-a", "bulk-b", "bulk-c"] {
            c.wait_for_text(".berth-toasts", &format!("{label} {n}: done"))
                .await;
        }
        wait_states(&s, &ids, &[end], Duration::from_secs(20)).await;
        // Every toast is in, so every request the batch made is over: one call for the three.
        assert_eq!(bulk_calls(&s, endpoint).await, 1, "{key}: one call");
        for id in &ids {
            assert_eq!(state(&s, id), end);
        }
    }
    s.end().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_container_is_stopped_from_its_page_and_followed_to_its_end() {
    let s = Session::with(Sandbox::start(&["--provision-ms", "1500"]).await, "").await;
    let id = s.demo_container("web");
    assert_eq!(state(&s, &id), "DEPLOYED", "the demo's web runs");
    let c = &s.console;
    c.open(&format!("/q/sandbox/containers/{id}")).await;
    c.wait_for_text("main h1", "web").await;
    c.click(".berth-toolbar button[data-action=stop]").await;
    c.wait_for_text(".berth-toasts", "Stop web: done").await;
    assert_eq!(state(&s, &id), "STOPPED");
    let h = s
        .api(
            "GET",
            &format!("/api/qovery/container/{id}/deploymentHistoryV2"),
            None,
        )
        .json();
    assert_eq!(h["results"][0]["status_details"]["action"], "STOP", "{h}");
    // The page follows: its chip says Stopped, and Deploy is offered again.
    c.wait_for_text(".berth-page-head", "Stopped").await;
    c.wait_until(
        "Deploy is enabled once stopped",
        "document.querySelector('.berth-toolbar button[data-action=deploy]')?.disabled === false",
    )
    .await;
    s.end().await;
}
