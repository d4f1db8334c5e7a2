//! Writes are atomic and race-free: parallel requests cannot both win a name or a uid, a delete
//! racing a deploy leaves nothing behind, and a kill -9 between two writes of one operation
//! leaves no container without a status and no Action pending forever.

mod common;

use std::time::Duration;

use common::{eventually, Server};
use serde_json::{json, Value};

fn demo_env_and_registry(s: &Server) -> (String, String) {
    let (org, env) = s.demo_org_and_env();
    let reg = s
        .q(
            "GET",
            &format!("/organization/{org}/containerRegistry"),
            None,
        )
        .json()["results"][0]["id"]
        .as_str()
        .expect("registry")
        .to_string();
    (env, reg)
}

fn container(name: &str, reg: &str) -> Value {
    json!({"name": name, "registry_id": reg, "image_name": "nginx", "tag": "1.27", "healthchecks": {}})
}

fn app(name: &str) -> Value {
    json!({"machineConfiguration": {"name": name, "regionUid": "us-east-1", "machineTypeUid": "t3.micro"},
           "containerImage": {"id": "nginx:1.27"}})
}

/// Every container of the environment has a status, and the statuses list no other container.
fn assert_every_container_has_a_status(s: &Server, env: &str) {
    let list = s
        .q("GET", &format!("/environment/{env}/container"), None)
        .expect(200)
        .json();
    let mut ids: Vec<String> = list["results"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|c| c["id"].as_str().map(str::to_string))
        .collect();
    for id in &ids {
        s.q("GET", &format!("/container/{id}/status"), None)
            .expect(200);
    }
    let statuses = s
        .q("GET", &format!("/environment/{env}/statuses"), None)
        .expect(200)
        .json();
    let mut listed: Vec<String> = statuses["containers"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|c| c["id"].as_str().map(str::to_string))
        .collect();
    ids.sort();
    listed.sort();
    assert_eq!(ids, listed);
}

#[test]
fn parallel_creates_with_one_name_have_exactly_one_winner() {
    let s = Server::start(&["--demo"]);
    let (env, reg) = demo_env_and_registry(&s);
    let path = format!("/environment/{env}/container");
    for round in 0..3 {
        let name = format!("twin-{round}");
        let codes: Vec<u16> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..8)
                .map(|i| {
                    // Names differ only in case: still the same name.
                    let spelled = if i % 2 == 0 {
                        name.clone()
                    } else {
                        name.to_uppercase()
                    };
                    let (s, path, body) = (&s, &path, container(&spelled, &reg));
                    scope.spawn(move || s.q("POST", path, Some(&body)).status)
                })
                .collect();
            handles.into_iter().filter_map(|h| h.join().ok()).collect()
        });
        assert_eq!(codes.iter().filter(|c| **c == 201).count(), 1, "{codes:?}");
        assert_eq!(codes.iter().filter(|c| **c == 409).count(), 7, "{codes:?}");
        let list = s.q("GET", &path, None).expect(200).json();
        let same = list["results"]
            .as_array()
            .expect("list")
            .iter()
            .filter(|c| {
                c["name"]
                    .as_str()
                    .is_some_and(|n| n.eq_ignore_ascii_case(&name))
            })
            .count();
        assert_eq!(same, 1);
    }
    assert_every_container_has_a_status(&s, &env);
}

#[test]
fn parallel_kopernik_creates_get_distinct_uids() {
    let s = Server::start(&["--demo", "--provision-ms", "200"]);
    let uids: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..12)
            .map(|i| {
                let s = &s;
                scope.spawn(move || {
                    s.k(
                        "POST",
                        "/resource/containerapp/aws?waitTime=0",
                        Some(&app(&format!("par-{i}"))),
                    )
                    .expect(202)
                    .json()["action"]["resourceUid"]
                        .as_str()
                        .unwrap_or_default()
                        .to_string()
                })
            })
            .collect();
        handles.into_iter().filter_map(|h| h.join().ok()).collect()
    });
    let mut distinct = uids.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 12, "{uids:?}");
    for uid in &uids {
        let a = s
            .k("GET", &format!("/resource/containerapp/aws/{uid}"), None)
            .expect(200)
            .json();
        assert_eq!(a["resource"]["uid"], uid.as_str());
    }
}

