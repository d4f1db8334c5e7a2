//! The PromQL queries the Usage tab sends to `GET /cluster/{clusterId}/metrics`, and that call's
//! query.
//!
//! Every query selects the container by its Kubernetes name (`container="app-z1a2b3c4d"`, see
//! [`crate::pods::k8s_name`]): cAdvisor's per-container series carry it as `container`, as do
//! kube-state-metrics' resource series; the pod's own cgroup (`container=""`) and the pause
//! container (`container="POD"`) are left out by the same matcher. ASSUMED: Qovery names the
//! container in the pod as it names the Deployment (the spec says nothing).
//!
//! Only what the sandbox's PromQL understands is used: selectors with `=` matchers, `rate(sel[d])`,
//! `sum by (labels) (expr)`; and the metrics `container_cpu_usage_seconds_total`,
//! `container_memory_working_set_bytes`, `kube_pod_container_resource_limits`,
//! `kube_pod_container_resource_requests`.

use crate::pods::k8s_name;
use crate::window::Window;

/// The resource of a request or limit line (kube-state-metrics' `resource` label).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Resource {
    /// In cores (the series' unit).
    Cpu,
    /// In bytes (the series' unit).
    Memory,
}

impl Resource {
    pub fn as_str(self) -> &'static str {
        match self {
            Resource::Cpu => "cpu",
            Resource::Memory => "memory",
        }
    }
}

/// Every series the Usage tab charts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Metric {
    CpuUsage,
    MemoryUsage,
    Request(Resource),
    Limit(Resource),
}

impl Metric {
    pub const ALL: [Metric; 6] = [
        Metric::CpuUsage,
        Metric::MemoryUsage,
        Metric::Request(Resource::Cpu),
        Metric::Limit(Resource::Cpu),
        Metric::Request(Resource::Memory),
        Metric::Limit(Resource::Memory),
    ];

    /// Its query for the container `container_id` over `window`.
    pub fn query(self, container_id: &str, window: Window) -> String {
        match self {
            Metric::CpuUsage => cpu_usage(container_id, window),
            Metric::MemoryUsage => memory_usage(container_id),
            Metric::Request(r) => request(container_id, r),
            Metric::Limit(r) => limit(container_id, r),
        }
    }
}

