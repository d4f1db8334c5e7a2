//! A cluster's Kubernetes events: `GET /cluster/{clusterId}/events` (spec
//! `get-cluster-kubernetes-events`), the query that asks for a time range, and the events read
//! leniently (every field optional, an item that is not an event dropped, not fatal).

use serde::{Deserialize, Deserializer};

use crate::lenient;
use crate::time::{epoch_ms, iso_utc};
use crate::window::{TimeRange, Window};

string_enum!(
    /// The event's `type`: "As of today it can be either Warning or Normal (can evolve in the
    /// next releases)".
    EventType {
        Normal = "Normal",
        Warning = "Warning",
    }
);

/// One item of the answer's `results`, every field as the spec names it.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct KubeEvent {
    #[serde(default, deserialize_with = "lenient::opt")]
    pub created_at: Option<String>,
    /// The kind of the object the event is about: `Pod`, `ReplicaSet`, `Deployment`, `Node`…
    #[serde(default, deserialize_with = "lenient::opt")]
    pub kind: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt")]
    pub namespace: Option<String>,
    /// ASSUMED: the spec calls it "The name of the Event"; Berth reads it as the name of the
    /// object the event is about (for a `Pod`, the pod: `app-z4aa76065-57d84cbbdb-xcg8v`), as
    /// Kubernetes' `involvedObject.name` and the `pod_name` filter suggest.
    #[serde(default, deserialize_with = "lenient::opt")]
    pub name: Option<String>,
    /// `OOMKilled`, `BackOff`, `Unhealthy`, `FailedScheduling`, `Started`…
    #[serde(default, deserialize_with = "lenient::opt")]
    pub reason: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt")]
    pub message: Option<String>,
    #[serde(rename = "type", default, deserialize_with = "lenient::opt")]
    pub event_type: Option<EventType>,
    /// `kubelet`, `default-scheduler`…
    #[serde(default, deserialize_with = "lenient::opt")]
    pub reporting_component: Option<String>,
    /// How many times it happened (Kubernetes folds repeats into one event).
    #[serde(default, deserialize_with = "lenient::opt")]
    pub count: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt")]
    pub first_occurrence: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt")]
    pub last_occurrence: Option<String>,
}

impl KubeEvent {
    /// How many times it happened: `count`, or 1 when the server does not say (or says 0); at
    /// most `u32::MAX`, so that sums of them cannot overflow.
    pub fn occurrences(&self) -> u64 {
        self.count
            .filter(|c| *c > 0)
            .map_or(1, |c| c.min(i64::from(u32::MAX)) as u64)
    }

    /// When it last happened (epoch ms): `last_occurrence`, else `created_at`, else
    /// `first_occurrence`; `None` when none is a time.
    pub fn last_ms(&self) -> Option<f64> {
        [
            &self.last_occurrence,
            &self.created_at,
            &self.first_occurrence,
        ]
        .into_iter()
        .find_map(|t| t.as_deref().and_then(epoch_ms))
    }

    /// When it first happened: `first_occurrence`, else `created_at`, else `last_occurrence`.
    pub fn first_ms(&self) -> Option<f64> {
        [
            &self.first_occurrence,
            &self.created_at,
            &self.last_occurrence,
        ]
        .into_iter()
        .find_map(|t| t.as_deref().and_then(epoch_ms))
    }

    pub fn is_warning(&self) -> bool {
        self.event_type == Some(EventType::Warning)
    }

    /// The reason, or "" when there is none.
    pub fn reason(&self) -> &str {
        self.reason.as_deref().unwrap_or("")
    }

    /// The message, or "" when there is none.
    pub fn message(&self) -> &str {
        self.message.as_deref().unwrap_or("")
    }

    /// The object's name, or "" when there is none.
    pub fn name(&self) -> &str {
        self.name.as_deref().unwrap_or("")
    }

    /// Whether it is about a pod: `kind` says `Pod`, or (no kind) the name has a pod's shape.
    pub fn is_about_pod(&self) -> bool {
        match self.kind.as_deref() {
            Some(k) => k.eq_ignore_ascii_case("pod"),
            None => crate::pods::is_pod_name(self.name()),
        }
    }

    /// Whether it last happened inside `range`; an event without a time is never inside.
    pub fn within(&self, range: &TimeRange) -> bool {
        self.last_ms().is_some_and(|t| range.contains(t))
    }
}

/// The answer: `{"results": [...]}`. Items that are not events (not an object, say) are dropped
/// and counted in `skipped`; an answer without a `results` list is an error, not "no events"
/// (which would read as "all is well").
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventsPage {
    pub results: Vec<KubeEvent>,
    pub skipped: usize,
}

