//! `GET /cluster/{clusterId}/metrics?endpoint=...&query=...`: Qovery's proxy to the cluster's
//! Prometheus. The answer is the spec's `ClusterMetricsResponse`, `{"metrics": "<string>"}`,
//! the string being Prometheus' HTTP API answer, e.g.
//! `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{...},"values":[[1700000000,"0.25"]]}]}}`.
//!
//! - `endpoint=api/v1/query_range` with `start`, `end` (unix seconds or RFC 3339) and `step`
//!   (seconds or a duration): a matrix; more than 11,000 points per series is refused as
//!   Prometheus refuses it. `endpoint=api/v1/query` with `time` (default now): a vector.
//! - The query is PromQL of the sandbox's subset (prometheus.rs), over the series of the pods on
//!   the cluster (series.rs): `container_cpu_usage_seconds_total`,
//!   `container_memory_working_set_bytes`, `kube_pod_container_resource_limits` and
//!   `kube_pod_container_resource_requests` (`resource="cpu"` in cores, `"memory"` in bytes),
//!   each labelled `namespace`, `pod`, `container`, `qovery_com_service_id`.
//! - ASSUMED errors: a cluster without metrics is a 400 (`metrics are not enabled on cluster
//!   ...`, no `metrics` field); a query or parameter Prometheus would refuse (and, unlike
//!   Prometheus, an unknown metric name) is a 400 whose `detail` starts with `bad_data: ` and
//!   whose `metrics` holds Prometheus' own error, `{"status":"error","errorType":"bad_data",
//!   "error":"..."}`.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::app::AppState;
use crate::errors::{q500, ApiError};
use crate::pods::Workload;
use crate::prometheus::{self, Labels, Points, Samples, Series, Source};
use crate::qovery::{blocking, Res};
use crate::series::{Metric, PodSignal};

pub fn routes() -> Router<AppState> {
    Router::new().route("/cluster/{id}/metrics", get(cluster_metrics))
}

/// Prometheus' limit on a range query's resolution.
pub const MAX_POINTS: i64 = 11_000;

const CPU: &str = "container_cpu_usage_seconds_total";
const MEMORY: &str = "container_memory_working_set_bytes";
const LIMITS: &str = "kube_pod_container_resource_limits";
const REQUESTS: &str = "kube_pod_container_resource_requests";
const KNOWN: [&str; 4] = [CPU, MEMORY, LIMITS, REQUESTS];

/// The series of the running pods of a cluster's workloads.
pub struct ClusterSource {
    pods: Vec<(Labels, PodSignal)>,
}

impl ClusterSource {
    pub fn new(workloads: &[Workload], now_ms: i64) -> ClusterSource {
        let mut pods = Vec::new();
        for w in workloads.iter().filter(|w| w.behaviour.has_series()) {
            for pod in &w.pods {
                let labels: Labels = [
                    ("namespace", w.namespace.as_str()),
                    ("pod", pod.name.as_str()),
                    ("container", w.kube_container.as_str()),
                    ("qovery_com_service_id", w.container_id.as_str()),
                ]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
                pods.push((labels, PodSignal::new(w, pod, now_ms)));
            }
        }
        ClusterSource { pods }
    }
}

struct PodSamples<'a> {
    signal: &'a PodSignal,
    metric: Metric,
}

impl Samples for PodSamples<'_> {
    fn range(&self, from_ms: i64, to_ms: i64) -> Points {
        self.signal
            .sample_times(from_ms, to_ms)
            .map(|t| (t, self.signal.value(self.metric, t)))
            .collect()
    }

    fn at(&self, t_ms: i64) -> Option<f64> {
        self.signal
            .latest(t_ms)
            .map(|s| self.signal.value(self.metric, s))
    }
}

impl Source for ClusterSource {
    fn series(&self, metric: &str) -> Option<Vec<Series<'_>>> {
        let kinds: &[(Metric, &[(&str, &str)])] = match metric {
            CPU => &[(Metric::CpuSeconds, &[])],
            MEMORY => &[(Metric::MemoryBytes, &[])],
            LIMITS | REQUESTS => &[
                (Metric::CpuCores, &[("resource", "cpu"), ("unit", "core")]),
                (
                    Metric::MemoryLimitBytes,
                    &[("resource", "memory"), ("unit", "byte")],
                ),
            ],
            _ => return None,
        };
        let mut out = Vec::new();
        for (labels, signal) in &self.pods {
            for (kind, extra) in kinds {
                let mut labels = labels.clone();
                labels.insert("__name__".into(), metric.into());
                for (k, v) in *extra {
                    labels.insert((*k).into(), (*v).into());
                }
                out.push(Series {
                    labels,
                    samples: Box::new(PodSamples {
                        signal,
                        metric: *kind,
                    }),
                });
            }
        }
        Some(out)
    }

    fn known(&self) -> &[&str] {
        &KNOWN
    }
}

/// Why a metrics request is refused.
#[derive(Debug)]
pub enum Refusal {
    /// The request itself (a missing or unknown `endpoint`): the API's usual 400.
    Api(ApiError),
    /// What Prometheus would refuse as `bad_data`.
    BadData(String),
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        match self {
            Refusal::Api(e) => e.into_response(),
            Refusal::BadData(msg) => {
                // Prometheus' key order.
                let prometheus = format!(
                    "{{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":{}}}",
                    Value::String(msg.clone())
                );
                (
                    StatusCode::BAD_REQUEST,
                    Json(json!({
                        "status": 400,
                        "detail": format!("bad_data: {msg}"),
                        "metrics": prometheus,
                    })),
                )
                    .into_response()
            }
        }
    }
}