/// `"` and `\` escaped, as a PromQL string literal needs.
fn quoted(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        if matches!(c, '"' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

fn selector(metric: &str, container_id: &str, resource: Option<Resource>) -> String {
    let mut s = format!("{metric}{{container={}", quoted(&k8s_name(container_id)));
    if let Some(r) = resource {
        s.push_str(&format!(",resource={}", quoted(r.as_str())));
    }
    s.push('}');
    s
}

/// CPU used per instance, in cores:
/// `sum by (pod) (rate(container_cpu_usage_seconds_total{container="app-z…"}[2m]))`, the rate
/// over [`Window::rate_window`].
pub fn cpu_usage(container_id: &str, window: Window) -> String {
    format!(
        "sum by (pod) (rate({}[{}]))",
        selector("container_cpu_usage_seconds_total", container_id, None),
        window.rate_window()
    )
}

/// Memory used per instance, in bytes (the working set, what the OOM killer weighs):
/// `sum by (pod) (container_memory_working_set_bytes{container="app-z…"})`.
pub fn memory_usage(container_id: &str) -> String {
    format!(
        "sum by (pod) ({})",
        selector("container_memory_working_set_bytes", container_id, None)
    )
}

/// The limit of each instance (cores or bytes):
/// `sum by (pod) (kube_pod_container_resource_limits{container="app-z…",resource="memory"})`.
///
/// By pod, not one `sum(…)`: the usage lines are per instance, and a sum over 3 instances would
/// draw the line at 3 times the limit one of them can reach. The chart draws
/// [`crate::prometheus::level`] of the answer.
pub fn limit(container_id: &str, resource: Resource) -> String {
    format!(
        "sum by (pod) ({})",
        selector(
            "kube_pod_container_resource_limits",
            container_id,
            Some(resource)
        )
    )
}

/// The request of each instance, as [`limit`]:
/// `sum by (pod) (kube_pod_container_resource_requests{container="app-z…",resource="cpu"})`.
pub fn request(container_id: &str, resource: Resource) -> String {
    format!(
        "sum by (pod) ({})",
        selector(
            "kube_pod_container_resource_requests",
            container_id,
            Some(resource)
        )
    )
}

/// The query of `GET /cluster/{clusterId}/metrics`: Prometheus' own API path as `endpoint`, and
/// its parameters. Values are raw: [`MetricsQuery::pairs`] is what [`crate::http::url`] takes (it
/// escapes each once).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetricsQuery {
    /// `api/v1/query_range` or `api/v1/query`.
    pub endpoint: &'static str,
    pub query: String,
    /// Unix seconds (range queries).
    pub start: Option<String>,
    pub end: Option<String>,
    /// Seconds (range queries).
    pub step: Option<String>,
    /// Unix seconds (instant queries).
    pub time: Option<String>,
}

impl MetricsQuery {
    /// `query` over `window` before `now_ms`, a point every [`Window::step_seconds`].
    pub fn range(query: String, window: Window, now_ms: f64) -> Self {
        let end = (now_ms / 1000.0).floor() as i64;
        MetricsQuery {
            endpoint: "api/v1/query_range",
            query,
            start: Some((end - window.seconds()).to_string()),
            end: Some(end.to_string()),
            step: Some(window.step_seconds().to_string()),
            time: None,
        }
    }

    /// `query` at `now_ms` only.
    pub fn instant(query: String, now_ms: f64) -> Self {
        MetricsQuery {
            endpoint: "api/v1/query",
            query,
            start: None,
            end: None,
            step: None,
            time: Some(((now_ms / 1000.0).floor() as i64).to_string()),
        }
    }

    /// The path segments: `cluster/{clusterId}/metrics`.
    pub fn segments(cluster_id: &str) -> [&str; 3] {
        ["cluster", cluster_id, "metrics"]
    }

    /// Name and raw value of each parameter, unset ones as `None`.
    pub fn pairs(&self) -> Vec<(&'static str, Option<&str>)> {
        vec![
            ("endpoint", Some(self.endpoint)),
            ("query", Some(self.query.as_str())),
            ("start", self.start.as_deref()),
            ("end", self.end.as_deref()),
            ("step", self.step.as_deref()),
            ("time", self.time.as_deref()),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";

    #[test]
    fn the_queries_are_exactly_these() {
        assert_eq!(
            cpu_usage(ID, Window::Hour),
            r#"sum by (pod) (rate(container_cpu_usage_seconds_total{container="app-z1a2b3c4d"}[2m]))"#
        );
        assert_eq!(
            cpu_usage(ID, Window::Day),
            r#"sum by (pod) (rate(container_cpu_usage_seconds_total{container="app-z1a2b3c4d"}[5m]))"#
        );
        assert_eq!(
            memory_usage(ID),
            r#"sum by (pod) (container_memory_working_set_bytes{container="app-z1a2b3c4d"})"#
        );
        assert_eq!(
            limit(ID, Resource::Memory),
            r#"sum by (pod) (kube_pod_container_resource_limits{container="app-z1a2b3c4d",resource="memory"})"#
        );
        assert_eq!(
            request(ID, Resource::Cpu),
            r#"sum by (pod) (kube_pod_container_resource_requests{container="app-z1a2b3c4d",resource="cpu"})"#
        );
        assert_eq!(
            Metric::Limit(Resource::Cpu).query(ID, Window::SixHours),
            r#"sum by (pod) (kube_pod_container_resource_limits{container="app-z1a2b3c4d",resource="cpu"})"#
        );
        // An id that is not a UUID cannot break out of the string.
        assert_eq!(
            memory_usage(r#"a"}or{x=""#),
            r#"sum by (pod) (container_memory_working_set_bytes{container="app-za\"}or{x="})"#
        );
    }

    #[test]
    fn a_range_query_asks_for_the_window_in_unix_seconds() {
        // 2026-12-07T04:00:00.750Z
        let q = MetricsQuery::range(memory_usage(ID), Window::SixHours, 1_796_616_000_750.0);
        let pairs = q.pairs();
        assert_eq!(
            pairs,
            vec![
                ("endpoint", Some("api/v1/query_range")),
                (
                    "query",
                    Some(
                        r#"sum by (pod) (container_memory_working_set_bytes{container="app-z1a2b3c4d"})"#
                    )
                ),
                ("start", Some("1796594400")),
                ("end", Some("1796616000")),
                ("step", Some("60")),
                ("time", None),
            ]
        );
        let url = crate::http::url("/api/qovery", &MetricsQuery::segments("c-1"), &pairs);
        assert_eq!(
            url,
            "/api/qovery/cluster/c-1/metrics?endpoint=api%2Fv1%2Fquery_range\
             &query=sum%20by%20%28pod%29%20%28container_memory_working_set_bytes%7Bcontainer%3D%22app-z1a2b3c4d%22%7D%29\
             &start=1796594400&end=1796616000&step=60"
        );
        let i = MetricsQuery::instant(limit(ID, Resource::Memory), 1_796_616_000_750.0);
        assert_eq!(i.endpoint, "api/v1/query");
        assert_eq!(i.time.as_deref(), Some("1796616000"));
        assert_eq!(i.start, None);
    }
}
