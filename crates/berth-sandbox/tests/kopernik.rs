//! The Kopernik API over real loopback TCP: paging, jq, actions with waitTime, template rules.

mod common;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use common::{eventually, Server};
use serde_json::{json, Value};

fn create_body(name: &str, image: &str) -> Value {
    json!({"machineConfiguration": {"name": name, "regionUid": "us-east-1", "machineTypeUid": "t3.micro",
            "dataDisks": [{"sizeGb": 10}]},
           "containerImage": {"id": image},
           "runtimeProps": {"env": [{"name": "MODE", "value": "demo"}], "ports": [{"port": 80}]}})
}

fn mysql_body(name: &str) -> Value {
    json!({"machineConfiguration": {"name": name, "regionUid": "us-east-1", "machineTypeUid": "t3.micro", "dataDisks": [{"sizeGb": 20}]},
           "templateId": "mysql", "containerImage": {"id": "mysql:8.4"},
           "runtimeProps": {"env": [{"name": "MYSQL_ROOT_PASSWORD", "value": "s3cret"}]}})
}

#[test]
fn auth_and_unknown_provider() {
    let s = Server::start(&["--demo"]);
    let e = s
        .call(
            "GET",
            "/api/kopernik/v0/resource/containerapp/aws",
            None,
            &[("Authorization", "Token sandbox")],
        )
        .expect(401)
        .json();
    assert!(e["reason"].is_string() && e["metadata"]["uid"].is_string());
    let e = s
        .k("GET", "/resource/containerapp/gcp", None)
        .expect(404)
        .json();
    assert!(e["reason"]
        .as_str()
        .expect("reason")
        .contains("Provider not found"));
    let e = s
        .k("GET", "/resource/containerapp/aws/000", None)
        .expect(404)
        .json();
    assert!(e["reason"].as_str().expect("reason").contains("000"));
    s.k("GET", "/nowhere", None).expect(404).json()["reason"]
        .as_str()
        .expect("reason shape");
}

