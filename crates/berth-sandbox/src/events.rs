//! `GET /cluster/{clusterId}/events`: the Kubernetes events of the pods on a cluster, generated on
//! the fly from each container's run (pods.rs) and the time, nothing stored: the same window
//! always answers the same events.
//!
//! ASSUMED (the spec has no involved-object field): an event's `name` is the name of the object
//! it is about, the pod, and its `kind` is `Pod`; `namespace` is the pod's.
//!
//! Every pod that starts reports `Scheduled` (default-scheduler), `Pulling`, `Pulled`, `Created`,
//! `Started` (kubelet), and a stopped one `Killing`. The demo's diagnosis containers repeat
//! their trouble on a fixed period from their start; Kubernetes aggregates a repeated event
//! (same pod, reason and message) into one Event whose `count` grows, and each report here is
//! that Event as it was then: `count` occurrences so far, `first_occurrence` the first,
//! `last_occurrence` = `created_at` the latest. At most a few hundred reports a day per container.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::app::AppState;
use crate::errors::{q500, ApiError};
use crate::pods::{stable_hash, Behaviour, Pod, Workload};
use crate::qovery::{in_tx, Res};
use crate::series::OOM_PERIOD_S;

pub fn routes() -> Router<AppState> {
    Router::new().route("/cluster/{id}/events", get(cluster_events_route))
}

/// The longest window one request may ask for (ASSUMED).
pub const MAX_WINDOW_DAYS: i64 = 7;
/// `crash-loop`: restarted every 5 minutes (Kubernetes' longest back-off), a `BackOff` each time.
pub const CRASH_PERIOD_S: i64 = 300;
/// `unschedulable`: the scheduler tries again every 5 minutes.
pub const SCHEDULE_PERIOD_S: i64 = 300;
/// `probe-fail`: the failing probe's Event is reported every 5 minutes (its count grows by the
/// probes failed meanwhile).
pub const PROBE_REPORT_S: i64 = 300;
/// `bad-image`: a pull is tried every 20 minutes.
pub const PULL_PERIOD_S: i64 = 1200;

/// One report of an Event.
#[derive(Debug, Clone)]
pub struct Event {
    pub at_s: i64,
    pub pod: String,
    pub node: Option<String>,
    pub namespace: String,
    pub reason: &'static str,
    pub message: String,
    pub warning: bool,
    pub component: &'static str,
    pub count: i64,
    pub first_s: i64,
}

impl Event {
    pub fn to_json(&self) -> Value {
        json!({
            "created_at": crate::ids::rfc3339(self.at_s),
            "kind": "Pod",
            "namespace": self.namespace,
            "name": self.pod,
            "reason": self.reason,
            "message": self.message,
            "type": if self.warning { "Warning" } else { "Normal" },
            "reporting_component": self.component,
            "count": self.count,
            "first_occurrence": crate::ids::rfc3339(self.first_s),
            "last_occurrence": crate::ids::rfc3339(self.at_s),
        })
    }
}

/// What a repeated Event says, and when it happens: at `first + k × period`, `k >= 0`.
struct Repeated {
    reason: &'static str,
    message: String,
    warning: bool,
    component: &'static str,
    first_s: i64,
    period_s: i64,
    /// Occurrences counted by one report (a probe failing every 10 s reported every 5 min).
    per_report: i64,
}

/// The events of every pod of `workloads` in `[from_s, to_s]`, none after `now_s`, oldest first.
pub fn cluster_events(workloads: &[Workload], from_s: i64, to_s: i64, now_s: i64) -> Vec<Event> {
    let mut out = Vec::new();
    for w in workloads {
        for pod in &w.pods {
            let end = pod.end_s.map_or(now_s, |e| e.min(now_s)).min(to_s);
            if end < from_s {
                continue;
            }
            pod_events(w, pod, from_s, end, &mut out);
        }
    }
    out.sort_by(|a, b| {
        (a.at_s, &a.pod, a.reason, &a.message).cmp(&(b.at_s, &b.pod, b.reason, &b.message))
    });
    out
}

