//! Cluster events (#29): the spec's shape, the window and the filters, the date parameters, and
//! what each diagnosis container of the demo reports. Windows are explicit times, no sleeps.

mod common;

use std::collections::HashSet;

use common::spec::{Checker, Spec};
use common::{demo_container, diagnosis_env, events, iso, now_secs, org_clusters, secs_of, Server};
use serde_json::Value;

/// The pods of a container, from its log (the names events and metrics must use too).
fn pods_in_log(s: &Server, container: &str) -> HashSet<String> {
    let log = s
        .q("GET", &format!("/container/{container}/log"), None)
        .expect(200)
        .json();
    common::results(&log)
        .iter()
        .filter_map(|l| l["pod_name"].as_str().map(str::to_string))
        .collect()
}

fn list(a: common::Answer) -> Vec<Value> {
    common::results(&a.expect(200).json())
}

#[test]
fn events_match_the_spec_and_keep_to_the_window_and_filters() {
    let s = Server::start(&["--demo-diagnosis"]);
    let (org, env) = diagnosis_env(&s);
    let (on, off) = org_clusters(&s, &org);
    let on = on["id"].as_str().expect("id").to_string();
    let now = now_secs();
    let (from, to) = (now - 3 * 3600, now);
    let mut c = Checker {
        s: &s,
        spec: Spec::load(),
        checked: 0,
    };
    let path = common::with_query(
        &format!("/cluster/{on}/events"),
        &[("from_date_time", &iso(from)), ("to_date_time", &iso(to))],
    );
    let all = common::results(&c.call("get", "/cluster/{clusterId}/events", &path, None, 200));
    assert!(all.len() > 50, "three hours of trouble: {}", all.len());
    let times: Vec<i64> = all
        .iter()
        .map(|e| secs_of(e["created_at"].as_str().expect("created_at")))
        .collect();
    assert!(
        times.iter().all(|t| (from..=to).contains(t)),
        "in the window"
    );
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "oldest first");
    for e in &all {
        assert_eq!(e["kind"], "Pod", "{e}");
        assert_eq!(e["last_occurrence"], e["created_at"], "{e}");
        assert!(
            e["first_occurrence"].as_str() <= e["created_at"].as_str(),
            "{e}"
        );
        assert!(e["count"].as_i64().is_some_and(|n| n >= 1), "{e}");
        assert!(
            matches!(e["type"].as_str(), Some("Normal" | "Warning")),
            "{e}"
        );
        let ns = e["namespace"].as_str().expect("namespace");
        assert!(ns.starts_with('z') && ns.len() == 9, "{e}");
    }

    // A narrower window holds exactly the events of the wider one that fall in it.
    let (nfrom, nto) = (now - 2 * 3600, now - 3600);
    let narrow = list(events(&s, &on, nfrom, nto, &[]));
    let expected: Vec<&Value> = all
        .iter()
        .filter(|e| (nfrom..=nto).contains(&secs_of(e["created_at"].as_str().unwrap_or(""))))
        .collect();
    assert!(!narrow.is_empty());
    assert_eq!(narrow.iter().collect::<Vec<_>>(), expected);
    // Nothing comes from the future.
    assert!(list(events(&s, &on, now + 3600, now + 7200, &[])).is_empty());

    // pod_name: the pods of the container log.
    let oom = demo_container(&s, &env, "oom-worker");
    let pods = pods_in_log(&s, &oom);
    assert_eq!(pods.len(), 1, "{pods:?}");
    let pod = pods.iter().next().expect("pod").clone();
    assert!(pod.starts_with(&format!("app-z{}-", &oom[..8])), "{pod}");
    let of_pod = list(events(&s, &on, from, to, &[("pod_name", &pod)]));
    assert!(!of_pod.is_empty());
    assert!(of_pod.iter().all(|e| e["name"] == pod.as_str()));
    assert_eq!(
        of_pod.len(),
        all.iter().filter(|e| e["name"] == pod.as_str()).count()
    );
    assert_eq!(of_pod[0]["namespace"], format!("z{}", &env[..8]));
    assert!(list(events(&s, &on, from, to, &[("pod_name", "app-znope-1-2")])).is_empty());

    // reporting_component.
    let scheduler = list(events(
        &s,
        &on,
        from,
        to,
        &[("reporting_component", "default-scheduler")],
    ));
    assert!(!scheduler.is_empty());
    assert!(scheduler
        .iter()
        .all(|e| e["reporting_component"] == "default-scheduler"
            && matches!(e["reason"].as_str(), Some("Scheduled" | "FailedScheduling"))));

    // node_name: the node a pod was assigned to (its Scheduled event says which).
    let web = demo_container(&s, &s.demo_org_and_env().1, "web");
    let web_pods = pods_in_log(&s, &web);
    let since = now - 24 * 3600;
    let scheduled = list(events(
        &s,
        &on,
        since,
        now,
        &[("reporting_component", "default-scheduler")],
    ));
    let assigned = scheduled
        .iter()
        .find(|e| e["reason"] == "Scheduled" && web_pods.contains(e["name"].as_str().unwrap_or("")))
        .expect("a web pod was scheduled");
    let node = assigned["message"]
        .as_str()
        .and_then(|m| m.rsplit(' ').next())
        .expect("node")
        .to_string();
    let on_node = list(events(&s, &on, since, now, &[("node_name", &node)]));
    assert!(on_node.iter().any(|e| e["name"] == assigned["name"]));
    assert!(
        on_node.iter().all(|e| e["reason"] != "FailedScheduling"),
        "an unscheduled pod is on no node"
    );

    // The cluster without metrics has events too, of its own environments only.
    let off = off["id"].as_str().expect("id");
    let off_events = list(events(&s, off, since, now, &[]));
    assert!(!off_events.is_empty(), "development's web runs there");
    let on_namespaces: HashSet<&str> = all.iter().filter_map(|e| e["namespace"].as_str()).collect();
    assert!(off_events
        .iter()
        .all(|e| !on_namespaces.contains(e["namespace"].as_str().unwrap_or(""))));
}

