//! `GET /environment/{id}/statusesWithStages`: one stage per environment whose status follows
//! its latest deployment (QUEUED → ONGOING → DONE, ERROR for a failed pull), each container's
//! current Status with its step metrics, the same auth and 404 as its neighbours.

mod common;

use std::time::Duration;

use common::{demo_container, eventually, Server};
use serde_json::{json, Value};

fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

fn stages(s: &Server, env: &str) -> Value {
    s.q(
        "GET",
        &format!("/environment/{env}/statusesWithStages"),
        None,
    )
    .expect(200)
    .json()
}

fn stage_status(v: &Value) -> String {
    v["stages"][0]["stage"]["status"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn container<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["stages"][0]["containers"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("{id} is in the stage: {v}"))
}

/// Whether `v`'s step metrics hold the step `name` in `status`.
fn has_step(v: &Value, name: &str, status: &str) -> bool {
    v["steps"]["details"]
        .as_array()
        .expect("step metrics")
        .iter()
        .any(|d| d["step_name"] == name && d["status"] == status)
}

/// Polls the stage until the deployment of `id` ends; the stage statuses seen on the way, each
/// once, in order.
fn follow(s: &Server, env: &str, id: &str) -> (Vec<String>, Value) {
    let mut seen: Vec<String> = Vec::new();
    let last = eventually(Duration::from_secs(15), || {
        let v = stages(s, env);
        let st = stage_status(&v);
        if seen.last() != Some(&st) {
            seen.push(st);
        }
        let state = container(&v, id)["state"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        (state == "DEPLOYED" || state == "DEPLOYMENT_ERROR").then_some(v)
    });
    (seen, last)
}

#[test]
fn one_stage_holds_every_container_with_its_status() {
    let s = Server::start(&["--demo"]);
    let (_, env) = s.demo_org_and_env();
    let v = stages(&s, &env);
    let list = s
        .q("GET", &format!("/environment/{env}/statuses"), None)
        .expect(200)
        .json();
    assert_eq!(v["environment"], list["environment"]);
    assert_eq!(v["stages"].as_array().map(Vec::len), Some(1), "{v}");
    let stage = &v["stages"][0];
    assert_eq!(stage["containers"], list["containers"], "the same statuses");
    assert_eq!(stage["stage"]["name"], "DEFAULT");
    let id = stage["stage"]["id"].as_str().expect("id").to_string();
    assert_eq!(id.len(), 36);
    assert_eq!(
        stages(&s, &env)["stages"][0]["stage"]["id"],
        id.as_str(),
        "stable"
    );
    // The demo's seeded deployment left its worker in DEPLOYMENT_ERROR.
    assert_eq!(stage_status(&v), "ERROR", "{v}");
    // Another environment has its own stage.
    let (org, _) = s.demo_org_and_env();
    let project = s
        .q("GET", &format!("/organization/{org}/project"), None)
        .json()["results"][0]["id"]
        .as_str()
        .expect("project")
        .to_string();
    let envs = s
        .q("GET", &format!("/project/{project}/environment"), None)
        .json();
    let other = envs["results"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["id"].as_str())
        .find(|e| *e != env)
        .expect("a second demo environment")
        .to_string();
    assert_ne!(stages(&s, &other)["stages"][0]["stage"]["id"], id.as_str());
    // Like its neighbours: 404 for an unknown environment, 401 without a token.
    s.q("GET", "/environment/nope/statusesWithStages", None)
        .expect(404);
    s.call(
        "GET",
        &format!("/api/qovery/environment/{env}/statusesWithStages"),
        None,
        &[],
    )
    .expect(401);
}

#[test]
fn a_deploy_takes_the_stage_through_ongoing_to_done() {
    let s = Server::start(&["--demo", "--provision-ms", "2400"]);
    let (_, env) = s.demo_org_and_env();
    let whoami = demo_container(&s, &env, "whoami");
    let started = s
        .q("POST", &format!("/container/{whoami}/deploy"), None)
        .expect(202)
        .json();
    let execution = started["execution_id"]
        .as_str()
        .expect("execution")
        .to_string();
    // Queued first: nothing measured yet, not even the last deployment's steps.
    let v = stages(&s, &env);
    let c = container(&v, &whoami);
    assert_eq!(c["execution_id"], execution.as_str());
    assert_eq!(c["steps"]["details"], json!([]), "{c}");
    let (seen, last) = follow(&s, &env, &whoami);
    assert!(
        seen.iter().any(|st| st == "ONGOING"),
        "the stage was ongoing while it deployed: {seen:?}"
    );
    assert_eq!(seen.last().map(String::as_str), Some("DONE"), "{seen:?}");
    let pos = |x: &str| seen.iter().position(|st| st == x);
    assert!(pos("ONGOING") < pos("DONE"), "{seen:?}");
    // The end: every step measured, the stage's total.
    let c = container(&last, &whoami);
    let steps: Vec<(String, String)> = c["steps"]["details"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|d| {
            (
                d["step_name"].as_str().unwrap_or_default().to_string(),
                d["status"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let ok = |n: &str| (n.to_string(), "SUCCESS".to_string());
    assert_eq!(
        steps,
        vec![
            ok("DEPLOYMENT_QUEUEING"),
            ok("MIRROR_IMAGE"),
            ok("DEPLOYMENT")
        ]
    );
    let stage = &last["stages"][0]["stage"];
    assert!(has_step(stage, "TOTAL", "SUCCESS"), "{stage}");
    assert!(stage["steps"]["total_duration_sec"].is_i64(), "{stage}");
    assert_eq!(last["pre_check_stage"]["status"], "SUCCESS");
    // The deployment log's lines name that stage.
    let lines = s
        .q(
            "GET",
            &format!("/environment/{env}/logs?version={execution}"),
            None,
        )
        .expect(200)
        .json();
    let first = &lines[0]["details"]["stage"];
    assert_eq!(first["name"], "DEFAULT");
    assert_eq!(first["id"], stage["id"]);
}

#[test]
fn a_failing_image_makes_its_stage_fail_and_a_later_deploy_is_done() {
    let s = Server::start(&["--demo", "--provision-ms", "900"]);
    let (_, env) = s.demo_org_and_env();
    let whoami = demo_container(&s, &env, "whoami");
    s.q(
        "POST",
        &format!("/container/{whoami}/deploy"),
        Some(&json!({"image_tag": "fail"})),
    )
    .expect(202);
    // The second it started in (operations are dated to the second).
    let started = now_secs();
    let (seen, last) = follow(&s, &env, &whoami);
    assert_eq!(seen.last().map(String::as_str), Some("ERROR"), "{seen:?}");
    let c = container(&last, &whoami);
    assert_eq!(c["state"], "DEPLOYMENT_ERROR");
    assert!(has_step(c, "MIRROR_IMAGE", "ERROR"), "{c}");
    let stage = &last["stages"][0]["stage"];
    assert!(has_step(stage, "TOTAL", "ERROR"), "{stage}");
    // The stage follows its latest deployment: one that succeeds later is DONE, though whoami
    // still shows its failure. Started in a later second, so it is the latest.
    eventually(Duration::from_secs(3), || {
        (now_secs() > started).then_some(())
    });
    let web = demo_container(&s, &env, "web");
    s.q("POST", &format!("/container/{web}/redeploy"), None)
        .expect(202);
    let (seen, last) = follow(&s, &env, &web);
    assert_eq!(seen.last().map(String::as_str), Some("DONE"), "{seen:?}");
    assert_eq!(container(&last, &whoami)["state"], "DEPLOYMENT_ERROR");
}