#[test]
fn a_delete_racing_a_deploy_leaves_nothing_behind() {
    let s = Server::start(&["--demo", "--provision-ms", "300"]);
    let (env, reg) = demo_env_and_registry(&s);
    for round in 0..6 {
        let created = s
            .q(
                "POST",
                &format!("/environment/{env}/container"),
                Some(&container(&format!("race-{round}"), &reg)),
            )
            .expect(201)
            .json();
        let id = created["id"].as_str().expect("id").to_string();
        let (deploy, delete) = std::thread::scope(|scope| {
            let d = scope.spawn(|| s.q("POST", &format!("/container/{id}/deploy"), None).status);
            let x = scope.spawn(|| s.q("DELETE", &format!("/container/{id}"), None).status);
            (d.join().ok(), x.join().ok())
        });
        assert_eq!(delete, Some(204));
        assert!(
            matches!(deploy, Some(202 | 404)),
            "deploy answered {deploy:?}"
        );
        eventually(Duration::from_secs(5), || {
            (s.q("GET", &format!("/container/{id}"), None).status == 404).then_some(())
        });
        s.q("GET", &format!("/container/{id}/status"), None)
            .expect(404);
    }
    // Nothing is left running: the engine has no plan for a vanished container.
    std::thread::sleep(Duration::from_millis(400));
    assert_every_container_has_a_status(&s, &env);
}

#[test]
fn kill_9_between_two_writes_leaves_consistent_data_and_operations_resume() {
    let s = Server::start(&["--demo", "--faults", "--provision-ms", "1500"]);
    let (env, reg) = demo_env_and_registry(&s);
    let fault = [
        ("Authorization", "Token sandbox"),
        ("X-Berth-Fault", "crash-mid-write"),
    ];
    // A create that dies between writing the container and its status.
    let cut = s.raw(
        "POST",
        &format!("/api/qovery/environment/{env}/container"),
        Some(&container("half", &reg).to_string()),
        &fault,
    );
    assert!(cut.is_err(), "the server died mid-write: {cut:?}");
    let s = s.kill_and_restart();
    assert_every_container_has_a_status(&s, &env);
    let list = s
        .q("GET", &format!("/environment/{env}/container"), None)
        .json();
    assert!(
        list["results"]
            .as_array()
            .expect("list")
            .iter()
            .all(|c| c["name"] != "half"),
        "the half-made container was rolled back"
    );

    // A deploy that dies between writing its plan and the status: nothing half-started.
    let created = s
        .q(
            "POST",
            &format!("/environment/{env}/container"),
            Some(&container("whole", &reg)),
        )
        .expect(201)
        .json();
    let id = created["id"].as_str().expect("id").to_string();
    let kopernik_fault = [
        ("Authorization", "Bearer sandbox"),
        ("X-Berth-Fault", "crash-mid-write"),
    ];
    let cut = s.raw(
        "POST",
        &format!("/api/qovery/container/{id}/deploy"),
        None,
        &[fault[0], fault[1]],
    );
    assert!(cut.is_err());
    let s = s.kill_and_restart();
    assert_eq!(
        s.q("GET", &format!("/container/{id}/status"), None)
            .expect(200)
            .json()["state"],
        "READY"
    );
    // A Kopernik create that dies between writing the app and its Action.
    let cut = s.raw(
        "POST",
        "/api/kopernik/v0/resource/containerapp/aws?waitTime=0",
        Some(&app("half-app").to_string()),
        &kopernik_fault,
    );
    assert!(cut.is_err());
    let s = s.kill_and_restart();
    let apps = s
        .k("GET", "/resource/containerapp/aws?maxResults=1000", None)
        .expect(200)
        .json();
    assert!(apps["resources"]
        .as_array()
        .expect("list")
        .iter()
        .all(|a| a["name"] != "half-app"));

    // Operations under way when the server is killed resume after the restart.
    s.q("POST", &format!("/container/{id}/deploy"), None)
        .expect(202);
    let action = s
        .k(
            "POST",
            "/resource/containerapp/aws?waitTime=0",
            Some(&app("resumes")),
        )
        .expect(202)
        .json();
    let action_uid = action["action"]["uid"].as_str().expect("uid").to_string();
    std::thread::sleep(Duration::from_millis(300));
    let s = s.kill_and_restart();
    eventually(Duration::from_secs(6), || {
        let st = s.q("GET", &format!("/container/{id}/status"), None).json();
        (st["state"] == "DEPLOYED").then_some(())
    });
    eventually(Duration::from_secs(6), || {
        let a = s
            .k("GET", &format!("/action/aws/{action_uid}"), None)
            .json();
        (a["action"]["state"] == "success").then_some(())
    });
    // No Action is left pending.
    let actions = s.k("GET", "/action/aws", None).expect(200).json();
    assert!(actions["resources"]
        .as_array()
        .expect("list")
        .iter()
        .all(|a| a["state"] == "success" || a["state"] == "failed"));
}
