//! Auth hardening: no listening beyond loopback without an explicit token, and only the Host
//! names the server was started for are answered (no DNS rebinding).

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::Server;

fn data_dir(tag: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("berth-sandbox-auth-{}-{tag}", std::process::id()))
}

#[test]
fn a_non_loopback_address_needs_an_explicit_token() {
    let data = data_dir("open");
    let out = Command::new(env!("CARGO_BIN_EXE_berth-sandbox"))
        .args(["--listen", "0.0.0.0:0", "--data"])
        .arg(&data)
        .output()
        .expect("run");
    assert!(!out.status.success(), "it must refuse to start");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("refusing to listen") && err.contains("--token"),
        "{err}"
    );

    // With --token it starts.
    let mut child = Command::new(env!("CARGO_BIN_EXE_berth-sandbox"))
        .args([
            "--listen",
            "0.0.0.0:0",
            "--token",
            "a-real-secret",
            "--data",
        ])
        .arg(&data)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("run");
    let mut line = String::new();
    if let Some(out) = child.stdout.take() {
        let _ = BufReader::new(out).read_line(&mut line);
    }
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&data);
    assert!(line.contains("serving on http://0.0.0.0:"), "{line}");
}

fn with_host(port: u16, host: &str) -> common::Answer {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let req = format!(
        "GET /api/qovery/organization HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nAuthorization: Token sandbox\r\n\r\n"
    );
    s.write_all(req.as_bytes()).expect("write");
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    common::Answer::parse(&buf).expect("answer")
}

#[test]
fn only_the_host_names_it_was_started_for_are_answered() {
    let s = Server::start(&["--demo", "--allow-host", "berth.test"]);
    let port = s.port;
    for ok in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        "localhost".to_string(),
        format!("berth.test:{port}"),
    ] {
        assert_eq!(with_host(port, &ok).status, 200, "{ok}");
    }
    for bad in [
        format!("evil.example:{port}"),
        "rebind.attacker.test".to_string(),
        format!("10.1.2.3:{port}"),
    ] {
        let a = with_host(port, &bad);
        assert_eq!(a.status, 421, "{bad}");
        let body = a.json();
        assert!(
            body["detail"]
                .as_str()
                .expect("detail")
                .contains("not served"),
            "{body}"
        );
    }
}

#[test]
fn near_miss_tokens_are_refused() {
    let s = Server::start(&["--token", "correct-horse-battery-staple"]);
    // That refusing takes as long wherever a guess is wrong is timed where it can be measured,
    // without the network: app::tests::refusing_a_guess_takes_as_long_wherever_it_is_wrong.
    for t in [
        "",
        "c",
        "correct-horse-battery-stapl",
        "correct-horse-battery-staple!",
        "CORRECT-horse-battery-staple",
    ] {
        s.call(
            "GET",
            "/api/qovery/organization",
            None,
            &[("Authorization", &format!("Token {t}"))],
        )
        .expect(401);
    }
    s.call(
        "GET",
        "/api/qovery/organization",
        None,
        &[("Authorization", "Token correct-horse-battery-staple")],
    )
    .expect(200);
}

/// The endpoints of #20 (and the stage statuses) sit behind the same token check as the rest:
/// without a token, or with a wrong one, they answer 401 and do nothing.
#[test]
fn the_operating_endpoints_need_the_token_too() {
    let s = Server::start(&["--demo"]);
    let (_, env) = s.demo_org_and_env();
    let web = common::demo_container(&s, &env, "web");
    let body = serde_json::json!({"service_ids": [web]});
    let calls: [(&str, String, Option<&serde_json::Value>); 5] = [
        ("GET", format!("/api/qovery/container/{web}/secret"), None),
        ("GET", format!("/api/qovery/container/{web}/log"), None),
        (
            "POST",
            format!("/api/qovery/environment/{env}/service/restart-service"),
            Some(&body),
        ),
        (
            "GET",
            format!("/api/qovery/environment/{env}/statusesWithStages"),
            None,
        ),
        ("GET", format!("/api/qovery/environment/{env}/logs"), None),
    ];
    for (method, path, body) in calls {
        for headers in [vec![], vec![("Authorization", "Token wrong")]] {
            let a = s.call(method, &path, body, &headers);
            assert_eq!(a.status, 401, "{method} {path} {headers:?}: {}", a.text);
        }
    }
    // Nothing was restarted.
    let status = s
        .q("GET", &format!("/container/{web}/status"), None)
        .expect(200)
        .json();
    assert_eq!(status["state"], "DEPLOYED", "{status}");
}