#[test]
fn the_window_is_two_iso_8601_date_times() {
    let s = Server::start(&["--demo"]);
    let (org, _) = s.demo_org_and_env();
    let (on, _) = org_clusters(&s, &org);
    let id = on["id"].as_str().expect("id");
    let base = format!("/cluster/{id}/events");
    let bad = |query: &str, says: &str| {
        let a = s.q("GET", &format!("{base}?{query}"), None).expect(400);
        let detail = a.json()["detail"].as_str().unwrap_or_default().to_string();
        assert!(detail.contains(says), "{query}: {detail}");
    };
    bad(
        "to_date_time=2025-03-03T10:00:00Z",
        "from_date_time: required",
    );
    bad(
        "from_date_time=2025-03-03T10:00:00Z",
        "to_date_time: required",
    );
    bad(
        "from_date_time=yesterday&to_date_time=2025-03-03T10:00:00Z",
        "from_date_time: `yesterday` is not an ISO-8601 date-time",
    );
    bad(
        "from_date_time=2025-03-03T09:00:00&to_date_time=2025-03-03T10:00:00Z",
        "time zone",
    );
    bad(
        "from_date_time=2025-03-03T11:00:00Z&to_date_time=2025-03-03T10:00:00Z",
        "must not be before",
    );
    bad(
        "from_date_time=2025-03-01T00:00:00Z&to_date_time=2025-03-09T00:00:01Z",
        "at most 7 days",
    );
    // `+` escaped as %2B, a raw `+` (which arrives as a space), `Z` and other offsets: one window.
    let now = now_secs();
    let (from, to) = (iso(now - 7200), iso(now));
    let answers: Vec<Vec<Value>> = [
        format!("from_date_time={from}&to_date_time={to}"),
        format!(
            "from_date_time={}%2B00:00&to_date_time={}%2B00:00",
            &from[..19],
            &to[..19]
        ),
        format!(
            "from_date_time={}+00:00&to_date_time={}+00:00",
            &from[..19],
            &to[..19]
        ),
    ]
    .iter()
    .map(|q| common::results(&s.q("GET", &format!("{base}?{q}"), None).expect(200).json()))
    .collect();
    assert!(
        !answers[0].is_empty(),
        "the demo's web pods started 10 minutes ago"
    );
    assert_eq!(answers[0], answers[1]);
    assert_eq!(answers[0], answers[2]);
}

/// The latest event of `reason` among `list`.
fn last<'a>(list: &'a [Value], reason: &str) -> &'a Value {
    list.iter()
        .rev()
        .find(|e| e["reason"] == reason)
        .unwrap_or_else(|| panic!("no {reason} event"))
}