/// The events of one pod within `[from, to]` (`to` already cut at the pod's end and now).
fn pod_events(w: &Workload, pod: &Pod, from: i64, to: i64, out: &mut Vec<Event>) {
    let start = pod.start_s;
    let kc = &w.kube_container;
    let image = &w.image;
    let event = |at: i64, reason: &'static str, component: &'static str, message: String| Event {
        at_s: at,
        pod: pod.name.clone(),
        node: pod.node.clone(),
        namespace: w.namespace.clone(),
        reason,
        message,
        warning: false,
        component,
        count: 1,
        first_s: at,
    };
    let mut singles = Vec::new();
    if let Some(node) = &pod.node {
        singles.push(event(
            start,
            "Scheduled",
            "default-scheduler",
            format!(
                "Successfully assigned {}/{} to {node}",
                w.namespace, pod.name
            ),
        ));
        singles.push(event(
            start + 1,
            "Pulling",
            "kubelet",
            format!("Pulling image \"{image}\""),
        ));
    }
    if !matches!(w.behaviour, Behaviour::Unschedulable | Behaviour::BadImage) {
        let took = 1.0 + (stable_hash(&[&pod.name, "pull"]) % 4000) as f64 / 1000.0;
        let size = 20_000_000 + stable_hash(&[image, "size"]) % 180_000_000;
        singles.push(event(
            start + 3,
            "Pulled",
            "kubelet",
            format!(
                "Successfully pulled image \"{image}\" in {took:.3}s ({took:.3}s including waiting). Image size: {size} bytes."
            ),
        ));
        singles.push(event(
            start + 3,
            "Created",
            "kubelet",
            format!("Created container: {kc}"),
        ));
        singles.push(event(
            start + 4,
            "Started",
            "kubelet",
            format!("Started container {kc}"),
        ));
    }
    if let Some(end) = pod.end_s {
        singles.push(event(
            end,
            "Killing",
            "kubelet",
            format!("Stopping container {kc}"),
        ));
    }
    out.extend(
        singles
            .into_iter()
            .filter(|e| (from..=to).contains(&e.at_s)),
    );
    for r in repeated(w, pod) {
        // The reports k >= 0 with from <= first + k × period <= to.
        let k_lo = (from - r.first_s + r.period_s - 1)
            .div_euclid(r.period_s)
            .max(0);
        let k_hi = (to - r.first_s).div_euclid(r.period_s);
        for k in k_lo..=k_hi {
            let at = r.first_s + k * r.period_s;
            out.push(Event {
                warning: r.warning,
                count: k * r.per_report + 1,
                first_s: r.first_s,
                ..event(at, r.reason, r.component, r.message.clone())
            });
        }
    }
}

/// The repeated Events of a diagnosis container's pod.
fn repeated(w: &Workload, pod: &Pod) -> Vec<Repeated> {
    let start = pod.start_s;
    let kc = &w.kube_container;
    let image = &w.image;
    let warn = |reason, component, message, first_s, period_s| Repeated {
        reason,
        message,
        warning: true,
        component,
        first_s,
        period_s,
        per_report: 1,
    };
    match w.behaviour {
        Behaviour::Healthy => vec![],
        Behaviour::OomKilled => vec![warn(
            "OOMKilled",
            "kubelet",
            format!(
                "Container {kc} was OOM killed: memory limit {}Mi reached",
                w.memory_mb
            ),
            start + OOM_PERIOD_S,
            OOM_PERIOD_S,
        )],
        Behaviour::CrashLoop => vec![warn(
            "BackOff",
            "kubelet",
            format!(
                "Back-off restarting failed container {kc} in pod {}_{}({})",
                pod.name, w.namespace, pod.uid
            ),
            start + 30,
            CRASH_PERIOD_S,
        )],
        Behaviour::ProbeFail => {
            let probe = &w.readiness;
            let delay = probe["initial_delay_seconds"].as_i64().unwrap_or(30).max(0);
            let period = probe["period_seconds"].as_i64().unwrap_or(10).max(1);
            let first = start + delay;
            vec![Repeated {
                per_report: (PROBE_REPORT_S / period).max(1),
                ..warn(
                    "Unhealthy",
                    "kubelet",
                    probe_failure(probe, &pod.ip),
                    first,
                    PROBE_REPORT_S,
                )
            }]
        }
        Behaviour::Unschedulable => vec![warn(
            "FailedScheduling",
            "default-scheduler",
            "0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.".to_string(),
            start,
            SCHEDULE_PERIOD_S,
        )],
        Behaviour::BadImage => {
            let pull = start + 2;
            let backoff = start + 12;
            vec![
                warn(
                    "Failed",
                    "kubelet",
                    format!(
                        "Failed to pull image \"{image}\": rpc error: code = NotFound desc = failed to pull and unpack image \"{image}\": failed to resolve reference \"{image}\": {image}: not found"
                    ),
                    pull,
                    PULL_PERIOD_S,
                ),
                warn(
                    "Failed",
                    "kubelet",
                    "Error: ErrImagePull".to_string(),
                    pull,
                    PULL_PERIOD_S,
                ),
                Repeated {
                    warning: false,
                    ..warn(
                        "BackOff",
                        "kubelet",
                        format!("Back-off pulling image \"{image}\""),
                        backoff,
                        PULL_PERIOD_S,
                    )
                },
                warn(
                    "Failed",
                    "kubelet",
                    "Error: ImagePullBackOff".to_string(),
                    backoff,
                    PULL_PERIOD_S,
                ),
            ]
        }
    }
}

