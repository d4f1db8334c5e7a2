//! Cluster metrics (#29): the spec's `ClusterMetricsResponse` holding Prometheus' HTTP API JSON,
//! the PromQL subset over the pods' deterministic series, the OOM container's memory against its
//! OOMKilled events, and the errors. Every query passes explicit times; no sleeps.

mod common;

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use common::spec::{Checker, Spec};
use common::{
    demo_container, diagnosis_env, events, eventually, metrics, now_secs, org_clusters,
    prometheus_result, results, secs_of, values, Server,
};
use serde_json::Value;

const MIB: f64 = 1_048_576.0;

fn range(s: &Server, cluster: &str, query: &str, start: i64, end: i64, step: &str) -> Vec<Value> {
    let (start, end) = (start.to_string(), end.to_string());
    prometheus_result(
        metrics(
            s,
            cluster,
            &[
                ("endpoint", "api/v1/query_range"),
                ("query", query),
                ("start", &start),
                ("end", &end),
                ("step", step),
            ],
        ),
        "matrix",
    )
}

fn instant(s: &Server, cluster: &str, query: &str, time: i64) -> Vec<Value> {
    let time = time.to_string();
    prometheus_result(
        metrics(
            s,
            cluster,
            &[
                ("endpoint", "api/v1/query"),
                ("query", query),
                ("time", &time),
            ],
        ),
        "vector",
    )
}

fn value_of(sample: &Value) -> f64 {
    sample["value"][1]
        .as_str()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no value in {sample}"))
}

#[test]
fn answers_match_the_spec_and_are_prometheus_json() {
    let s = Server::start(&["--demo-diagnosis"]);
    let (org, env) = diagnosis_env(&s);
    let (on, _) = org_clusters(&s, &org);
    let on = on["id"].as_str().expect("id").to_string();
    let oom = demo_container(&s, &env, "oom-worker");
    let mut c = Checker {
        s: &s,
        spec: Spec::load(),
        checked: 0,
    };
    let now = now_secs();
    let template = "/cluster/{clusterId}/metrics";
    let (start, end) = ((now - 600).to_string(), now.to_string());
    let query = format!("container_memory_working_set_bytes{{qovery_com_service_id=\"{oom}\"}}");
    let path = common::with_query(
        &format!("/cluster/{on}/metrics"),
        &[
            ("endpoint", "api/v1/query_range"),
            ("query", &query),
            ("start", &start),
            ("end", &end),
            ("step", "30s"),
        ],
    );
    let answer = c.call("get", template, &path, None, 200);
    let text = answer["metrics"].as_str().expect("a string");
    assert!(
        text.starts_with(
            r#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"#
        ),
        "{text}"
    );
    let matrix: Value = serde_json::from_str(text).expect("JSON");
    let result = matrix["data"]["result"].as_array().expect("result");
    assert_eq!(result.len(), 1);
    let series = result[0].as_object().expect("a series");
    assert_eq!(
        series.keys().collect::<Vec<_>>(),
        ["metric", "values"],
        "exactly Prometheus' fields"
    );
    let labels = series["metric"].as_object().expect("labels");
    let mut names: Vec<&str> = labels.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "__name__",
            "container",
            "namespace",
            "pod",
            "qovery_com_service_id"
        ]
    );
    assert_eq!(labels["__name__"], "container_memory_working_set_bytes");
    assert_eq!(labels["namespace"], format!("z{}", &env[..8]).as_str());
    assert_eq!(labels["container"], format!("app-z{}", &oom[..8]).as_str());
    assert_eq!(labels["qovery_com_service_id"], oom.as_str());
    let points = values(&result[0]);
    assert_eq!(points.len(), 21, "every 30 s over ten minutes");
    for (i, (t, _)) in points.iter().enumerate() {
        assert_eq!(*t, (now - 600 + 30 * i as i64) as f64);
    }
    for p in result[0]["values"].as_array().expect("values") {
        assert!(p[0].is_i64(), "whole seconds are written as integers: {p}");
        assert!(p[1].is_string(), "values are strings: {p}");
    }

    let t = now.to_string();
    let path = common::with_query(
        &format!("/cluster/{on}/metrics"),
        &[
            ("endpoint", "api/v1/query"),
            (
                "query",
                "sum by (namespace) (kube_pod_container_resource_requests{resource=\"cpu\"})",
            ),
            ("time", &t),
        ],
    );
    let answer = c.call("get", template, &path, None, 200);
    let vector: Value =
        serde_json::from_str(answer["metrics"].as_str().expect("a string")).expect("JSON");
    assert_eq!(vector["status"], "success");
    assert_eq!(vector["data"]["resultType"], "vector");
    let result = vector["data"]["result"].as_array().expect("result");
    assert!(!result.is_empty());
    for r in result {
        let keys: Vec<&String> = r.as_object().expect("sample").keys().collect();
        assert_eq!(keys, ["metric", "value"]);
        assert_eq!(r["value"][0], now);
        assert_eq!(
            r["metric"]
                .as_object()
                .map(|m| m.keys().map(String::as_str).collect::<Vec<_>>()),
            Some(vec!["namespace"])
        );
    }
    // RFC 3339 times and float steps are taken too.
    let rfc = range(&s, &on, &query, now - 600, now, "30");
    let again = prometheus_result(
        metrics(
            &s,
            &on,
            &[
                ("endpoint", "/api/v1/query_range"),
                ("query", &query),
                ("start", &common::iso(now - 600)),
                ("end", &common::iso(now)),
                ("step", "30.0"),
            ],
        ),
        "matrix",
    );
    assert_eq!(rfc, again);
    assert!(c.checked >= 2);
}