#[test]
fn each_diagnosis_container_reports_its_trouble() {
    let s = Server::start(&["--demo-diagnosis"]);
    let (org, env) = diagnosis_env(&s);
    let (on, _) = org_clusters(&s, &org);
    let on = on["id"].as_str().expect("id").to_string();
    let now = now_secs();
    let (from, to) = (now - 6 * 3600, now);
    let ns = format!("z{}", &env[..8]);
    let of = |name: &str| -> (String, Vec<Value>) {
        let id = demo_container(&s, &env, name);
        let all = list(events(&s, &on, from, to, &[]));
        let prefix = format!("app-z{}-", &id[..8]);
        let mine: Vec<Value> = all
            .into_iter()
            .filter(|e| e["name"].as_str().is_some_and(|n| n.starts_with(&prefix)))
            .collect();
        assert!(!mine.is_empty(), "{name} has events");
        assert!(mine.iter().all(|e| e["namespace"] == ns.as_str()));
        (format!("app-z{}", &id[..8]), mine)
    };

    // oom-worker: an OOMKilled every 12 minutes, its count the restarts so far.
    let (kc, oom) = of("oom-worker");
    let kills: Vec<&Value> = oom.iter().filter(|e| e["reason"] == "OOMKilled").collect();
    assert!((29..=31).contains(&kills.len()), "{}", kills.len());
    for pair in kills.windows(2) {
        assert_eq!(
            pair[1]["count"].as_i64(),
            pair[0]["count"].as_i64().map(|n| n + 1)
        );
        assert_eq!(pair[1]["first_occurrence"], pair[0]["first_occurrence"]);
        let gap = secs_of(pair[1]["created_at"].as_str().unwrap_or(""))
            - secs_of(pair[0]["created_at"].as_str().unwrap_or(""));
        assert_eq!(gap, 720);
    }
    let k = kills[0];
    assert_eq!(k["type"], "Warning");
    assert_eq!(k["reporting_component"], "kubelet");
    assert_eq!(
        k["message"],
        format!("Container {kc} was OOM killed: memory limit 512Mi reached")
    );
    assert!(
        k["count"].as_i64().is_some_and(|n| n > 80),
        "a day of restarts: {k}"
    );

    // crash-loop: BackOff, and its log says why it exits.
    let (kc, crash) = of("crash-loop");
    let backoff = last(&crash, "BackOff");
    assert_eq!(backoff["type"], "Warning");
    let pod = backoff["name"].as_str().expect("pod");
    assert!(backoff["message"]
        .as_str()
        .expect("message")
        .starts_with(&format!(
            "Back-off restarting failed container {kc} in pod {pod}_{ns}("
        )));
    let log = common::results(
        &s.q(
            "GET",
            &format!("/container/{}/log", demo_container(&s, &env, "crash-loop")),
            None,
        )
        .expect(200)
        .json(),
    );
    let tail: Vec<&str> = log
        .iter()
        .rev()
        .take(2)
        .filter_map(|l| l["message"].as_str())
        .collect();
    assert_eq!(
        tail,
        [
            "Process exited with status 1",
            "Error: missing required env DATABASE_URL"
        ]
    );
    assert!(log.iter().all(|l| l["pod_name"] == pod));

    // probe-fail: its readiness probe knocks on port 80, it listens on 8080.
    let (_, probe) = of("probe-fail");
    let unhealthy = last(&probe, "Unhealthy");
    let message = unhealthy["message"].as_str().expect("message");
    assert!(
        message.starts_with("Readiness probe failed: Get \"http://10.0.")
            && message.contains(":80/health\": dial tcp 10.0.")
            && message.ends_with(":80: connect: connection refused"),
        "{message}"
    );
    let probe_container = s
        .q(
            "GET",
            &format!("/container/{}", demo_container(&s, &env, "probe-fail")),
            None,
        )
        .expect(200)
        .json();
    assert_eq!(probe_container["ports"][0]["internal_port"], 8080);
    assert_eq!(
        probe_container["healthchecks"]["readiness_probe"]["type"]["http"]["port"],
        80
    );

    // unschedulable: never scheduled, never pulled.
    let (_, unscheduled) = of("unschedulable");
    assert!(unscheduled
        .iter()
        .all(|e| e["reason"] == "FailedScheduling"));
    let failed = last(&unscheduled, "FailedScheduling");
    assert_eq!(failed["reporting_component"], "default-scheduler");
    assert_eq!(failed["type"], "Warning");
    assert_eq!(
        failed["message"],
        "0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod."
    );

    // bad-image: the pull fails, then backs off.
    let (_, bad) = of("bad-image");
    let messages: Vec<&str> = bad.iter().filter_map(|e| e["message"].as_str()).collect();
    assert!(messages.iter().any(|m| m
        .starts_with("Failed to pull image \"docker.io/nginx:v9.9.9\":")
        && m.ends_with("not found")));
    assert!(messages.contains(&"Error: ErrImagePull"));
    assert!(messages.contains(&"Error: ImagePullBackOff"));
    assert!(messages.contains(&"Back-off pulling image \"docker.io/nginx:v9.9.9\""));
    assert!(bad
        .iter()
        .any(|e| e["reason"] == "Failed" && e["type"] == "Warning"));

    // A healthy container: Normal events when its pods started (10 minutes before the seed).
    let (prod_org, prod_env) = s.demo_org_and_env();
    assert_eq!(prod_org, org);
    let web = demo_container(&s, &prod_env, "web");
    let web_events: Vec<Value> = list(events(&s, &on, now - 3600, now, &[]))
        .into_iter()
        .filter(|e| {
            e["name"]
                .as_str()
                .is_some_and(|n| n.starts_with(&format!("app-z{}-", &web[..8])))
        })
        .collect();
    let reasons: HashSet<&str> = web_events
        .iter()
        .filter_map(|e| e["reason"].as_str())
        .collect();
    for r in ["Scheduled", "Pulling", "Pulled", "Created", "Started"] {
        assert!(reasons.contains(r), "{r}: {reasons:?}");
    }
    assert!(web_events
        .iter()
        .all(|e| e["type"] == "Normal" && e["count"] == 1));
}