/// What the kubelet says when a readiness probe cannot connect: `probe` is the container's
/// `readiness_probe` (its port is one nothing listens on).
fn probe_failure(probe: &Value, ip: &str) -> String {
    let kind = &probe["type"];
    if let Some(http) = kind.get("http").filter(|v| v.is_object()) {
        let port = http["port"].as_i64().unwrap_or(80);
        let path = http["path"].as_str().unwrap_or("/");
        let scheme = http["scheme"]
            .as_str()
            .unwrap_or("HTTP")
            .to_ascii_lowercase();
        format!(
            "Readiness probe failed: Get \"{scheme}://{ip}:{port}{path}\": dial tcp {ip}:{port}: connect: connection refused"
        )
    } else {
        let port = kind
            .get("tcp")
            .or_else(|| kind.get("grpc"))
            .and_then(|t| t["port"].as_i64())
            .unwrap_or(80);
        format!("Readiness probe failed: dial tcp {ip}:{port}: connect: connection refused")
    }
}

/// Reads the window and the filters of a request: 400 naming the parameter when one is wrong.
pub struct EventQuery {
    pub from_s: i64,
    pub to_s: i64,
    pub pod_name: Option<String>,
    pub reporting_component: Option<String>,
    pub node_name: Option<String>,
}

impl EventQuery {
    pub fn parse(q: &HashMap<String, String>) -> Result<EventQuery, ApiError> {
        let bad = |msg: String| ApiError::qovery(StatusCode::BAD_REQUEST, msg);
        let date = |name: &str| -> Result<i64, ApiError> {
            let v = q.get(name).map(|v| v.trim()).filter(|v| !v.is_empty());
            let v = v.ok_or_else(|| {
                bad(format!(
                    "{name}: required, an ISO-8601 date-time such as 2025-03-03T09:00:00%2B00:00"
                ))
            })?;
            crate::times::parse_iso8601(v)
                .map(|ms| ms.div_euclid(1000))
                .map_err(|e| bad(format!("{name}: {e}")))
        };
        let from_s = date("from_date_time")?;
        let to_s = date("to_date_time")?;
        if to_s < from_s {
            return Err(bad(
                "to_date_time: must not be before from_date_time".to_string()
            ));
        }
        if to_s - from_s > MAX_WINDOW_DAYS * 86_400 {
            return Err(bad(format!(
                "to_date_time: the window may be at most {MAX_WINDOW_DAYS} days long"
            )));
        }
        let opt = |name: &str| {
            q.get(name)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        Ok(EventQuery {
            from_s,
            to_s,
            pod_name: opt("pod_name"),
            reporting_component: opt("reporting_component"),
            node_name: opt("node_name"),
        })
    }

    pub fn keeps(&self, e: &Event) -> bool {
        self.pod_name.as_ref().is_none_or(|p| *p == e.pod)
            && self
                .reporting_component
                .as_ref()
                .is_none_or(|c| c == e.component)
            && self
                .node_name
                .as_ref()
                .is_none_or(|n| e.node.as_ref() == Some(n))
    }
}

/// The events of the cluster's pods in the window, filtered, oldest first (ASSUMED order).
async fn cluster_events_route(
    State(s): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Res {
    in_tx(&s, move |_, t| {
        let cluster = crate::clusters::must_get_cluster(t, &id)?;
        let query = EventQuery::parse(&q)?;
        let workloads = crate::pods::cluster_workloads(t, &cluster).map_err(q500)?;
        let now_s = crate::ids::now_secs();
        let results: Vec<Value> = cluster_events(&workloads, query.from_s, query.to_s, now_s)
            .iter()
            .filter(|e| query.keeps(e))
            .map(Event::to_json)
            .collect();
        Ok(Json(json!({ "results": results })).into_response())
    })
    .await
}
