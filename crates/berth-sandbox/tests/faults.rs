//! `--faults` and CORS.

mod common;

use common::Server;

const AUTH: (&str, &str) = ("Authorization", "Token sandbox");

#[test]
fn each_fault_is_reproduced() {
    let s = Server::start(&["--demo", "--faults"]);
    let path = "/api/qovery/organization";
    let e = s
        .call("GET", path, None, &[AUTH, ("X-Berth-Fault", "500")])
        .expect(500)
        .json();
    assert_eq!(e["status"], 500);
    s.call("GET", path, None, &[AUTH, ("X-Berth-Fault", "503")])
        .expect(503);
    let e = s
        .call("GET", path, None, &[AUTH, ("X-Berth-Fault", "404")])
        .expect(404)
        .json();
    assert_eq!(e["status"], 404);
    let r = s
        .call("GET", path, None, &[AUTH, ("X-Berth-Fault", "429")])
        .expect(429);
    assert_eq!(r.header("retry-after"), Some("2"));
    let r = s
        .call("GET", path, None, &[AUTH, ("X-Berth-Fault", "malformed")])
        .expect(200);
    assert!(
        serde_json::from_str::<serde_json::Value>(&r.text).is_err(),
        "{}",
        r.text
    );
    let k = s
        .call(
            "GET",
            "/api/kopernik/v0/resource/containerapp/aws",
            None,
            &[
                ("Authorization", "Bearer sandbox"),
                ("X-Berth-Fault", "500"),
            ],
        )
        .expect(500)
        .json();
    assert!(
        k["reason"].is_string(),
        "Kopernik faults use Kopernik's shape"
    );
    match s.raw("GET", path, None, &[AUTH, ("X-Berth-Fault", "drop")]) {
        Err(_) => {}
        Ok(a) => panic!("a dropped connection gave a whole answer: {a:?}"),
    }
    s.call("GET", path, None, &[AUTH, ("X-Berth-Fault", "sometimes")])
        .expect(400);
    // Timeout: nothing comes back within a few seconds.
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", s.port)).expect("connect");
    use std::io::{Read, Write};
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(3)))
        .expect("timeout");
    stream
        .write_all(b"GET /api/qovery/organization HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Token sandbox\r\nX-Berth-Fault: timeout\r\n\r\n")
        .expect("write");
    let mut buf = [0u8; 16];
    let read = stream.read(&mut buf);
    assert!(read.is_err(), "the timeout fault answered: {read:?}");
    s.call("GET", path, None, &[AUTH]).expect(200);
}

#[test]
fn faults_are_ignored_unless_enabled_and_cors_allows_listed_origins() {
    let s = Server::start(&["--demo", "--cors-origin", "http://portal.test:3000"]);
    s.call(
        "GET",
        "/api/qovery/organization",
        None,
        &[AUTH, ("X-Berth-Fault", "500")],
    )
    .expect(200);
    let pre = s.call(
        "OPTIONS",
        "/api/qovery/organization",
        None,
        &[
            ("Origin", "http://portal.test:3000"),
            ("Access-Control-Request-Method", "GET"),
            ("Access-Control-Request-Headers", "authorization"),
        ],
    );
    assert_eq!(
        pre.header("access-control-allow-origin"),
        Some("http://portal.test:3000")
    );
    let other = s
        .call(
            "GET",
            "/api/qovery/organization",
            None,
            &[AUTH, ("Origin", "http://evil.test")],
        )
        .expect(200);
    assert_eq!(other.header("access-control-allow-origin"), None);
    assert!(other.header("x-request-id").is_some());
}

fn app(name: &str) -> serde_json::Value {
    serde_json::json!({"machineConfiguration": {"name": name, "regionUid": "us-east-1", "machineTypeUid": "t3.micro"},
           "containerImage": {"id": "nginx:1.27"}})
}

const KOPERNIK_CREATE: &str = "/api/kopernik/v0/resource/containerapp/aws?waitTime=0";

#[test]
fn an_unauthenticated_fault_header_is_refused_and_arms_nothing() {
    let s = Server::start(&["--demo", "--faults"]);
    // A crash-mid-write sent without the token is the 401 every unauthenticated request gets,
    // and arms nothing: the next writes, by a client with the token, succeed and the server
    // lives.
    let e = s
        .call(
            "POST",
            KOPERNIK_CREATE,
            Some(&app("intruder")),
            &[("X-Berth-Fault", "crash-mid-write")],
        )
        .expect(401)
        .json();
    assert!(e["reason"].is_string(), "{e}");
    let (_, env) = s.demo_org_and_env();
    s.call(
        "POST",
        &format!("/api/qovery/environment/{env}/container"),
        None,
        &[
            ("Authorization", "Token wrong"),
            ("X-Berth-Fault", "crash-mid-write"),
        ],
    )
    .expect(401);
    s.k(
        "POST",
        "/resource/containerapp/aws?waitTime=0",
        Some(&app("honest")),
    )
    .expect(202);
    s.q("GET", "/organization", None).expect(200);
    // No other fault acts before authentication either.
    for (path, fault) in [
        ("/api/qovery/organization", "500"),
        ("/api/kopernik/v0/resource/containerapp/aws", "503"),
        ("/api/qovery/organization", "malformed"),
    ] {
        s.call("GET", path, None, &[("X-Berth-Fault", fault)])
            .expect(401);
        s.call(
            "GET",
            path,
            None,
            &[("Authorization", "Token wrong"), ("X-Berth-Fault", fault)],
        )
        .expect(401);
    }
    // The faults still act for a client with the token.
    s.call(
        "GET",
        "/api/qovery/organization",
        None,
        &[AUTH, ("X-Berth-Fault", "500")],
    )
    .expect(500);
}

#[test]
fn without_faults_a_crash_header_is_ignored() {
    let s = Server::start(&["--demo"]);
    let k = [
        ("Authorization", "Bearer sandbox"),
        ("X-Berth-Fault", "crash-mid-write"),
    ];
    for name in ["first", "second"] {
        s.call("POST", KOPERNIK_CREATE, Some(&app(name)), &k)
            .expect(202);
    }
    s.call(
        "GET",
        "/api/qovery/organization",
        None,
        &[AUTH, ("X-Berth-Fault", "timeout")],
    )
    .expect(200);
}
