//! Everything survives a restart, and an acknowledged write survives `kill -9`.

mod common;

use common::Server;
use serde_json::json;

#[test]
fn acknowledged_writes_survive_kill_9_and_demo_is_seeded_once() {
    let s = Server::start(&["--demo", "--provision-ms", "100"]);
    let orgs = s.q("GET", "/organization", None).expect(200).json();
    let org = orgs["results"][0]["id"].as_str().expect("org").to_string();
    let project = s
        .q("GET", &format!("/organization/{org}/project"), None)
        .json()["results"][0]["id"]
        .as_str()
        .expect("p")
        .to_string();
    let env = s
        .q("GET", &format!("/project/{project}/environment"), None)
        .json()["results"][0]["id"]
        .as_str()
        .expect("e")
        .to_string();
    let reg = s
        .q(
            "GET",
            &format!("/organization/{org}/containerRegistry"),
            None,
        )
        .json()["results"][0]["id"]
        .as_str()
        .expect("r")
        .to_string();
    let created = s
        .q("POST", &format!("/environment/{env}/container"), Some(&json!({"name": "durable", "registry_id": reg, "image_name": "nginx", "tag": "1", "healthchecks": {}})))
        .expect(201)
        .json();
    let id = created["id"].as_str().expect("id").to_string();
    let app = s
        .k("POST", "/resource/containerapp/akamai?waitTime=5", Some(&json!({"machineConfiguration": {"name": "durable-1", "regionUid": "us-east", "machineTypeUid": "g6-nanode-1"}, "containerImage": {"id": "nginx:1.27"}})))
        .expect(200)
        .json();
    let app_uid = app["action"]["resourceUid"]
        .as_str()
        .expect("uid")
        .to_string();

    let s = s.kill_and_restart();
    assert_eq!(
        s.q("GET", &format!("/container/{id}"), None)
            .expect(200)
            .json()["name"],
        "durable"
    );
    assert_eq!(
        s.k(
            "GET",
            &format!("/resource/containerapp/akamai/{app_uid}"),
            None
        )
        .expect(200)
        .json()["resource"]["status"],
        "active"
    );
    assert_eq!(
        s.q("GET", "/organization", None).json()["results"]
            .as_array()
            .map(Vec::len),
        Some(2),
        "demo data seeded once"
    );
}
