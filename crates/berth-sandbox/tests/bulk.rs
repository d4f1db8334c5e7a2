//! Several containers at once: `/environment/{id}/service/deploy`, `restart-service`, `stop`,
//! `delete` (#20). Each container moves as if acted on alone; one refusal starts nothing.

mod common;

use std::time::Duration;

use common::{demo_container, eventually, Server};
use serde_json::{json, Value};

fn state(s: &Server, id: &str) -> String {
    s.q("GET", &format!("/container/{id}/status"), None)
        .expect(200)
        .json()["state"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn history_len(s: &Server, id: &str) -> usize {
    s.q("GET", &format!("/container/{id}/deploymentHistoryV2"), None)
        .expect(200)
        .json()["results"]
        .as_array()
        .map_or(0, Vec::len)
}

#[test]
fn bulk_deploy_then_restart_of_three_containers_then_stop_and_delete() {
    let s = Server::start(&["--demo", "--provision-ms", "500"]);
    let (_, env) = s.demo_org_and_env();
    let ids: Vec<String> = ["web", "cache", "whoami"]
        .iter()
        .map(|n| demo_container(&s, &env, n))
        .collect();
    // Deploy all three, one with another tag.
    let body = json!({"containers": [
        {"id": ids[0]}, {"id": ids[1], "image_tag": "7.2"}, {"id": ids[2]}]});
    let answer = s
        .q(
            "POST",
            &format!("/environment/{env}/service/deploy"),
            Some(&body),
        )
        .expect(202)
        .json();
    assert_eq!(answer["id"], env.as_str());
    for id in &ids {
        assert_eq!(state(&s, id), "DEPLOYMENT_QUEUED");
    }
    assert_eq!(
        s.q("GET", &format!("/container/{}", ids[1]), None).json()["tag"],
        "7.2"
    );
    eventually(Duration::from_secs(5), || {
        ids.iter()
            .all(|id| state(&s, id) == "DEPLOYED")
            .then_some(())
    });

    // Restart the three.
    let before: Vec<usize> = ids.iter().map(|id| history_len(&s, id)).collect();
    let restart = json!({"container_ids": ids});
    let answer = s
        .q(
            "POST",
            &format!("/environment/{env}/service/restart-service"),
            Some(&restart),
        )
        .expect(202)
        .json();
    assert_eq!(answer["state"], "RESTART_QUEUED");
    for id in &ids {
        assert_eq!(state(&s, id), "RESTART_QUEUED");
    }
    // Meanwhile another operation on any of them is refused, and a bulk one starts nothing.
    s.q("POST", &format!("/container/{}/stop", ids[0]), None)
        .expect(409);
    let err = s
        .q(
            "POST",
            &format!("/environment/{env}/service/restart-service"),
            Some(&restart),
        )
        .expect(409)
        .json();
    assert!(
        err["detail"]
            .as_str()
            .expect("detail")
            .starts_with("container_ids[0]:"),
        "{err}"
    );
    eventually(Duration::from_secs(5), || {
        ids.iter()
            .all(|id| state(&s, id) == "RESTARTED")
            .then_some(())
    });
    for (id, n) in ids.iter().zip(before) {
        assert_eq!(history_len(&s, id), n + 1, "one history entry each");
        let h = s
            .q("GET", &format!("/container/{id}/deploymentHistoryV2"), None)
            .json();
        assert_eq!(h["results"][0]["status_details"]["action"], "RESTART");
    }

    // Stop two: 200 with no body; the third keeps running.
    let stop = json!({"container_ids": [ids[0], ids[1]]});
    let a = s
        .q(
            "POST",
            &format!("/environment/{env}/service/stop"),
            Some(&stop),
        )
        .expect(200);
    assert!(a.text.is_empty());
    eventually(Duration::from_secs(5), || {
        (state(&s, &ids[0]) == "STOPPED" && state(&s, &ids[1]) == "STOPPED").then_some(())
    });
    assert_eq!(state(&s, &ids[2]), "RESTARTED");
    // Restarting a stopped one refuses the whole request: the running one does not restart.
    let mixed = json!({"container_ids": [ids[2], ids[0]]});
    let err = s
        .q(
            "POST",
            &format!("/environment/{env}/service/restart-service"),
            Some(&mixed),
        )
        .expect(409)
        .json();
    assert!(
        err["detail"]
            .as_str()
            .expect("detail")
            .starts_with("container_ids[1]:"),
        "{err}"
    );
    assert_eq!(state(&s, &ids[2]), "RESTARTED");

    // Delete two: gone, with their variables.
    s.q(
        "POST",
        &format!("/container/{}/environmentVariable", ids[0]),
        Some(&json!({"key": "GONE", "value": "1"})),
    )
    .expect(201);
    let del = json!({"container_ids": [ids[0], ids[1]]});
    s.q(
        "POST",
        &format!("/environment/{env}/service/delete?skipReconcile=false"),
        Some(&del),
    )
    .expect(200);
    for id in &ids[..2] {
        s.q("GET", &format!("/container/{id}"), None).expect(404);
    }
    s.q("GET", &format!("/container/{}", ids[2]), None)
        .expect(200);
}

#[test]
fn bulk_requests_name_what_is_wrong() {
    let s = Server::start(&["--demo"]);
    let (org, env) = s.demo_org_and_env();
    let web = demo_container(&s, &env, "web");
    let call = |path: &str, body: Value, code: u16| -> String {
        s.q(
            "POST",
            &format!("/environment/{env}/service/{path}"),
            Some(&body),
        )
        .expect(code)
        .json()["detail"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    assert!(
        call("restart-service", json!({}), 400).starts_with("container_ids: select at least one")
    );
    assert!(call("stop", json!({"container_ids": ["nope"]}), 400)
        .starts_with("container_ids[0]: no container `nope`"));
    assert!(call("stop", json!({"container_ids": [web, web]}), 400).contains("listed twice"));
    assert!(call("delete", json!({"application_ids": ["x"]}), 400).starts_with("application_ids:"));
    assert!(call(
        "deploy",
        json!({"containers": [{"id": web, "image_tag": "a b"}]}),
        400
    )
    .starts_with("containers[0].image_tag:"));
    assert!(call("deploy", json!({"containers": "x"}), 400).starts_with("request body:"));
    // A container of another environment is not in this one.
    let orgs = s.q("GET", "/organization", None).json();
    let other_org = orgs["results"][1]["id"]
        .as_str()
        .expect("second org")
        .to_string();
    assert_ne!(other_org, org);
    let project = s
        .q("GET", &format!("/organization/{other_org}/project"), None)
        .json()["results"][0]["id"]
        .as_str()
        .expect("project")
        .to_string();
    let other_env = s
        .q("GET", &format!("/project/{project}/environment"), None)
        .json()["results"][0]["id"]
        .as_str()
        .expect("env")
        .to_string();
    let theirs = demo_container(&s, &other_env, "web");
    assert!(call("stop", json!({"container_ids": [theirs]}), 400).contains("no container"));
    s.q(
        "POST",
        "/environment/nope/service/stop",
        Some(&json!({"container_ids": [web]})),
    )
    .expect(404);
    assert_eq!(state(&s, &web), "DEPLOYED", "nothing started");
}