impl<'de> Deserialize<'de> for EventsPage {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Raw {
            #[serde(default)]
            results: Option<serde_json::Value>,
        }
        let raw = Raw::deserialize(d)?;
        match raw.results {
            Some(list @ serde_json::Value::Array(_)) => {
                let (results, skipped) = lenient::items(list);
                Ok(EventsPage { results, skipped })
            }
            _ => Err(serde::de::Error::custom("the answer has no `results` list")),
        }
    }
}

/// How far past "now" an events query reaches: the server's clock may be ahead of the browser's,
/// and an event it stamps "in the future" must still be fetched.
pub const CLOCK_SLACK_MS: f64 = 60_000.0;

/// The query of `GET /cluster/{clusterId}/events`.
///
/// Values are kept raw (`2026-12-07T03:00:00+00:00`): [`EventsQuery::pairs`] is what the app's
/// URL builder ([`crate::http::url`]) takes, and it percent-encodes every value once, so the `+`
/// the spec wants escaped goes out as `%2B` (and `:` as `%3A`, which servers read back as `:`).
/// Escaping here too would send `%252B`. [`EventsQuery::query_string`] is the same query already
/// escaped, for a URL built by hand (`from_date_time=2026-12-07T03:00:00%2B00:00&…`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventsQuery {
    pub from_date_time: String,
    pub to_date_time: String,
    pub pod_name: Option<String>,
    pub reporting_component: Option<String>,
}

impl EventsQuery {
    /// Events of `range`, both ends as ISO-8601 UTC times.
    pub fn new(range: TimeRange) -> Self {
        EventsQuery {
            from_date_time: iso_utc(range.from_ms),
            to_date_time: iso_utc(range.to_ms),
            pod_name: None,
            reporting_component: None,
        }
    }

    /// Events of `window` before `now_ms`, reaching [`CLOCK_SLACK_MS`] past it.
    pub fn for_window(window: Window, now_ms: f64) -> Self {
        let range = window.range(now_ms);
        EventsQuery::new(TimeRange {
            from_ms: range.from_ms,
            to_ms: range.to_ms + CLOCK_SLACK_MS,
        })
    }

    /// Only the events of one pod.
    pub fn pod(mut self, pod_name: impl Into<String>) -> Self {
        self.pod_name = Some(pod_name.into());
        self
    }

    /// Only the events of one reporting component (`kubelet`, `default-scheduler`…).
    pub fn reporting_component(mut self, component: impl Into<String>) -> Self {
        self.reporting_component = Some(component.into());
        self
    }

    /// The path segments: `cluster/{clusterId}/events`.
    pub fn segments(cluster_id: &str) -> [&str; 3] {
        ["cluster", cluster_id, "events"]
    }

    /// Name and raw value of each parameter, unset ones as `None`: the form
    /// [`crate::http::url`] takes (it escapes each value once).
    pub fn pairs(&self) -> Vec<(&'static str, Option<&str>)> {
        vec![
            ("from_date_time", Some(self.from_date_time.as_str())),
            ("to_date_time", Some(self.to_date_time.as_str())),
            ("pod_name", self.pod_name.as_deref()),
            ("reporting_component", self.reporting_component.as_deref()),
        ]
    }

    /// The query string, escaped (without the `?`): `+` becomes `%2B` as the spec demands, and
    /// every character outside RFC 3986's unreserved set and `:` is percent-encoded.
    pub fn query_string(&self) -> String {
        let mut out = String::new();
        for (k, v) in self.pairs() {
            if let Some(v) = v {
                if !out.is_empty() {
                    out.push('&');
                }
                out.push_str(k);
                out.push('=');
                for b in v.bytes() {
                    match b {
                        b'A'..=b'Z'
                        | b'a'..=b'z'
                        | b'0'..=b'9'
                        | b'-'
                        | b'_'
                        | b'.'
                        | b'~'
                        | b':' => out.push(b as char),
                        _ => out.push_str(&format!("%{b:02X}")),
                    }
                }
            }
        }
        out
    }
}