#[test]
fn paging_returns_every_app_exactly_once() {
    let s = Server::start(&["--demo", "--demo-apps", "120"]);
    let mut seen = HashSet::new();
    let mut token: Option<String> = None;
    let mut pages = 0;
    loop {
        let q = match &token {
            Some(t) => format!("?maxResults=7&nextToken={t}"),
            None => "?maxResults=7".into(),
        };
        let page = s
            .k("GET", &format!("/resource/containerapp/aws{q}"), None)
            .expect(200)
            .json();
        let items = page["resources"].as_array().expect("resources");
        assert!(items.len() <= 7);
        for a in items {
            assert!(
                seen.insert(a["uid"].as_str().expect("uid").to_string()),
                "{} twice",
                a["uid"]
            );
        }
        pages += 1;
        match page["nextToken"].as_str() {
            Some(t) => token = Some(t.to_string()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 125, "5 demo apps + 120 generated");
    assert_eq!(pages, 18);
    let default = s
        .k("GET", "/resource/containerapp/aws", None)
        .expect(200)
        .json();
    assert_eq!(default["resources"].as_array().map(Vec::len), Some(50));
    for bad in ["0", "1001", "x"] {
        let e = s
            .k(
                "GET",
                &format!("/resource/containerapp/aws?maxResults={bad}"),
                None,
            )
            .expect(400)
            .json();
        assert!(e["reason"]
            .as_str()
            .expect("reason")
            .starts_with("maxResults"));
    }
    s.k("GET", "/resource/containerapp/aws?nextToken=garbage", None)
        .expect(400);
}

#[test]
fn jq_filters_server_side_and_reports_syntax_errors() {
    let s = Server::start(&["--demo", "--demo-apps", "40"]);
    let q = "/resource/containerapp/aws?maxResults=1000&jq=";
    let all = s.k("GET", &format!("{q}true"), None).expect(200).json()["resources"]
        .as_array()
        .map(Vec::len);
    assert_eq!(all, Some(45));
    let off = s
        .k("GET", &format!("{q}.status%20%3D%3D%20%22off%22"), None)
        .expect(200)
        .json();
    let off = off["resources"].as_array().expect("list");
    assert!(!off.is_empty() && off.len() < 45);
    assert!(off.iter().all(|a| a["status"] == "off"));
    let named = s
        .k("GET", &format!("{q}.name%7Ctest(%22%5Enginx%22)"), None)
        .expect(200)
        .json();
    assert!(named["resources"]
        .as_array()
        .expect("list")
        .iter()
        .all(|a| a["name"].as_str().is_some_and(|n| n.starts_with("nginx"))));
    // Paging applies after the filter.
    let page = s
        .k(
            "GET",
            "/resource/containerapp/aws?maxResults=2&jq=.status%3D%3D%22active%22",
            None,
        )
        .expect(200)
        .json();
    assert_eq!(page["resources"].as_array().map(Vec::len), Some(2));
    assert!(page["nextToken"].is_string());
    let e = s
        .k("GET", &format!("{q}.name%20%7C%20test("), None)
        .expect(400)
        .json();
    assert!(
        e["reason"]
            .as_str()
            .expect("reason")
            .starts_with("jq: syntax error"),
        "{e}"
    );
    let e = s
        .k("GET", &format!("{q}nosuch(1)"), None)
        .expect(400)
        .json();
    assert!(e["reason"].as_str().expect("reason").contains("nosuch"));
}

#[test]
fn create_returns_an_action_that_ends_in_success_or_failure() {
    let s = Server::start(&["--demo", "--provision-ms", "900"]);
    // waitTime=0: 202 at once, still going.
    let started = Instant::now();
    let a = s
        .k(
            "POST",
            "/resource/containerapp/aws?waitTime=0",
            Some(&create_body("quick-1", "nginx:1.27")),
        )
        .expect(202)
        .json();
    assert!(started.elapsed() < Duration::from_millis(800));
    let action = &a["action"];
    assert_eq!(action["type"], "createResource");
    assert!(action["state"] == "pending" || action["state"] == "running");
    let (uid, app_uid) = (
        action["uid"].as_str().expect("uid").to_string(),
        action["resourceUid"]
            .as_str()
            .expect("resource")
            .to_string(),
    );
    let done = eventually(Duration::from_secs(5), || {
        let a = s
            .k("GET", &format!("/action/aws/{uid}"), None)
            .expect(200)
            .json();
        (a["action"]["state"] == "success").then_some(a)
    });
    assert_eq!(done["action"]["resourceUid"], app_uid.as_str());
    let app = s
        .k(
            "GET",
            &format!("/resource/containerapp/aws/{app_uid}"),
            None,
        )
        .expect(200)
        .json();
    assert_eq!(app["resource"]["status"], "active");
    assert_eq!(app["resource"]["machine"]["name"], "quick-1");
    assert_eq!(
        app["resource"]["runtimeProps"]["env"][0]["value"], "<hidden>",
        "env values are not echoed"
    );
    let vols = s
        .k("GET", "/resource/blockstorage/aws", None)
        .expect(200)
        .json();
    let vol = vols["resources"]
        .as_array()
        .expect("list")
        .iter()
        .find(|v| v["attachedTo"] == app_uid.as_str())
        .expect("volume")
        .clone();
    assert_eq!(
        vol["mountTarget"], "/disk1",
        "disks past the targets list get /diskN"
    );

    // waitTime long enough: 200 with the finished Action.
    let a = s
        .k(
            "POST",
            "/resource/containerapp/aws?waitTime=5",
            Some(&create_body("waited-1", "nginx:1.27")),
        )
        .expect(200)
        .json();
    assert_eq!(a["action"]["state"], "success");

    // An image containing "fail" ends failed with a reason, and leaves no app behind.
    let a = s
        .k(
            "POST",
            "/resource/containerapp/aws?waitTime=5",
            Some(&create_body("doomed-1", "acme/fail:1")),
        )
        .expect(200)
        .json();
    assert_eq!(a["action"]["state"], "failed");
    assert!(a["action"]["reason"]
        .as_str()
        .expect("reason")
        .contains("acme/fail:1"));
    let gone = a["action"]["resourceUid"].as_str().expect("uid");
    s.k("GET", &format!("/resource/containerapp/aws/{gone}"), None)
        .expect(404);

    let list = s.k("GET", "/action/aws", None).expect(200).json();
    assert!(list["resources"].as_array().expect("list").len() >= 3);
    s.k("GET", "/action/aws/nope", None).expect(404);
    let e = s
        .k(
            "POST",
            "/resource/containerapp/aws?waitTime=soon",
            Some(&create_body("x-1", "nginx:1.27")),
        )
        .expect(400)
        .json();
    assert!(e["reason"]
        .as_str()
        .expect("reason")
        .starts_with("waitTime"));
}

#[test]
fn create_rules_and_template_rules_are_400s_naming_the_field() {
    let s = Server::start(&["--demo", "--provision-ms", "100"]);
    let reason = |body: &Value| {
        s.k("POST", "/resource/containerapp/aws", Some(body))
            .expect(400)
            .json()["reason"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };

    let mut b = create_body("Bad_Name", "nginx:1.27");
    assert!(reason(&b).contains("machineConfiguration.name"));
    b = create_body("ok-1", "nginx:1.27");
    b["machineConfiguration"]["regionUid"] = json!("me-central-1");
    assert!(reason(&b).contains("is not available"));
    b["machineConfiguration"]["regionUid"] = json!("mars-1");
    assert!(reason(&b).contains("unknown region"));
    b = create_body("ok-1", "nginx:1.27");
    b["runtimeProps"]["env"] = json!([{"name": "1BAD", "value": "x"}]);
    assert!(reason(&b).contains("runtimeProps.env[0].name"));
    b = create_body("ok-1", "nginx:1.27");
    b["containerImage"]["digest"] = json!("sha256:abc");
    assert!(reason(&b).contains("containerImage.digest"));

    // Template rules of the seed, each on its own.
    let mut m = mysql_body("db-1");
    m["containerImage"]["id"] = json!("mysql:9");
    assert!(reason(&m).contains("must be the template's image"));
    let mut m = mysql_body("db-1");
    m["runtimeProps"]["env"] = json!([]);
    assert!(reason(&m).contains("runtimeProps.env.MYSQL_ROOT_PASSWORD"));
    let mut m = mysql_body("db-1");
    m["machineConfiguration"]["dataDisks"] = json!([]);
    assert!(reason(&m).contains("exactly 1 data disk"));
    let mut m = mysql_body("db-1");
    m["runtimeProps"]["volumeMountTargets"] = json!(["/data"]);
    assert!(reason(&m).contains("volumeMountTargets"));
    let mut m = mysql_body("db-1");
    m["templateId"] = json!("nope");
    assert!(reason(&m).contains("templateId"));
    let e = s
        .raw(
            "POST",
            "/api/kopernik/v0/resource/containerapp/aws",
            Some("[1,"),
            &[("Authorization", "Bearer sandbox")],
        )
        .expect("answer")
        .expect(400)
        .json();
    assert!(e["reason"]
        .as_str()
        .expect("reason")
        .starts_with("request body"));

    // A valid template create fills the template's ports, mount targets and defaults.
    let a = s
        .k(
            "POST",
            "/resource/containerapp/aws?waitTime=5",
            Some(&mysql_body("db-1")),
        )
        .expect(200)
        .json();
    assert_eq!(a["action"]["state"], "success");
    let uid = a["action"]["resourceUid"].as_str().expect("uid");
    let app = s
        .k("GET", &format!("/resource/containerapp/aws/{uid}"), None)
        .expect(200)
        .json()["resource"]
        .clone();
    assert_eq!(app["templateId"], "mysql");
    assert_eq!(app["runtimeProps"]["ports"][0]["port"], 3306);
    assert_eq!(
        app["runtimeProps"]["volumeMountTargets"],
        json!(["/var/lib/mysql"])
    );
    let names: Vec<&str> = app["runtimeProps"]["env"]
        .as_array()
        .expect("env")
        .iter()
        .filter_map(|e| e["name"].as_str())
        .collect();
    assert!(
        names.contains(&"MYSQL_DATABASE") && names.contains(&"MYSQL_ROOT_HOST"),
        "{names:?}"
    );
}

#[test]
fn delete_honours_the_volume_policy() {
    let s = Server::start(&["--demo", "--provision-ms", "100"]);
    let mk = |name: &str| {
        let a = s
            .k(
                "POST",
                "/resource/containerapp/aws?waitTime=5",
                Some(&create_body(name, "nginx:1.27")),
            )
            .expect(200)
            .json();
        a["action"]["resourceUid"]
            .as_str()
            .expect("uid")
            .to_string()
    };
    let volumes_of = |uid: &str| -> Vec<Value> {
        let all = s
            .k("GET", "/resource/blockstorage/aws?maxResults=1000", None)
            .expect(200)
            .json();
        all["resources"]
            .as_array()
            .expect("list")
            .iter()
            .filter(|v| v["uid"].as_str().is_some_and(|u| u.contains(uid)))
            .cloned()
            .collect()
    };
    let keep = mk("keep-1");
    let drop = mk("drop-1");

    let e = s
        .k(
            "DELETE",
            &format!("/resource/containerapp/aws/{keep}?attachedVolumesDeletePolicy=shred"),
            None,
        )
        .expect(400)
        .json();
    assert!(e["reason"]
        .as_str()
        .expect("reason")
        .contains("attachedVolumesDeletePolicy"));
    let a = s
        .k(
            "DELETE",
            &format!("/resource/containerapp/aws/{keep}?waitTime=5"),
            None,
        )
        .expect(200)
        .json();
    assert_eq!(a["action"]["type"], "deleteResource");
    assert_eq!(a["action"]["state"], "success");
    s.k("GET", &format!("/resource/containerapp/aws/{keep}"), None)
        .expect(404);
    let kept = volumes_of(&keep);
    assert_eq!(kept.len(), 1, "retain (the default) keeps the volume");
    assert!(kept[0]["attachedTo"].is_null());

    let a = s
        .k(
            "DELETE",
            &format!(
                "/resource/containerapp/aws/{drop}?attachedVolumesDeletePolicy=delete&waitTime=0"
            ),
            None,
        )
        .expect(202)
        .json();
    assert_ne!(a["action"]["state"], "success");
    eventually(Duration::from_secs(5), || {
        volumes_of(&drop).is_empty().then_some(())
    });
    s.k("DELETE", "/resource/containerapp/aws/nope", None)
        .expect(404);
}

#[test]
fn a_lost_answer_fault_does_the_write_and_answers_504() {
    let s = Server::start(&["--demo", "--faults"]);
    let auth = ("Authorization", "Bearer sandbox");
    let lost = ("X-Berth-Fault", "lost-answer");
    let r = s
        .call(
            "POST",
            "/api/kopernik/v0/resource/containerapp/aws?waitTime=0",
            Some(&create_body("lost-1", "nginx:1.27")),
            &[auth, lost],
        )
        .expect(504);
    assert!(r.text.contains("504 Gateway Time-out"), "{}", r.text);
    // The write happened, and a read with the same fault is answered as usual.
    let path = format!(
        "/api/kopernik/v0/resource/containerapp/aws?jq={}",
        common::enc(".name == \"lost-1\"")
    );
    let found = s.call("GET", &path, None, &[auth, lost]).expect(200).json();
    assert_eq!(
        found["resources"].as_array().map(Vec::len),
        Some(1),
        "{found}"
    );
}
