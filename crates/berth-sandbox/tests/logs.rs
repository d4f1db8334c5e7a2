//! Deployment logs, a running container's output, links and custom domains, deploying another
//! tag (#20).

mod common;

use std::time::{Duration, Instant};

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

/// The execution id of the newest deployment of `id`, from its deployment history.
fn latest_execution(s: &Server, id: &str) -> String {
    let h = s
        .q("GET", &format!("/container/{id}/deploymentHistoryV2"), None)
        .expect(200)
        .json();
    h["results"][0]["identifier"]["execution_id"]
        .as_str()
        .expect("execution id")
        .to_string()
}

fn messages(lines: &Value) -> Vec<String> {
    lines
        .as_array()
        .into_iter()
        .flatten()
        .map(|l| {
            l["message"]["safe_message"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect()
}

#[test]
fn deploying_another_tag_records_it_and_logs_each_step() {
    let s = Server::start(&["--demo", "--provision-ms", "600"]);
    let (_, env) = s.demo_org_and_env();
    let web = demo_container(&s, &env, "web");
    let started = s
        .q(
            "POST",
            &format!("/container/{web}/deploy"),
            Some(&json!({"image_tag": "1.25"})),
        )
        .expect(202)
        .json();
    let execution = latest_execution(&s, &web);
    assert_eq!(
        started["execution_id"],
        execution.as_str(),
        "the Status names the deployment"
    );
    let h = s
        .q(
            "GET",
            &format!("/container/{web}/deploymentHistoryV2"),
            None,
        )
        .json();
    assert_eq!(h["results"][0]["details"]["tag"], "1.25");
    assert_eq!(
        s.q("GET", &format!("/container/{web}"), None).json()["tag"],
        "1.25"
    );
    // Queued at once: the log already has its first line, and grows to the end.
    let logs = |s: &Server| {
        s.q(
            "GET",
            &format!("/environment/{env}/logs?version={execution}"),
            None,
        )
        .expect(200)
        .json()
    };
    let first = logs(&s);
    assert!(!messages(&first).is_empty());
    eventually(Duration::from_secs(5), || {
        (state(&s, &web) == "DEPLOYED").then_some(())
    });
    let all = logs(&s);
    let text = messages(&all);
    assert!(text.len() > messages(&first).len(), "{text:?}");
    assert!(text[0].contains("queued"), "{text:?}");
    assert!(
        text.iter()
            .any(|m| m.contains("Pulling image") && m.contains("nginx:1.25")),
        "{text:?}"
    );
    assert!(
        text.last().is_some_and(|m| m.contains("deployed")),
        "{text:?}"
    );
    for line in all.as_array().expect("array") {
        assert_eq!(line["details"]["execution_id"], execution.as_str());
        assert!(line["details"]["stage"]["step"].is_string(), "{line}");
        assert_eq!(line["type"], "info");
    }
    // Another deployment's lines are not in this version's.
    s.q("POST", &format!("/container/{web}/restart-service"), None)
        .expect(202);
    eventually(Duration::from_secs(5), || {
        (state(&s, &web) == "RESTARTED").then_some(())
    });
    assert_eq!(messages(&logs(&s)), text);
    let everything = s
        .q("GET", &format!("/environment/{env}/logs"), None)
        .expect(200)
        .json();
    assert!(messages(&everything)
        .iter()
        .any(|m| m.contains("restarted")));
    let none = s
        .q(
            "GET",
            &format!("/environment/{env}/logs?version=nope"),
            None,
        )
        .expect(200)
        .json();
    assert_eq!(none, json!([]));
    s.q("GET", "/environment/nope/logs", None).expect(404);
    // A bad tag is refused before anything starts.
    let err = s
        .q(
            "POST",
            &format!("/container/{web}/deploy"),
            Some(&json!({"image_tag": "a b"})),
        )
        .expect(400)
        .json();
    assert!(err["detail"]
        .as_str()
        .expect("detail")
        .starts_with("image_tag:"));
}

#[test]
fn a_failing_image_ends_in_deployment_error_and_its_log_says_why() {
    let s = Server::start(&["--demo", "--provision-ms", "400"]);
    let (_, env) = s.demo_org_and_env();
    let web = demo_container(&s, &env, "web");
    s.q(
        "POST",
        &format!("/container/{web}/deploy"),
        Some(&json!({"image_tag": "fail"})),
    )
    .expect(202);
    let execution = latest_execution(&s, &web);
    eventually(Duration::from_secs(5), || {
        (state(&s, &web) == "DEPLOYMENT_ERROR").then_some(())
    });
    let status = s.q("GET", &format!("/container/{web}/status"), None).json();
    assert_eq!(status["status_details"]["status"], "ERROR");
    assert_eq!(status["execution_id"], execution.as_str());
    // Where it failed, in the spec's step metrics: the image could not be mirrored.
    let steps = status["steps"]["details"].as_array().expect("steps");
    assert!(
        steps
            .iter()
            .any(|st| st["step_name"] == "MIRROR_IMAGE" && st["status"] == "ERROR"),
        "{status}"
    );
    assert!(status["steps"]["total_duration_sec"].is_i64());
    let lines = s
        .q(
            "GET",
            &format!("/environment/{env}/logs?version={execution}"),
            None,
        )
        .expect(200)
        .json();
    let errors: Vec<&Value> = lines
        .as_array()
        .expect("array")
        .iter()
        .filter(|l| l["type"] == "error")
        .collect();
    assert_eq!(errors.len(), 1, "{lines}");
    let e = errors[0];
    assert_eq!(e["details"]["stage"]["step"], "DeployedError");
    let why = e["error"]["user_log_message"]
        .as_str()
        .expect("user_log_message");
    assert!(
        why.contains("image pull failed") && why.contains("manifest for `nginx:fail` not found"),
        "{why}"
    );
    assert!(e["message"]["safe_message"]
        .as_str()
        .expect("message")
        .contains(why));
    let typed: Vec<berth_api::logs::EnvironmentLog> =
        serde_json::from_value(lines.clone()).expect("decodes");
    assert!(typed
        .last()
        .is_some_and(|l| l.is_error() && l.text().contains("manifest for")));
    // The history entry says it failed.
    let h = s
        .q(
            "GET",
            &format!("/container/{web}/deploymentHistoryV2"),
            None,
        )
        .json();
    assert_eq!(h["results"][0]["status"], "DEPLOYMENT_ERROR");
    // The image name is checked the same way: a `fail` image with a good tag fails too.
    let worker = demo_container(&s, &env, "whoami");
    let mut c = s.q("GET", &format!("/container/{worker}"), None).json();
    c["image_name"] = json!("acme/fail");
    for k in [
        "id",
        "created_at",
        "updated_at",
        "registry",
        "environment",
        "maximum_cpu",
        "maximum_memory",
        "maximum_gpu",
        "service_type",
        "annotations_groups",
        "labels_groups",
    ] {
        c.as_object_mut().map(|o| o.remove(k));
    }
    c["registry_id"] =
        s.q("GET", &format!("/container/{worker}"), None).json()["registry"]["id"].clone();
    s.q("PUT", &format!("/container/{worker}"), Some(&c))
        .expect(200);
    s.q("POST", &format!("/container/{worker}/deploy"), None)
        .expect(202);
    eventually(Duration::from_secs(5), || {
        (state(&s, &worker) == "DEPLOYMENT_ERROR").then_some(())
    });
}

#[test]
fn a_running_container_log_grows_and_is_stable() {
    let s = Server::start(&["--demo", "--provision-ms", "300"]);
    let (_, env) = s.demo_org_and_env();
    let whoami = demo_container(&s, &env, "whoami");
    let log = |s: &Server| {
        s.q("GET", &format!("/container/{whoami}/log"), None)
            .expect(200)
            .json()["results"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    };
    assert!(log(&s).is_empty(), "never deployed: no output");
    s.q("POST", &format!("/container/{whoami}/deploy"), None)
        .expect(202);
    eventually(Duration::from_secs(5), || {
        (state(&s, &whoami) == "DEPLOYED").then_some(())
    });
    let first = log(&s);
    assert!(!first.is_empty());
    assert!(first[0]["message"]
        .as_str()
        .expect("message")
        .starts_with("Starting traefik/whoami:v1.10"));
    assert_eq!(first[0]["version"], "v1.10");
    // Qovery's pod names: app-z<8 hex of the container id>-<replicaset>-<suffix>.
    assert!(first[0]["pod_name"]
        .as_str()
        .expect("pod")
        .starts_with(&format!("app-z{}-", &whoami[..8])));
    // It grows (a line every 2 s per instance).
    let later = eventually(Duration::from_secs(10), || {
        let now = log(&s);
        (now.len() > first.len()).then_some(now)
    });
    assert_eq!(
        later[..first.len()],
        first[..],
        "earlier lines stay the same"
    );
    // A stop freezes the output.
    s.q("POST", &format!("/container/{whoami}/stop"), None)
        .expect(202);
    eventually(Duration::from_secs(5), || {
        (state(&s, &whoami) == "STOPPED").then_some(())
    });
    let stopped = log(&s);
    // Nothing can say "no line is coming": 2.2 s is longer than the 2 s between two lines of a
    // running instance, in which the log grew before the stop (above).
    std::thread::sleep(Duration::from_millis(2200));
    assert_eq!(log(&s), stopped);
    // The demo's running containers have output from several instances already.
    let web = demo_container(&s, &env, "web");
    let lines = s
        .q("GET", &format!("/container/{web}/log"), None)
        .expect(200)
        .json();
    let pods: std::collections::HashSet<&str> = lines["results"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|l| l["pod_name"].as_str())
        .collect();
    assert_eq!(pods.len(), 2, "{pods:?}");
    s.q("GET", "/container/nope/log", None).expect(404);
}

/// `--demo-log-rate 100`: a demo container's output grows by about 100 lines a second, and a
/// read a second later holds the same lines (by id) shifted by the new ones.
#[test]
fn a_demo_log_rate_sets_the_lines_a_second() {
    let s = Server::start(&[
        "--demo",
        "--demo-log-lines",
        "2000",
        "--demo-log-rate",
        "100",
    ]);
    let (_, env) = s.demo_org_and_env();
    let web = demo_container(&s, &env, "web");
    let ids = |s: &Server| -> Vec<String> {
        s.q("GET", &format!("/container/{web}/log"), None)
            .expect(200)
            .json()["results"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|l| l["id"].as_str().map(str::to_string))
            .collect()
    };
    // Each read is timed from before it is sent to after its answer: the lines it saw were
    // made somewhere in between, which under load (the browsers of the end-to-end tests run
    // beside these tests) is a while.
    let timed = |s: &Server| {
        let before = Instant::now();
        let lines = ids(s);
        (before, lines, Instant::now())
    };
    let (before_first, first, after_first) = timed(&s);
    // Reads again until 300 lines are new (3 s at the rate asked): long beside the reads' own
    // time, so a rate half or twice the one asked falls outside the bounds even under load.
    let (before_second, second, after_second, new) = eventually(Duration::from_secs(10), || {
        let (before, second, after) = timed(&s);
        let new = second.iter().filter(|id| !first.contains(id)).count();
        (new >= 300).then_some((before, second, after, new))
    });
    assert_eq!((first.len(), second.len()), (2000, 2000));
    // 100 a second over the time between the two reads' moments, give or take a tick at each end.
    let least = before_second
        .saturating_duration_since(after_first)
        .as_secs_f64();
    let most = after_second.duration_since(before_first).as_secs_f64();
    assert!(
        (new as f64) >= 100.0 * least - 10.0 && (new as f64) <= 100.0 * most + 10.0,
        "{new} new lines between two reads {least:.2} to {most:.2} s apart"
    );
    assert_eq!(
        first[new..],
        second[..2000 - new],
        "the same lines, shifted"
    );
    for bad in ["0", "1001", "x"] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_berth-sandbox"))
            .args(["--demo-log-rate", bad])
            .output()
            .expect("run the sandbox");
        assert!(!out.status.success());
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("--demo-log-rate"),
            "{bad}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn links_come_from_public_ports_and_custom_domains() {
    let s = Server::start(&["--demo"]);
    let (_, env) = s.demo_org_and_env();
    let web = demo_container(&s, &env, "web");
    let links = s
        .q("GET", &format!("/container/{web}/link"), None)
        .expect(200)
        .json();
    let links = links["results"].as_array().expect("list").clone();
    assert!(links.iter().any(|l| l["is_default"] == true
        && l["is_qovery_domain"] == true
        && l["internal_port"] == 80
        && l["external_port"] == 443
        && l["url"].as_str().is_some_and(|u| u.starts_with("https://"))));
    assert!(links.iter().any(|l| l["url"]
        .as_str()
        .is_some_and(|u| u.starts_with("https://p80-"))));
    // The demo's web container has a custom domain, and a link on it.
    let domains = s
        .q("GET", &format!("/container/{web}/customDomain"), None)
        .expect(200)
        .json();
    let domain = domains["results"][0]["domain"]
        .as_str()
        .expect("a demo custom domain")
        .to_string();
    assert!(links
        .iter()
        .any(|l| l["url"] == format!("https://{domain}") && l["is_qovery_domain"] == false));
    // A private container has no link; a custom domain can be added, once.
    let cache = demo_container(&s, &env, "cache");
    let none = s
        .q("GET", &format!("/container/{cache}/link"), None)
        .expect(200)
        .json();
    assert_eq!(none["results"], json!([]));
    let path = format!("/container/{web}/customDomain");
    let added = s
        .q(
            "POST",
            &path,
            Some(&json!({"domain": "Shop.Example.com", "generate_certificate": true})),
        )
        .expect(201)
        .json();
    assert_eq!(added["domain"], "shop.example.com");
    assert_eq!(added["status"], "VALIDATION_PENDING");
    s.q(
        "POST",
        &path,
        Some(&json!({"domain": "shop.example.com", "generate_certificate": true})),
    )
    .expect(400);
    let err = s
        .q(
            "POST",
            &path,
            Some(&json!({"domain": "no spaces.com", "generate_certificate": true})),
        )
        .expect(400)
        .json();
    assert!(err["detail"]
        .as_str()
        .expect("detail")
        .starts_with("domain:"));
    let links = s.q("GET", &format!("/container/{web}/link"), None).json();
    assert!(links["results"]
        .as_array()
        .expect("list")
        .iter()
        .any(|l| l["url"] == "https://shop.example.com"));
    s.q("GET", "/container/nope/link", None).expect(404);
    s.q("GET", "/container/nope/customDomain", None).expect(404);
}
