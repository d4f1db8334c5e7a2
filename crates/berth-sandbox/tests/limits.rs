//! Request limits: a body above 1 MB is a 413 that says so (announced or chunked), lists in a
//! request are capped, and rules stay fast on the longest lists a body can carry.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::Server;
use serde_json::{json, Value};

fn env_and_registry(s: &Server) -> (String, String) {
    let (org, env) = s.demo_org_and_env();
    let regs = s
        .q(
            "GET",
            &format!("/organization/{org}/containerRegistry"),
            None,
        )
        .json();
    let hub = regs["results"]
        .as_array()
        .expect("list")
        .iter()
        .find(|r| r["kind"] == "DOCKER_HUB")
        .and_then(|r| r["id"].as_str())
        .expect("hub")
        .to_string();
    (env, hub)
}

/// Sends a body in chunks, with no Content-Length, and reads the answer.
fn chunked(port: u16, path: &str, auth: &str, body: &[u8]) -> common::Answer {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAuthorization: {auth}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    );
    let _ = s.write_all(head.as_bytes());
    for chunk in body.chunks(64 * 1024) {
        if s.write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
            .is_err()
            || s.write_all(chunk).is_err()
            || s.write_all(b"\r\n").is_err()
        {
            break; // The server may answer and close before the end.
        }
    }
    let _ = s.write_all(b"0\r\n\r\n");
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    common::Answer::parse(&buf).expect("an answer")
}

#[test]
fn bodies_above_one_megabyte_are_413_in_each_api_shape() {
    let s = Server::start(&["--demo"]);
    let (env, hub) = env_and_registry(&s);
    let big = json!({"name": "big", "registry_id": hub, "image_name": "nginx", "tag": "1",
        "healthchecks": {}, "description": "x".repeat(1_100_000)});
    let e = s
        .q("POST", &format!("/environment/{env}/container"), Some(&big))
        .expect(413)
        .json();
    assert_eq!(e["status"], 413);
    assert!(
        e["detail"].as_str().expect("detail").contains("1 MB"),
        "{e}"
    );
    let e = s
        .k("POST", "/resource/containerapp/aws", Some(&big))
        .expect(413)
        .json();
    assert!(
        e["reason"].as_str().expect("reason").contains("1 MB"),
        "{e}"
    );
    // Without a Content-Length: read up to the limit, then refused.
    let a = chunked(
        s.port,
        &format!("/api/qovery/environment/{env}/container"),
        "Token sandbox",
        big.to_string().as_bytes(),
    );
    assert_eq!(a.status, 413, "{}", a.text);
    assert!(a.json()["detail"]
        .as_str()
        .expect("detail")
        .contains("1 MB"));
    // The variables import of #20 is under the same limit.
    let web = common::demo_container(&s, &env, "web");
    let vars: Vec<Value> = (0..30_000)
        .map(|i| json!({"name": format!("VAR_{i}"), "value": "x".repeat(30), "is_secret": false}))
        .collect();
    let import = json!({"overwrite": false, "vars": vars});
    assert!(import.to_string().len() > 1_048_576);
    let e = s
        .q(
            "POST",
            &format!("/container/{web}/environmentVariable/import"),
            Some(&import),
        )
        .expect(413)
        .json();
    assert!(
        e["detail"].as_str().expect("detail").contains("1 MB"),
        "{e}"
    );
    let listed = s
        .q(
            "GET",
            &format!("/container/{web}/environmentVariable"),
            None,
        )
        .expect(200)
        .json();
    assert!(
        !listed.to_string().contains("VAR_0"),
        "nothing imported: {listed}"
    );
    // Just under the limit is still read (and judged by the rules).
    let fine = json!({"name": "fine", "registry_id": hub, "image_name": "nginx", "tag": "1",
        "healthchecks": {}, "description": "x".repeat(900_000)});
    s.q(
        "POST",
        &format!("/environment/{env}/container"),
        Some(&fine),
    )
    .expect(201);
}

#[test]
fn lists_are_capped_and_rules_stay_fast_on_long_lists() {
    let s = Server::start(&["--demo"]);
    let (env, hub) = env_and_registry(&s);
    let path = format!("/environment/{env}/container");
    let with_ports = |n: usize| {
        let ports: Vec<Value> = (0..n)
            .map(|i| json!({"internal_port": 1000 + (i % 60000), "publicly_accessible": false, "name": format!("p{i}")}))
            .collect();
        json!({"name": format!("ports-{n}"), "registry_id": hub, "image_name": "nginx", "tag": "1",
               "healthchecks": {}, "ports": ports})
    };
    s.q("POST", &path, Some(&with_ports(50))).expect(201);
    let e = s.q("POST", &path, Some(&with_ports(51))).expect(400).json();
    assert_eq!(e["detail"], "ports: at most 50 ports (got 51)");
    // The longest list a 1 MB body can carry: answered at once, with one message.
    let started = Instant::now();
    let e = s
        .q("POST", &path, Some(&with_ports(15_000)))
        .expect(400)
        .json();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(e["detail"], "ports: at most 50 ports (got 15000)");
    let storage: Vec<Value> = (0..21)
        .map(|i| json!({"type": "FAST_SSD", "size": 10, "mount_point": format!("/v{i}")}))
        .collect();
    let e = s
        .q(
            "POST",
            &path,
            Some(
                &json!({"name": "st", "registry_id": hub, "image_name": "nginx",
            "tag": "1", "healthchecks": {}, "storage": storage}),
            ),
        )
        .expect(400)
        .json();
    assert_eq!(e["detail"], "storage: at most 20 storage volumes (got 21)");
    let env_vars: Vec<Value> = (0..201)
        .map(|i| json!({"name": format!("V{i}"), "value": "x"}))
        .collect();
    let e = s
        .k("POST", "/resource/containerapp/aws", Some(&json!({
            "machineConfiguration": {"name": "many", "regionUid": "us-east-1", "machineTypeUid": "t3.micro",
                                     "dataDisks": vec![json!({"sizeGb": 1}); 17]},
            "containerImage": {"id": "nginx:1"}, "runtimeProps": {"env": env_vars}})))
        .expect(400)
        .json();
    let reason = e["reason"].as_str().expect("reason");
    assert!(
        reason.contains("machineConfiguration.dataDisks: at most 16 data disks"),
        "{reason}"
    );
    assert!(
        reason.contains("runtimeProps.env: at most 200 variables"),
        "{reason}"
    );
}

#[test]
fn a_public_port_without_external_port_gets_the_documented_default() {
    let s = Server::start(&["--demo"]);
    let (env, hub) = env_and_registry(&s);
    let created = s
        .q("POST", &format!("/environment/{env}/container"), Some(&json!({
            "name": "defaults", "registry_id": hub, "image_name": "nginx", "tag": "1", "healthchecks": {},
            "ports": [{"internal_port": 8080, "publicly_accessible": true, "protocol": "HTTP"},
                      {"internal_port": 5432, "publicly_accessible": true, "protocol": "TCP"},
                      {"internal_port": 9000, "publicly_accessible": false}]})))
        .expect(201)
        .json();
    assert_eq!(created["ports"][0]["external_port"], 443);
    assert_eq!(created["ports"][1]["external_port"], 5432);
    assert!(created["ports"][2]["external_port"].is_null());
}