#[test]
fn cpu_rates_memory_and_limits_are_plausible() {
    let s = Server::start(&["--demo-diagnosis"]);
    let (org, env) = diagnosis_env(&s);
    let (on, _) = org_clusters(&s, &org);
    let on = on["id"].as_str().expect("id").to_string();
    let now = now_secs();
    let limits: HashMap<String, f64> = instant(
        &s,
        &on,
        "kube_pod_container_resource_limits{resource=\"cpu\", unit=\"core\"}",
        now,
    )
    .iter()
    .map(|r| {
        (
            r["metric"]["pod"].as_str().expect("pod").to_string(),
            value_of(r),
        )
    })
    .collect();
    // web ×2 in production and staging, oom-worker and probe-fail in diagnosis.
    assert_eq!(limits.len(), 6, "{limits:?}");
    let rates = range(
        &s,
        &on,
        "sum by (pod) (rate(container_cpu_usage_seconds_total{container!=\"\"}[5m]))",
        now - 1800,
        now,
        "60",
    );
    assert_eq!(rates.len(), 6);
    for r in &rates {
        let pod = r["metric"]["pod"].as_str().expect("pod");
        assert_eq!(
            r["metric"].as_object().map(|m| m.len()),
            Some(1),
            "only `pod`"
        );
        let limit = limits[pod];
        let points = values(r);
        assert!(points.len() >= 10, "{pod}: {}", points.len());
        for (t, v) in points {
            assert!(v > 0.0 && v < limit, "{pod} at {t}: {v} cores of {limit}");
        }
    }
    // Memory of the healthy: under the limit.
    let memory_limits: HashMap<String, f64> = instant(
        &s,
        &on,
        "kube_pod_container_resource_limits{resource=\"memory\"}",
        now,
    )
    .iter()
    .map(|r| {
        (
            r["metric"]["pod"].as_str().expect("pod").to_string(),
            value_of(r),
        )
    })
    .collect();
    for r in range(
        &s,
        &on,
        "container_memory_working_set_bytes",
        now - 1800,
        now,
        "1m",
    ) {
        let pod = r["metric"]["pod"].as_str().expect("pod");
        for (_, v) in values(&r) {
            assert!(v > 0.0 && v <= memory_limits[pod], "{pod}: {v}");
        }
    }

    // The configured resources, in bytes and cores.
    let oom = demo_container(&s, &env, "oom-worker");
    let limit = instant(
        &s,
        &on,
        &format!("kube_pod_container_resource_limits{{resource=\"memory\", qovery_com_service_id=\"{oom}\"}}"),
        now,
    );
    assert_eq!(limit.len(), 1);
    assert_eq!(limit[0]["value"][1], "536870912", "512 MB");
    assert_eq!(limit[0]["metric"]["unit"], "byte");
    let request = instant(
        &s,
        &on,
        &format!(
            "kube_pod_container_resource_requests{{resource=\"cpu\", container=\"app-z{}\"}}",
            &oom[..8]
        ),
        now,
    );
    assert_eq!(request.len(), 1);
    assert_eq!(request[0]["value"][1], "0.5");

    // Regex matchers; containers that never ran (or keep crashing) have no series.
    let probe = demo_container(&s, &env, "probe-fail");
    let both = instant(
        &s,
        &on,
        &format!(
            "container_memory_working_set_bytes{{pod=~\"app-z{}.*|app-z{}.*\"}}",
            &oom[..8],
            &probe[..8]
        ),
        now,
    );
    assert_eq!(both.len(), 2);
    let rest = instant(
        &s,
        &on,
        &format!(
            "container_memory_working_set_bytes{{pod!~\"app-z({}|{}).*\"}}",
            &oom[..8],
            &probe[..8]
        ),
        now,
    );
    assert_eq!(rest.len(), 4, "the four web pods");
    for name in ["crash-loop", "unschedulable", "bad-image"] {
        let id = demo_container(&s, &env, name);
        for metric in [
            "container_cpu_usage_seconds_total",
            "container_memory_working_set_bytes",
            "kube_pod_container_resource_limits",
        ] {
            let q = format!("{metric}{{qovery_com_service_id=\"{id}\"}}");
            assert!(
                range(&s, &on, &q, now - 3600, now, "5m").is_empty(),
                "{name}: {metric}"
            );
        }
    }
    // A plain sum: one series without labels.
    let total = instant(
        &s,
        &on,
        "sum(kube_pod_container_resource_limits{resource=\"memory\"})",
        now,
    );
    assert_eq!(total.len(), 1);
    assert_eq!(total[0]["metric"], serde_json::json!({}));
    assert_eq!(value_of(&total[0]), memory_limits.values().sum::<f64>());
}