fn bad(msg: impl Into<String>) -> Refusal {
    Refusal::Api(ApiError::qovery(StatusCode::BAD_REQUEST, msg))
}

fn param<'a>(q: &'a HashMap<String, String>, name: &str) -> &'a str {
    q.get(name).map_or("", |v| v.trim())
}

fn time_param(q: &HashMap<String, String>, name: &str) -> Result<i64, Refusal> {
    let v = param(q, name);
    crate::times::parse_prometheus_time(v).ok_or_else(|| {
        Refusal::BadData(format!(
            "invalid parameter \"{name}\": cannot parse \"{v}\" to a valid timestamp"
        ))
    })
}

/// Prometheus' answer (the `metrics` string) to the request `q` over `workloads` at `now_ms`.
pub fn answer(
    q: &HashMap<String, String>,
    workloads: &[Workload],
    now_ms: i64,
) -> Result<String, Refusal> {
    let endpoint = param(q, "endpoint");
    if endpoint.is_empty() {
        return Err(bad(
            "endpoint: required, `api/v1/query_range` or `api/v1/query`",
        ));
    }
    let (times, range) = match endpoint.trim_start_matches('/') {
        "api/v1/query_range" => {
            let start = time_param(q, "start")?;
            let end = time_param(q, "end")?;
            if end < start {
                return Err(Refusal::BadData(
                    "end timestamp must not be before start time".into(),
                ));
            }
            let step_text = param(q, "step");
            let step = crate::times::parse_step(step_text).ok_or_else(|| {
                Refusal::BadData(format!(
                    "invalid parameter \"step\": cannot parse \"{step_text}\" to a valid duration"
                ))
            })?;
            if step <= 0 {
                return Err(Refusal::BadData(
                    "zero or negative query resolution step widths are not accepted. Try a positive integer".into(),
                ));
            }
            let n = (end - start) / step;
            if n > MAX_POINTS {
                return Err(Refusal::BadData(
                    "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)".into(),
                ));
            }
            ((0..=n).map(|i| start + i * step).collect::<Vec<_>>(), true)
        }
        "api/v1/query" => {
            let t = if param(q, "time").is_empty() {
                now_ms
            } else {
                time_param(q, "time")?
            };
            (vec![t], false)
        }
        other => {
            let answered = "api/v1/query_range, api/v1/query";
            return Err(bad(format!(
                "endpoint: `{other}` is not answered by the sandbox ({answered})"
            )));
        }
    };
    let expr = prometheus::parse(param(q, "query")).map_err(Refusal::BadData)?;
    let source = ClusterSource::new(workloads, now_ms);
    let series = prometheus::eval(&expr, &source, &times).map_err(Refusal::BadData)?;
    let result: Vec<Value> = series
        .into_iter()
        .map(|(labels, points)| {
            if range {
                let values: Vec<Value> = points
                    .iter()
                    .map(|&(t, v)| json!([timestamp(t), value(v)]))
                    .collect();
                json!({"metric": labels, "values": values})
            } else {
                let (t, v) = points.first().copied().unwrap_or((now_ms, f64::NAN));
                json!({"metric": labels, "value": [timestamp(t), value(v)]})
            }
        })
        .collect();
    let kind = if range { "matrix" } else { "vector" };
    // Written by hand to keep Prometheus' key order (`status` first).
    Ok(format!(
        "{{\"status\":\"success\",\"data\":{{\"resultType\":\"{kind}\",\"result\":{}}}}}",
        Value::Array(result)
    ))
}

/// A timestamp as Prometheus writes it: seconds, with milliseconds only when there are some.
fn timestamp(ms: i64) -> Value {
    if ms % 1000 == 0 {
        json!(ms / 1000)
    } else {
        json!(ms as f64 / 1000.0)
    }
}

/// A sample value as Prometheus writes it (Go's shortest `'f'` format, `NaN`, `+Inf`).
pub fn value(v: f64) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v == f64::INFINITY {
        "+Inf".into()
    } else if v == f64::NEG_INFINITY {
        "-Inf".into()
    } else {
        format!("{v}")
    }
}

async fn cluster_metrics(
    State(s): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Res {
    blocking(&s, move |s| {
        let workloads = s
            .db
            .tx(|t| {
                let cluster = crate::clusters::must_get_cluster(t, &id)?;
                if !crate::clusters::metrics_enabled(&cluster) {
                    return Err(ApiError::qovery(
                        StatusCode::BAD_REQUEST,
                        format!(
                            "metrics are not enabled on cluster `{}` (its metrics_parameters.enabled is false)",
                            cluster["name"].as_str().unwrap_or(&id)
                        ),
                    ));
                }
                crate::pods::cluster_workloads(t, &cluster).map_err(q500)
            })
            .map_err(q500)??;
        Ok(
            match answer(&q, &workloads, crate::engine::now_ms()) {
                Ok(metrics) => Json(json!({ "metrics": metrics })).into_response(),
                Err(refusal) => refusal.into_response(),
            },
        )
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_as_prometheus_writes_them() {
        assert_eq!(value(0.25), "0.25");
        assert_eq!(value(536_870_912.0), "536870912");
        assert_eq!(value(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(value(f64::NAN), "NaN");
        assert_eq!(value(f64::INFINITY), "+Inf");
        assert_eq!(timestamp(1_700_000_000_000), json!(1_700_000_000));
        assert_eq!(timestamp(1_700_000_000_500), json!(1_700_000_000.5));
    }
}