/// The window's events with each aggregated Kubernetes Event said once. Kubernetes keeps one
/// Event per object, reason and message, and raises its `count` each time it happens again; an
/// events store such as Qovery's returns a report per update, each with the count so far (since
/// the object first saw it, perhaps a day ago). Summing those counts would say "590 times in the
/// last hour" for an event seen 5 times in it. Each group becomes its newest report, whose
/// `count` is what happened within `from_ms..`: the rise in count across the window's reports
/// (plus the first of them), or for a lone report its count if it first happened in the window,
/// else once.
pub fn collapse(events: Vec<KubeEvent>, from_ms: f64) -> Vec<KubeEvent> {
    let mut groups: Vec<(KubeEvent, i64, usize)> = Vec::new();
    for e in events {
        let key = |x: &KubeEvent| {
            (
                x.name().to_string(),
                x.reason().to_string(),
                x.message().to_string(),
            )
        };
        let count = e.count.unwrap_or(1).max(1);
        match groups.iter_mut().find(|(g, _, _)| key(g) == key(&e)) {
            Some((newest, lowest, reports)) => {
                *lowest = (*lowest).min(count);
                *reports += 1;
                if e.count.unwrap_or(1) >= newest.count.unwrap_or(1) {
                    *newest = e;
                }
            }
            None => groups.push((e, count, 1)),
        }
    }
    groups
        .into_iter()
        .map(|(mut e, lowest, reports)| {
            let highest = e.count.unwrap_or(1).max(1);
            let in_window = if reports > 1 {
                highest - lowest + 1
            } else if e.first_ms().is_some_and(|t| t >= from_ms) {
                highest
            } else {
                1
            };
            e.count = Some(in_window);
            e
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn repeated_reports_of_one_event_count_what_happened_in_the_window() {
        let report = |count: i64, first: &str, last: &str| super::KubeEvent {
            name: Some("app-z1a2b3c4d-abc-x1".into()),
            reason: Some("OOMKilled".into()),
            message: Some("limit reached".into()),
            count: Some(count),
            first_occurrence: Some(first.into()),
            last_occurrence: Some(last.into()),
            ..Default::default()
        };
        let from = crate::time::epoch_ms("2026-12-07T02:00:00Z").unwrap_or(0.0);
        // Seen since yesterday, five times in the hour: counts 114..=118.
        let hour: Vec<_> = (114..=118)
            .map(|c| report(c, "2026-12-06T03:00:00Z", "2026-12-07T02:30:00Z"))
            .collect();
        let one = super::collapse(hour, from);
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].occurrences(), 5);
        // A lone report of an old event: once in the window; of a new one: its count.
        let old = super::collapse(
            vec![report(118, "2026-12-06T03:00:00Z", "2026-12-07T02:30:00Z")],
            from,
        );
        assert_eq!(old[0].occurrences(), 1);
        let new = super::collapse(
            vec![report(3, "2026-12-07T02:10:00Z", "2026-12-07T02:30:00Z")],
            from,
        );
        assert_eq!(new[0].occurrences(), 3);
        // Other pods or reasons stay apart.
        let mut other = report(2, "2026-12-07T02:10:00Z", "2026-12-07T02:30:00Z");
        other.reason = Some("BackOff".into());
        let both = super::collapse(
            vec![
                report(3, "2026-12-07T02:10:00Z", "2026-12-07T02:30:00Z"),
                other,
            ],
            from,
        );
        assert_eq!(both.len(), 2);
    }
    use super::*;

    /// An answer shaped as the spec's schema, with messages as the kubelet and the scheduler
    /// write them.
    pub(crate) const SPEC_EVENTS: &str = r#"{"results": [
        {"created_at": "2026-12-07T02:41:10Z", "kind": "Pod", "namespace": "z8a6b2e1f-production",
         "name": "app-z1a2b3c4d-6f7d9c8b5-x2k9p", "reason": "OOMKilled",
         "message": "Container app-z1a2b3c4d exceeded its memory limit and was killed",
         "type": "Warning", "reporting_component": "kubelet", "count": 3,
         "first_occurrence": "2026-12-07T02:20:03Z", "last_occurrence": "2026-12-07T02:41:10Z"},
        {"created_at": "2026-12-07T02:55:00Z", "kind": "Pod", "namespace": "z8a6b2e1f-production",
         "name": "app-z1a2b3c4d-6f7d9c8b5-x2k9p", "reason": "Started",
         "message": "Started container app-z1a2b3c4d", "type": "Normal",
         "reporting_component": "kubelet", "count": 4,
         "first_occurrence": "2026-12-07T02:10:00Z", "last_occurrence": "2026-12-07T02:55:00Z"},
        {"kind": "Pod", "name": "app-z99887766-5d4c3b2a1-qq7rt", "reason": "Unhealthy",
         "message": "Readiness probe failed: Get \"http://10.2.0.14:80/healthz\": dial tcp 10.2.0.14:80: connect: connection refused",
         "type": "Warning", "count": 12, "last_occurrence": "2026-12-07T02:58:30Z"},
        "not an event",
        {"name": "app-z1a2b3c4d-6f7d9c8b5-x2k9p", "type": "Sideways", "count": "many",
         "last_occurrence": 12}
    ]}"#;

    #[test]
    fn a_spec_answer_reads_and_odd_items_do_not_break_it() {
        let page: EventsPage = serde_json::from_str(SPEC_EVENTS).expect("decodes");
        assert_eq!(page.results.len(), 4);
        assert_eq!(page.skipped, 1, "the string is dropped");
        let oom = &page.results[0];
        assert_eq!(oom.reason(), "OOMKilled");
        assert!(oom.is_warning() && oom.is_about_pod());
        assert_eq!(oom.occurrences(), 3);
        assert_eq!(oom.reporting_component.as_deref(), Some("kubelet"));
        assert_eq!(oom.namespace.as_deref(), Some("z8a6b2e1f-production"));
        assert_eq!(epoch_ms("2026-12-07T02:41:10Z"), oom.last_ms());
        assert_eq!(epoch_ms("2026-12-07T02:20:03Z"), oom.first_ms());
        assert_eq!(page.results[1].event_type, Some(EventType::Normal));
        // Only a last_occurrence: it is also the first.
        assert_eq!(page.results[2].first_ms(), page.results[2].last_ms());
        let odd = &page.results[3];
        assert_eq!(odd.event_type, Some(EventType::Unknown("Sideways".into())));
        assert!(!odd.is_warning());
        assert_eq!(odd.count, None);
        assert_eq!(odd.occurrences(), 1);
        let huge = KubeEvent {
            count: Some(i64::MAX),
            ..KubeEvent::default()
        };
        assert_eq!(huge.occurrences(), u64::from(u32::MAX));
        assert_eq!(odd.last_ms(), None, "12 is not a time");
        assert!(odd.is_about_pod(), "no kind, but a pod's name");
    }

    #[test]
    fn an_answer_without_results_is_an_error_not_calm() {
        assert!(serde_json::from_str::<EventsPage>("{}").is_err());
        assert!(serde_json::from_str::<EventsPage>(r#"{"results": null}"#).is_err());
        assert!(serde_json::from_str::<EventsPage>(r#"{"results": {}}"#).is_err());
        let empty: EventsPage = serde_json::from_str(r#"{"results": []}"#).expect("empty");
        assert!(empty.results.is_empty());
    }

    #[test]
    fn the_query_escapes_the_plus_once() {
        // 2026-12-07T04:00:00Z
        let now = 1_796_616_000_000.0;
        let q = EventsQuery::new(Window::Hour.range(now));
        assert_eq!(q.from_date_time, "2026-12-07T03:00:00+00:00");
        assert_eq!(q.to_date_time, "2026-12-07T04:00:00+00:00");
        assert_eq!(
            q.query_string(),
            "from_date_time=2026-12-07T03:00:00%2B00:00&to_date_time=2026-12-07T04:00:00%2B00:00"
        );
        let url = crate::http::url(
            "https://api.qovery.com",
            &EventsQuery::segments("c-1"),
            &q.pairs(),
        );
        assert_eq!(
            url,
            "https://api.qovery.com/cluster/c-1/events?from_date_time=2026-12-07T03%3A00%3A00%2B00%3A00\
             &to_date_time=2026-12-07T04%3A00%3A00%2B00%3A00"
        );
        assert!(!url.contains("%25"), "escaped twice: {url}");

        let q = EventsQuery::for_window(Window::Day, now)
            .pod("app-z1a2b3c4d-6f7d9c8b5-x2k9p")
            .reporting_component("kubelet");
        assert_eq!(q.from_date_time, "2026-12-06T04:00:00+00:00");
        assert_eq!(
            q.to_date_time, "2026-12-07T04:01:00+00:00",
            "a minute of slack"
        );
        assert_eq!(
            q.query_string(),
            "from_date_time=2026-12-06T04:00:00%2B00:00&to_date_time=2026-12-07T04:01:00%2B00:00\
             &pod_name=app-z1a2b3c4d-6f7d9c8b5-x2k9p&reporting_component=kubelet"
        );
        let odd = EventsQuery::new(Window::Hour.range(now)).reporting_component("a b&c=d+e");
        assert!(odd
            .query_string()
            .ends_with("&reporting_component=a%20b%26c%3Dd%2Be"));
    }
}
