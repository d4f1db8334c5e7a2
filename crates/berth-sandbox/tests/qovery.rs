//! The Qovery API over real loopback TCP: every endpoint and error path of contract.md §1.

mod common;

use std::time::Duration;

use common::{eventually, Server};
use serde_json::{json, Value};

/// The demo's first organization, its first project's first environment, and its Docker Hub registry.
fn demo_ids(s: &Server) -> (String, String, String) {
    let orgs = s.q("GET", "/organization", None).expect(200).json();
    let acme = orgs["results"]
        .as_array()
        .expect("list")
        .iter()
        .find(|o| o["name"] == "Acme Corp")
        .expect("Acme")
        .clone();
    let org = acme["id"].as_str().expect("id").to_string();
    let projects = s
        .q("GET", &format!("/organization/{org}/project"), None)
        .expect(200)
        .json();
    let project = projects["results"][0]["id"]
        .as_str()
        .expect("project")
        .to_string();
    let envs = s
        .q("GET", &format!("/project/{project}/environment"), None)
        .expect(200)
        .json();
    let env = envs["results"][0]["id"].as_str().expect("env").to_string();
    let regs = s
        .q(
            "GET",
            &format!("/organization/{org}/containerRegistry"),
            None,
        )
        .expect(200)
        .json();
    let hub = regs["results"]
        .as_array()
        .expect("list")
        .iter()
        .find(|r| r["kind"] == "DOCKER_HUB")
        .expect("hub");
    (org, env, hub["id"].as_str().expect("id").to_string())
}

fn body(name: &str, registry: &str) -> Value {
    json!({
        "name": name, "registry_id": registry, "image_name": "nginx", "tag": "1.27",
        "cpu": 250, "memory": 256,
        "ports": [{"internal_port": 80, "external_port": 443, "publicly_accessible": true, "protocol": "HTTP", "is_default": true},
                  {"internal_port": 9090, "publicly_accessible": false, "protocol": "TCP"}],
        "healthchecks": {"readiness_probe": {"type": {"tcp": {"port": 80}}, "initial_delay_seconds": 30}}
    })
}

#[test]
fn auth_is_required_in_the_api_error_shape() {
    let s = Server::start(&["--demo"]);
    let none = s
        .call("GET", "/api/qovery/organization", None, &[])
        .expect(401)
        .json();
    assert_eq!(none["status"], 401);
    assert!(none["detail"]
        .as_str()
        .expect("detail")
        .contains("Authorization"));
    s.call(
        "GET",
        "/api/qovery/organization",
        None,
        &[("Authorization", "Token nope")],
    )
    .expect(401);
    s.call(
        "GET",
        "/api/qovery/organization",
        None,
        &[("Authorization", "Bearer sandbox")],
    )
    .expect(200);
    let other = Server::start(&["--demo", "--token", "t0k"]);
    other
        .call(
            "GET",
            "/api/qovery/organization",
            None,
            &[("Authorization", "Token sandbox")],
        )
        .expect(401);
    other
        .call(
            "GET",
            "/api/qovery/organization",
            None,
            &[("Authorization", "Token t0k")],
        )
        .expect(200);
}

