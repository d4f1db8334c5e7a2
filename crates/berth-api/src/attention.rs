//! The list's marker: which containers restarted or were killed in the last hour, from one
//! events request per cluster (`GET /cluster/{id}/events` over [`Window::Hour`]) shared by every
//! container of the list.

use std::collections::BTreeMap;

use crate::diagnosis::times;
use crate::events::{KubeEvent, CLOCK_SLACK_MS};
use crate::pods::{belongs_to, container_key, k8s_name};
use crate::signals::{classify, ProbeKind, Signal};
use crate::window::{TimeRange, Window};

/// What happened, the most serious first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AttentionKind {
    /// Killed for going over its memory limit.
    OutOfMemory,
    /// Keeps exiting right after it starts.
    CrashLoop,
    /// Killed by its liveness or startup probe.
    KilledByProbe,
    /// Started again (for a reason the events do not give).
    Restarted,
}

/// Why a container is marked, in words: "Ran out of memory 3 times in the last hour".
#[derive(Debug, Clone, PartialEq)]
pub struct Attention {
    pub kind: AttentionKind,
    pub text: String,
    /// How many times (the number in the text).
    pub count: u64,
    /// When it last happened (epoch ms).
    pub last_ms: Option<f64>,
}

fn latest(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

/// Whether the container `container_id` restarted or was killed in the hour before `now_ms`,
/// and why (the most serious reason: out of memory, crash loop, killed by a probe, restarted);
/// `None` when neither. `events` may be the whole cluster's: only the container's pods are read.
pub fn needs_attention<'a>(
    events: impl IntoIterator<Item = &'a KubeEvent>,
    container_id: &str,
    now_ms: f64,
) -> Option<Attention> {
    let window = Window::Hour;
    let hour = window.range(now_ms);
    let range = TimeRange {
        from_ms: hour.from_ms,
        to_ms: hour.to_ms + CLOCK_SLACK_MS,
    };
    let mut oom = (0u64, None);
    let mut crash = (0u64, None);
    let mut killed = (0u64, None, ProbeKind::Liveness);
    let mut started: BTreeMap<&str, (u64, Option<f64>)> = BTreeMap::new();
    for e in events {
        if !belongs_to(e.name(), container_id) || !e.within(&range) {
            continue;
        }
        let (n, at) = (e.occurrences(), e.last_ms());
        match classify(e) {
            Signal::OutOfMemory => oom = (oom.0 + n, latest(oom.1, at)),
            Signal::CrashLoop => crash = (crash.0 + n, latest(crash.1, at)),
            Signal::KilledByProbe { probe } => killed = (killed.0 + n, latest(killed.1, at), probe),
            Signal::Started => {
                let s = started.entry(e.name()).or_default();
                *s = (s.0 + n, latest(s.1, at));
            }
            _ => {}
        }
    }
    // Each pod's first start is no restart.
    let restarts: u64 = started.values().map(|(n, _)| n.saturating_sub(1)).sum();
    let restarted_at = started
        .values()
        .filter(|(n, _)| *n > 1)
        .fold(None, |m, (_, at)| latest(m, *at));
    let words = window.words();
    let attention = |kind, count, text: String, last_ms| {
        Some(Attention {
            kind,
            text,
            count,
            last_ms,
        })
    };
    if oom.0 > 0 {
        return attention(
            AttentionKind::OutOfMemory,
            oom.0,
            format!("Ran out of memory {} {words}", times(oom.0)),
            oom.1,
        );
    }
    if crash.0 > 0 {
        let text = if restarts > 0 {
            format!(
                "Exits right after it starts: restarted {} {words}",
                times(restarts)
            )
        } else {
            "Exits right after it starts".to_string()
        };
        return attention(AttentionKind::CrashLoop, restarts, text, crash.1);
    }
    if killed.0 > 0 {
        return attention(
            AttentionKind::KilledByProbe,
            killed.0,
            format!(
                "Restarted by its {} probe {} {words}",
                killed.2.word(),
                times(killed.0)
            ),
            killed.1,
        );
    }
    if restarts > 0 {
        return attention(
            AttentionKind::Restarted,
            restarts,
            format!("Restarted {} {words}", times(restarts)),
            restarted_at,
        );
    }
    None
}