#[test]
fn oom_kills_line_up_with_memory_drops() {
    let s = Server::start(&["--demo-diagnosis"]);
    let (org, env) = diagnosis_env(&s);
    let (on, _) = org_clusters(&s, &org);
    let on = on["id"].as_str().expect("id").to_string();
    let oom = demo_container(&s, &env, "oom-worker");
    let now = now_secs();
    let (start, end) = (now - 2 * 3600, now);
    let memory = range(
        &s,
        &on,
        &format!("container_memory_working_set_bytes{{qovery_com_service_id=\"{oom}\"}}"),
        start,
        end,
        "15s",
    );
    assert_eq!(memory.len(), 1);
    let pod = memory[0]["metric"]["pod"]
        .as_str()
        .expect("pod")
        .to_string();
    let points = values(&memory[0]);
    let limit = 512.0 * MIB;
    assert!(points.iter().all(|(_, v)| *v <= limit));
    let kills: Vec<i64> = results(
        &events(&s, &on, start, end, &[("pod_name", &pod)])
            .expect(200)
            .json(),
    )
    .iter()
    .filter(|e| e["reason"] == "OOMKilled")
    .map(|e| secs_of(e["created_at"].as_str().expect("created_at")))
    .collect();
    assert!(
        (9..=11).contains(&kills.len()),
        "every 12 minutes: {kills:?}"
    );
    let mut checked = 0;
    for t in kills {
        if t - start < 60 || end - t < 60 {
            continue;
        }
        let before = points
            .iter()
            .filter(|(ts, _)| (t - 45..t).contains(&(*ts as i64)))
            .map(|p| p.1)
            .fold(0.0, f64::max);
        let after = points
            .iter()
            .filter(|(ts, _)| (t + 15..=t + 60).contains(&(*ts as i64)))
            .map(|p| p.1)
            .fold(f64::INFINITY, f64::min);
        assert!(
            before >= 0.9 * limit,
            "at {t}: {:.0} MiB just before the kill",
            before / MIB
        );
        assert!(
            after <= 0.25 * limit,
            "at {t}: {:.0} MiB just after the kill",
            after / MIB
        );
        checked += 1;
    }
    assert!(checked >= 8, "{checked} kills checked");
    // Memory drops only at kills: between two, it climbs.
    let drops = points.windows(2).filter(|w| w[1].1 < w[0].1).count();
    assert!((9..=11).contains(&drops), "{drops} drops");
    // The log, the events and the metrics name the same pod.
    let log = results(
        &s.q("GET", &format!("/container/{oom}/log"), None)
            .expect(200)
            .json(),
    );
    let log_pods: HashSet<&str> = log.iter().filter_map(|l| l["pod_name"].as_str()).collect();
    assert_eq!(log_pods, HashSet::from([pod.as_str()]));
}

