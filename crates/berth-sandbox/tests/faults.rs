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