#[test]
fn reads_walk_organization_to_containers() {
    let s = Server::start(&["--demo"]);
    let (org, env, hub) = demo_ids(&s);
    assert_eq!(
        s.q("GET", "/organization", None).json()["results"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    let e = s
        .q("GET", &format!("/environment/{env}"), None)
        .expect(200)
        .json();
    assert_eq!(e["maximum_cpu"], 8000);
    let list = s
        .q("GET", &format!("/environment/{env}/container"), None)
        .expect(200)
        .json();
    assert!(list["results"].as_array().expect("list").len() >= 3);
    let statuses = s
        .q("GET", &format!("/environment/{env}/statuses"), None)
        .expect(200)
        .json();
    let states: Vec<&str> = statuses["containers"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|c| c["state"].as_str())
        .collect();
    for expected in ["DEPLOYED", "STOPPED", "READY", "DEPLOYMENT_ERROR"] {
        assert!(states.contains(&expected), "{states:?}");
    }
    let search = s
        .q(
            "GET",
            &format!("/organization/{org}/containerRegistry/{hub}/images?search=ngi"),
            None,
        )
        .expect(200)
        .json();
    assert_eq!(search["results"][0]["image_name"], "nginx");
    let tags = s
        .q(
            "GET",
            &format!("/organization/{org}/containerRegistry/{hub}/images?imageName=redis"),
            None,
        )
        .expect(200)
        .json();
    assert_eq!(tags["results"].as_array().map(Vec::len), Some(1));
    assert!(tags["results"][0]["versions"]
        .as_array()
        .expect("tags")
        .contains(&json!("7.4")));
    let missing = s
        .q("GET", "/environment/nope/container", None)
        .expect(404)
        .json();
    assert!(missing["detail"].as_str().expect("detail").contains("nope"));
    let unknown = s.q("GET", "/nothing/here", None).expect(404).json();
    assert_eq!(unknown["status"], 404);
}

#[test]
fn create_validates_with_field_paths_and_conflicts_on_names() {
    let s = Server::start(&["--demo"]);
    let (_, env, hub) = demo_ids(&s);
    let path = format!("/environment/{env}/container");
    let created = s
        .q("POST", &path, Some(&body("api", &hub)))
        .expect(201)
        .json();
    assert_eq!(created["name"], "api");
    assert_eq!(created["cpu"], 250);
    assert_eq!(created["ports"][0]["protocol"], "HTTP");
    assert!(created["ports"][0]["id"].is_string());
    let id = created["id"].as_str().expect("id");
    assert_eq!(
        s.q("GET", &format!("/container/{id}/status"), None)
            .expect(200)
            .json()["state"],
        "READY"
    );

    let taken = s
        .q("POST", &path, Some(&body("API", &hub)))
        .expect(409)
        .json();
    assert!(taken["detail"]
        .as_str()
        .expect("detail")
        .contains("already taken"));

    let mut bad = body("bad", &hub);
    bad["ports"][1]["internal_port"] = json!(70000);
    bad["cpu"] = json!(9000);
    let err = s.q("POST", &path, Some(&bad)).expect(400).json();
    let detail = err["detail"].as_str().expect("detail");
    assert!(
        detail.contains("ports[1].internal_port: must be between 1 and 65535"),
        "{detail}"
    );
    assert!(detail.contains("cpu: must be at most 8000"), "{detail}");

    let mut probe = body("probe", &hub);
    probe["healthchecks"]["readiness_probe"]["type"] = json!({"tcp": {"port": 81}});
    let err = s.q("POST", &path, Some(&probe)).expect(400).json();
    assert!(err["detail"]
        .as_str()
        .expect("detail")
        .contains("healthchecks.readiness_probe.port"));

    let err = s
        .q("POST", &path, Some(&body("x", "no-such-registry")))
        .expect(400)
        .json();
    assert!(err["detail"]
        .as_str()
        .expect("detail")
        .starts_with("registry_id"));
    let err = s
        .raw(
            "POST",
            &format!("/api/qovery{path}"),
            Some("{\"name\": "),
            &[("Authorization", "Token sandbox")],
        )
        .expect("answer")
        .expect(400)
        .json();
    assert!(err["detail"]
        .as_str()
        .expect("detail")
        .starts_with("request body"));
    let err = s
        .q("POST", &path, Some(&json!({"name": 5})))
        .expect(400)
        .json();
    assert!(err["detail"]
        .as_str()
        .expect("detail")
        .contains("invalid type"));
    s.q(
        "POST",
        "/environment/nope/container",
        Some(&body("y", &hub)),
    )
    .expect(404);
}

#[test]
fn put_replaces_keeping_ids_and_delete_removes() {
    let s = Server::start(&["--demo"]);
    let (_, env, hub) = demo_ids(&s);
    let created = s
        .q(
            "POST",
            &format!("/environment/{env}/container"),
            Some(&body("edit-me", &hub)),
        )
        .expect(201)
        .json();
    let id = created["id"].as_str().expect("id");
    let kept_port = created["ports"][0]["id"].clone();
    let mut put = body("edit-me", &hub);
    put["ports"] = json!([{"id": kept_port, "internal_port": 8080, "external_port": 443, "publicly_accessible": true, "protocol": "HTTP"}]);
    put["healthchecks"] = json!({});
    put["memory"] = json!(1024);
    let edited = s
        .q("PUT", &format!("/container/{id}"), Some(&put))
        .expect(200)
        .json();
    assert_eq!(
        edited["ports"].as_array().map(Vec::len),
        Some(1),
        "the omitted port is removed"
    );
    assert_eq!(edited["ports"][0]["id"], kept_port);
    assert_eq!(edited["ports"][0]["internal_port"], 8080);
    assert_eq!(edited["created_at"], created["created_at"]);
    assert_eq!(
        s.q("GET", &format!("/container/{id}"), None)
            .expect(200)
            .json()["memory"],
        1024
    );
    // Another container's name is taken; its own is not.
    put["name"] = json!("WEB");
    s.q("PUT", &format!("/container/{id}"), Some(&put))
        .expect(409);

    s.q("DELETE", &format!("/container/{id}"), None).expect(204);
    s.q("GET", &format!("/container/{id}"), None).expect(404);
    s.q("DELETE", &format!("/container/{id}"), None).expect(404);
}

#[test]
fn deployments_move_through_states_and_conflict_while_running() {
    let s = Server::start(&["--demo", "--provision-ms", "600"]);
    let (_, env, hub) = demo_ids(&s);
    let created = s
        .q(
            "POST",
            &format!("/environment/{env}/container"),
            Some(&body("deployme", &hub)),
        )
        .expect(201)
        .json();
    let id = created["id"].as_str().expect("id").to_string();
    let state = |s: &Server| {
        s.q("GET", &format!("/container/{id}/status"), None)
            .expect(200)
            .json()["state"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };

    s.q("POST", &format!("/container/{id}/stop"), None)
        .expect(409);
    s.q("POST", &format!("/container/{id}/redeploy"), None)
        .expect(409);
    let started = s
        .q("POST", &format!("/container/{id}/deploy"), None)
        .expect(202)
        .json();
    assert_eq!(started["state"], "DEPLOYMENT_QUEUED");
    let busy = s
        .q("POST", &format!("/container/{id}/deploy"), None)
        .expect(409)
        .json();
    assert_eq!(busy["detail"], "Operation is in progress");
    eventually(Duration::from_secs(5), || {
        (state(&s) == "DEPLOYING").then_some(())
    });
    eventually(Duration::from_secs(5), || {
        (state(&s) == "DEPLOYED").then_some(())
    });
    let statuses = s
        .q("GET", &format!("/environment/{env}/statuses"), None)
        .expect(200)
        .json();
    let mine = statuses["containers"]
        .as_array()
        .expect("list")
        .iter()
        .find(|c| c["id"] == id.as_str())
        .expect("listed")
        .clone();
    assert_eq!(mine["state"], "DEPLOYED");
    assert!(mine["last_deployment_date"].is_string());

    s.q("POST", &format!("/container/{id}/restart-service"), None)
        .expect(202);
    // RESTARTED is in the spec's StateEnum: where a restart ends.
    eventually(Duration::from_secs(5), || {
        (state(&s) == "RESTARTED").then_some(())
    });
    s.q("POST", &format!("/container/{id}/stop"), None)
        .expect(202);
    eventually(Duration::from_secs(5), || {
        (state(&s) == "STOPPED").then_some(())
    });
    s.q("POST", &format!("/container/{id}/stop"), None)
        .expect(409);

    let failing = s
        .q(
            "POST",
            &format!("/container/{id}/deploy"),
            Some(&json!({"image_tag": "1.27-fail"})),
        )
        .expect(202)
        .json();
    assert_eq!(failing["state"], "DEPLOYMENT_QUEUED");
    eventually(Duration::from_secs(5), || {
        (state(&s) == "DEPLOYMENT_ERROR").then_some(())
    });
    assert_eq!(
        s.q("GET", &format!("/container/{id}"), None).json()["tag"],
        "1.27-fail"
    );
    s.q("POST", "/container/nope/deploy", None).expect(404);
}

#[test]
fn delete_while_an_operation_runs_is_queued_then_the_container_is_gone() {
    let s = Server::start(&["--demo", "--provision-ms", "600"]);
    let (_, env, hub) = demo_ids(&s);
    let created = s
        .q(
            "POST",
            &format!("/environment/{env}/container"),
            Some(&body("doomed", &hub)),
        )
        .expect(201)
        .json();
    let id = created["id"].as_str().expect("id").to_string();
    s.q("POST", &format!("/container/{id}/deploy"), None)
        .expect(202);
    // The spec lists no 409 for DELETE: the deletion is queued.
    s.q("DELETE", &format!("/container/{id}"), None).expect(204);
    let st = s
        .q("GET", &format!("/container/{id}/status"), None)
        .expect(200)
        .json();
    assert_eq!(st["state"], "DELETE_QUEUED");
    assert_eq!(st["status_details"]["action"], "DELETE");
    // Nothing else may start while it is queued; a second DELETE is still a 204.
    s.q("POST", &format!("/container/{id}/deploy"), None)
        .expect(409);
    s.q("DELETE", &format!("/container/{id}"), None).expect(204);
    eventually(Duration::from_secs(5), || {
        let st = s.q("GET", &format!("/container/{id}/status"), None);
        (st.status == 200 && st.json()["state"] == "DELETING").then_some(())
    });
    eventually(Duration::from_secs(5), || {
        (s.q("GET", &format!("/container/{id}"), None).status == 404).then_some(())
    });
    s.q("GET", &format!("/container/{id}/status"), None)
        .expect(404);
    let statuses = s
        .q("GET", &format!("/environment/{env}/statuses"), None)
        .expect(200)
        .json();
    assert!(statuses["containers"]
        .as_array()
        .expect("list")
        .iter()
        .all(|c| c["id"] != id.as_str()));
}

#[test]
fn with_a_status_lag_reads_show_the_previous_state_for_a_while() {
    let s = Server::start(&[
        "--demo",
        "--provision-ms",
        "3000",
        "--status-lag-ms",
        "1000",
    ]);
    let (_, env, hub) = demo_ids(&s);
    let created = s
        .q(
            "POST",
            &format!("/environment/{env}/container"),
            Some(&body("laggy", &hub)),
        )
        .expect(201)
        .json();
    let id = created["id"].as_str().expect("id").to_string();
    let read = |s: &Server| {
        let one = s
            .q("GET", &format!("/container/{id}/status"), None)
            .expect(200)
            .json()["state"]
            .clone();
        let all = s
            .q("GET", &format!("/environment/{env}/statuses"), None)
            .expect(200)
            .json();
        let listed = all["containers"]
            .as_array()
            .expect("list")
            .iter()
            .find(|c| c["id"] == id.as_str())
            .map(|c| c["state"].clone())
            .unwrap_or_default();
        (one, listed)
    };
    let started = std::time::Instant::now();
    let answer = s
        .q("POST", &format!("/container/{id}/deploy"), None)
        .expect(202)
        .json();
    assert_eq!(
        answer["state"], "DEPLOYMENT_QUEUED",
        "the 202 shows the new state"
    );
    let (one, listed) = read(&s);
    assert!(
        started.elapsed() < Duration::from_millis(900),
        "too slow to observe the lag"
    );
    assert_eq!(one, "READY", "the state before the deploy, during the lag");
    assert_eq!(listed, "READY");
    // The deploy really runs meanwhile: a second one is refused.
    s.q("POST", &format!("/container/{id}/deploy"), None)
        .expect(409);
    std::thread::sleep(Duration::from_millis(1200).saturating_sub(started.elapsed()));
    let (one, listed) = read(&s);
    assert!(
        one == "DEPLOYMENT_QUEUED" || one == "DEPLOYING",
        "after the lag, the state machine shows: {one}"
    );
    assert_eq!(one, listed);
    eventually(Duration::from_secs(5), || {
        (read(&s).0 == "DEPLOYED").then_some(())
    });
    // Without the flag there is no lag.
    let plain = Server::start(&["--demo", "--provision-ms", "1500"]);
    let (_, env, hub) = demo_ids(&plain);
    let id = plain
        .q(
            "POST",
            &format!("/environment/{env}/container"),
            Some(&body("prompt", &hub)),
        )
        .expect(201)
        .json()["id"]
        .as_str()
        .expect("id")
        .to_string();
    plain
        .q("POST", &format!("/container/{id}/deploy"), None)
        .expect(202);
    assert_eq!(
        plain
            .q("GET", &format!("/container/{id}/status"), None)
            .expect(200)
            .json()["state"],
        "DEPLOYMENT_QUEUED"
    );
}