#[test]
fn refusals_say_why() {
    let s = Server::start(&["--demo"]);
    let (org, _) = s.demo_org_and_env();
    let (on, off) = org_clusters(&s, &org);
    let (on, off) = (
        on["id"].as_str().expect("id").to_string(),
        off["id"].as_str().expect("id").to_string(),
    );
    let now = now_secs();
    let q =
        |cluster: &str, params: &[(&str, &str)]| metrics(&s, cluster, params).expect(400).json();
    let memory = "container_memory_working_set_bytes";

    // Metrics off: the usual error, no Prometheus answer.
    let refused = q(&off, &[("endpoint", "api/v1/query"), ("query", memory)]);
    assert!(
        refused["detail"].as_str().is_some_and(
            |d| d.starts_with("metrics are not enabled on cluster `sandbox-cluster-us`")
        ),
        "{refused}"
    );
    assert!(refused.get("metrics").is_none());

    // Not understood: `bad_data`, with Prometheus' own error in `metrics`.
    let bad_data = |params: &[(&str, &str)], says: &str| {
        let v = q(&on, params);
        let detail = v["detail"].as_str().unwrap_or_default();
        assert!(
            detail.starts_with("bad_data: ") && detail.contains(says),
            "{says}: {v}"
        );
        let text = v["metrics"].as_str().expect("metrics");
        assert!(
            text.starts_with(r#"{"status":"error","errorType":"bad_data","error":"#),
            "{text}"
        );
        let prom: Value = serde_json::from_str(text).expect("JSON");
        assert_eq!(prom["error"].as_str(), detail.strip_prefix("bad_data: "));
    };
    bad_data(
        &[("endpoint", "api/v1/query"), ("query", "up")],
        "unknown metric `up`",
    );
    bad_data(
        &[
            ("endpoint", "api/v1/query"),
            ("query", "avg(container_memory_working_set_bytes)"),
        ],
        "not supported",
    );
    bad_data(
        &[
            ("endpoint", "api/v1/query"),
            ("query", "container_memory_working_set_bytes > 1"),
        ],
        "binary operators",
    );
    bad_data(
        &[("endpoint", "api/v1/query"), ("query", "sum(")],
        "parse error",
    );
    bad_data(&[("endpoint", "api/v1/query")], "empty query");
    let (day_ago, now_s) = ((now - 2 * 86_400).to_string(), now.to_string());
    let too_many = [
        ("endpoint", "api/v1/query_range"),
        ("query", memory),
        ("start", day_ago.as_str()),
        ("end", now_s.as_str()),
        ("step", "15"),
    ];
    bad_data(
        &too_many,
        "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)",
    );
    // 11,000 steps are still answered.
    let edge = (now - 11_000 * 15).to_string();
    let ok = prometheus_result(
        metrics(
            &s,
            &on,
            &[
                ("endpoint", "api/v1/query_range"),
                (
                    "query",
                    "kube_pod_container_resource_limits{resource=\"memory\"}",
                ),
                ("start", &edge),
                ("end", &now_s),
                ("step", "15"),
            ],
        ),
        "matrix",
    );
    assert!(!ok.is_empty());
    bad_data(
        &[
            ("endpoint", "api/v1/query_range"),
            ("query", memory),
            ("start", "soon"),
            ("end", &now_s),
            ("step", "15"),
        ],
        "invalid parameter \"start\"",
    );
    bad_data(
        &[
            ("endpoint", "api/v1/query_range"),
            ("query", memory),
            ("start", &now_s),
            ("end", &day_ago),
            ("step", "15"),
        ],
        "end timestamp must not be before start time",
    );
    bad_data(
        &[
            ("endpoint", "api/v1/query_range"),
            ("query", memory),
            ("start", &day_ago),
            ("end", &now_s),
            ("step", "0"),
        ],
        "zero or negative query resolution step",
    );
    bad_data(
        &[
            ("endpoint", "api/v1/query"),
            ("query", memory),
            ("time", "later"),
        ],
        "invalid parameter \"time\"",
    );
    // The request itself: the usual error.
    for (params, says) in [
        (vec![("query", memory)], "endpoint: required"),
        (
            vec![("endpoint", "api/v1/series"), ("query", memory)],
            "not answered by the sandbox",
        ),
    ] {
        let v = q(&on, &params);
        assert!(
            v["detail"].as_str().is_some_and(|d| d.contains(says)),
            "{v}"
        );
        assert!(v.get("metrics").is_none());
    }
}

#[test]
fn a_stopped_container_has_no_series_after_it_stops_and_a_new_run_has_new_pods() {
    let s = Server::start(&["--demo", "--provision-ms", "300"]);
    let (org, env) = s.demo_org_and_env();
    let (on, _) = org_clusters(&s, &org);
    let on = on["id"].as_str().expect("id").to_string();
    let web = demo_container(&s, &env, "web");
    let query = format!("container_memory_working_set_bytes{{qovery_com_service_id=\"{web}\"}}");
    let before = now_secs();
    let running = instant(&s, &on, &query, before);
    assert_eq!(running.len(), 2, "two instances");
    let state = |s: &Server| {
        s.q("GET", &format!("/container/{web}/status"), None)
            .expect(200)
            .json()["state"]
            .clone()
    };
    s.q("POST", &format!("/container/{web}/stop"), None)
        .expect(202);
    eventually(Duration::from_secs(5), || {
        (state(&s) == "STOPPED").then_some(())
    });
    let stopped_by = now_secs() + 1;
    assert!(
        instant(&s, &on, &query, stopped_by).is_empty(),
        "no series once stopped"
    );
    let history = range(&s, &on, &query, before - 600, stopped_by + 60, "5");
    assert_eq!(history.len(), 2);
    for series in &history {
        let points = values(series);
        assert!(points.first().is_some_and(|p| p.0 < before as f64));
        assert!(
            points.last().is_some_and(|p| p.0 <= stopped_by as f64),
            "{points:?}"
        );
    }
    let events_now = results(
        &events(&s, &on, before - 1, stopped_by, &[])
            .expect(200)
            .json(),
    );
    let old_pods: HashSet<String> = running
        .iter()
        .filter_map(|r| r["metric"]["pod"].as_str().map(str::to_string))
        .collect();
    assert!(events_now
        .iter()
        .any(|e| e["reason"] == "Killing" && old_pods.contains(e["name"].as_str().unwrap_or(""))));

    // Deployed again: new pods, in the metrics, the events and the log alike.
    s.q("POST", &format!("/container/{web}/deploy"), None)
        .expect(202);
    eventually(Duration::from_secs(5), || {
        (state(&s) == "DEPLOYED").then_some(())
    });
    // The new pods' first samples come with the next scrape (within 15 s).
    let fresh: HashSet<String> = eventually(Duration::from_secs(20), || {
        let pods: HashSet<String> = instant(&s, &on, &query, now_secs())
            .iter()
            .filter_map(|r| r["metric"]["pod"].as_str().map(str::to_string))
            .collect();
        (!pods.is_empty()).then_some(pods)
    });
    let later = now_secs();
    // As many as its min_running_instances (1; the demo's first run had 2).
    assert_eq!(fresh.len(), 1);
    assert!(fresh.is_disjoint(&old_pods));
    let log: HashSet<String> = results(
        &s.q("GET", &format!("/container/{web}/log"), None)
            .expect(200)
            .json(),
    )
    .iter()
    .filter_map(|l| l["pod_name"].as_str().map(str::to_string))
    .collect();
    assert_eq!(log, fresh);
    let started: HashSet<String> = results(
        &events(&s, &on, stopped_by - 5, later, &[])
            .expect(200)
            .json(),
    )
    .iter()
    .filter(|e| e["reason"] == "Scheduled")
    .filter_map(|e| e["name"].as_str().map(str::to_string))
    .collect();
    assert!(fresh.is_subset(&started), "{fresh:?} {started:?}");
}