/// A cluster's events shared out to the containers `container_ids` (by the `app-z<8 hex>` of
/// their objects' names): each id with its events, in the events' order; ids without any are
/// left out. Linear in events plus ids.
pub fn by_container<'a>(
    events: &'a [KubeEvent],
    container_ids: &[&str],
) -> BTreeMap<String, Vec<&'a KubeEvent>> {
    let mut ids_by_key: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for id in container_ids {
        let key = k8s_name(id);
        if container_key(&key) == Some(key.as_str()) {
            ids_by_key.entry(key).or_default().push(id);
        }
    }
    let mut out: BTreeMap<String, Vec<&KubeEvent>> = BTreeMap::new();
    for e in events {
        let Some(ids) = container_key(e.name()).and_then(|k| ids_by_key.get(k)) else {
            continue;
        };
        for id in ids {
            out.entry(id.to_string()).or_default().push(e);
        }
    }
    out
}

/// The marker of every container of a list that needs one, from its cluster's events of the
/// last hour.
pub fn attention_by_container(
    events: &[KubeEvent],
    container_ids: &[&str],
    now_ms: f64,
) -> BTreeMap<String, Attention> {
    by_container(events, container_ids)
        .into_iter()
        .filter_map(|(id, list)| {
            needs_attention(list.iter().copied(), &id, now_ms).map(|a| (id, a))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::EventsPage;

    /// 2026-12-07T03:00:00Z.
    const NOW: f64 = 1_796_612_400_000.0;
    const API: &str = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
    const WORKER: &str = "1a2b3c4e-0000-4000-8000-000000000002";
    const WEB: &str = "99887766-0000-4000-8000-000000000003";
    const CALM: &str = "abcdef01-0000-4000-8000-000000000004";

    /// One cluster's events of the last hour, as the API shapes them.
    const CLUSTER_EVENTS: &str = r#"{"results": [
        {"kind": "Pod", "name": "app-z1a2b3c4d-6f7d9c8b5-x2k9p", "reason": "OOMKilled", "type": "Warning",
         "message": "Container app-z1a2b3c4d exceeded its memory limit", "count": 2,
         "first_occurrence": "2026-12-07T02:20:00Z", "last_occurrence": "2026-12-07T02:41:10Z"},
        {"kind": "Pod", "name": "app-z1a2b3c4d-6f7d9c8b5-x2k9p", "reason": "Started", "type": "Normal",
         "message": "Started container app-z1a2b3c4d", "count": 3,
         "first_occurrence": "2026-12-07T02:10:00Z", "last_occurrence": "2026-12-07T02:41:20Z"},
        {"kind": "Pod", "name": "app-z1a2b3c4e-7a8b9c0d1-aaaaa", "reason": "BackOff", "type": "Warning",
         "message": "Back-off restarting failed container app-z1a2b3c4e in pod app-z1a2b3c4e-7a8b9c0d1-aaaaa_ns(1)",
         "count": 11, "first_occurrence": "2026-12-07T02:15:00Z", "last_occurrence": "2026-12-07T02:59:00Z"},
        {"kind": "Pod", "name": "app-z1a2b3c4e-7a8b9c0d1-aaaaa", "reason": "Started", "type": "Normal",
         "message": "Started container app-z1a2b3c4e", "count": 6,
         "first_occurrence": "2026-12-07T02:14:00Z", "last_occurrence": "2026-12-07T02:55:00Z"},
        {"kind": "Pod", "name": "app-z99887766-5d4c3b2a1-qq7rt", "reason": "Started", "type": "Normal",
         "message": "Started container app-z99887766", "count": 2,
         "first_occurrence": "2026-12-07T02:05:00Z", "last_occurrence": "2026-12-07T02:33:00Z"},
        {"kind": "Pod", "name": "app-zabcdef01-5d4c3b2a1-bbbbb", "reason": "Started", "type": "Normal",
         "message": "Started container app-zabcdef01", "count": 1,
         "first_occurrence": "2026-12-07T02:05:00Z", "last_occurrence": "2026-12-07T02:05:00Z"},
        {"kind": "Pod", "name": "app-zabcdef01-5d4c3b2a1-ccccc", "reason": "Started", "type": "Normal",
         "message": "Started container app-zabcdef01", "count": 1,
         "first_occurrence": "2026-12-07T02:06:00Z", "last_occurrence": "2026-12-07T02:06:00Z"},
        {"kind": "Pod", "name": "app-zabcdef01-5d4c3b2a1-bbbbb", "reason": "OOMKilled", "type": "Warning",
         "message": "two hours ago", "count": 4, "last_occurrence": "2026-12-07T00:59:00Z"},
        {"kind": "Pod", "name": "app-z1a2b3c4de-55d6c7b8f-zz1aa", "reason": "OOMKilled", "type": "Warning",
         "message": "a service whose id starts like API's, one digit longer", "count": 9,
         "last_occurrence": "2026-12-07T02:30:00Z"},
        {"kind": "Node", "name": "ip-10-0-1-23", "reason": "OOMKilling", "type": "Warning",
         "message": "Out of memory: Killed process 1234", "last_occurrence": "2026-12-07T02:30:00Z"}
    ]}"#;

    fn cluster_events() -> Vec<KubeEvent> {
        serde_json::from_str::<EventsPage>(CLUSTER_EVENTS)
            .expect("events")
            .results
    }

    #[test]
    fn each_container_gets_its_own_events() {
        let events = cluster_events();
        let groups = by_container(&events, &[API, WORKER, WEB, CALM, "not-an-id"]);
        let sizes: BTreeMap<&str, usize> =
            groups.iter().map(|(k, v)| (k.as_str(), v.len())).collect();
        assert_eq!(
            sizes,
            BTreeMap::from([(API, 2), (WORKER, 2), (WEB, 1), (CALM, 3)])
        );
        assert!(groups[API]
            .iter()
            .all(|e| e.name().starts_with("app-z1a2b3c4d-")));
    }

    #[test]
    fn the_list_marks_who_restarted_or_was_killed() {
        let events = cluster_events();
        let marks = attention_by_container(&events, &[API, WORKER, WEB, CALM], NOW);
        let api = &marks[API];
        assert_eq!(api.kind, AttentionKind::OutOfMemory);
        assert_eq!(api.text, "Ran out of memory twice in the last hour");
        assert_eq!(api.last_ms, crate::time::epoch_ms("2026-12-07T02:41:10Z"));
        let worker = &marks[WORKER];
        assert_eq!(worker.kind, AttentionKind::CrashLoop);
        assert_eq!(
            worker.text,
            "Exits right after it starts: restarted 5 times in the last hour"
        );
        assert_eq!(worker.count, 5);
        let web = &marks[WEB];
        assert_eq!(web.kind, AttentionKind::Restarted);
        assert_eq!(web.text, "Restarted once in the last hour");
        // Two pods each started once (a deploy), and an old OOM: nothing to mark.
        assert!(!marks.contains_key(CALM));
        assert_eq!(marks.len(), 3);
        // The same from the whole list, per container.
        assert_eq!(needs_attention(&events, API, NOW).as_ref(), Some(api));
        // An hour later, all is forgotten.
        assert_eq!(needs_attention(&events, API, NOW + 3_600_000.0), None);
    }

    #[test]
    fn killed_by_a_probe() {
        let page: EventsPage = serde_json::from_str(
            r#"{"results": [{"kind": "Pod", "name": "app-z99887766-5d4c3b2a1-qq7rt", "reason": "Killing",
                "type": "Normal", "message": "Container app-z99887766 failed startup probe, will be restarted",
                "count": 3, "last_occurrence": "2026-12-07T02:50:00Z"},
                {"kind": "Pod", "name": "app-z99887766-5d4c3b2a1-qq7rt", "reason": "Killing",
                "type": "Normal", "message": "Stopping container app-z99887766",
                "count": 1, "last_occurrence": "2026-12-07T02:51:00Z"}]}"#,
        )
        .expect("events");
        let a = needs_attention(&page.results, WEB, NOW).expect("marked");
        assert_eq!(a.kind, AttentionKind::KilledByProbe);
        assert_eq!(
            a.text,
            "Restarted by its startup probe 3 times in the last hour"
        );
    }
}
