//! Logs: a deployment's log (`GET /environment/{id}/logs?version=<execution id>`, the spec's
//! `EnvironmentLogs`) and a running container's output (`GET /container/{id}/log`, the spec's
//! `Log` in a `LogResponseList`).

use serde::{Deserialize, Serialize};

/// Who wrote a deployment log line (`details.transmitter`): the service it is about.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LogTransmitter {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// ASSUMED values: `Container`, `Environment`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

/// The deployment stage and step a line belongs to (`details.stage`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LogStage {
    /// ASSUMED values (Qovery engine's steps): `Queued`, `Deploy`, `Deployed`, `DeployedError`,
    /// `Restart`, `Restarted`, `Stop`, `Stopped`, `Delete`, `Deleted`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LogDetails {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_id: Option<String>,
    /// The deployment (the `execution_id` of the container's deployment history).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transmitter: Option<LogTransmitter>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<LogStage>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LogUnderlyingError {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub full_details: Option<String>,
}

/// Why a deployment failed (`error` of an error line).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LogError {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_log_message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint_message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub underlying_error: Option<LogUnderlyingError>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LogMessage {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub safe_message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub full_details: Option<String>,
}

/// One deployment log line (`EnvironmentLogs`); the answer is a bare JSON array of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvironmentLog {
    /// ASSUMED values: `info`, `warning`, `error`.
    #[serde(rename = "type")]
    pub kind: String,
    pub timestamp: String,
    #[serde(default)]
    pub details: LogDetails,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<LogError>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<LogMessage>,
}

impl EnvironmentLog {
    /// The text to show: the message, or for an error line its user message.
    pub fn text(&self) -> String {
        self.message
            .as_ref()
            .and_then(|m| m.safe_message.clone())
            .or_else(|| self.error.as_ref().and_then(|e| e.user_log_message.clone()))
            .unwrap_or_default()
    }

    pub fn is_error(&self) -> bool {
        self.error.is_some() || self.kind.eq_ignore_ascii_case("error")
    }

    pub fn step(&self) -> Option<&str> {
        self.details.stage.as_ref()?.step.as_deref()
    }
}

/// One line a running container wrote (`Log`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContainerLog {
    pub id: String,
    pub created_at: String,
    pub message: String,
    /// The instance (pod) that wrote it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_name: Option<String>,
    /// The version running (for a container: its image tag).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

/// Where `query` occurs in `text`, as byte ranges: ignoring ASCII case when the query is ASCII
/// (the common case, and a range then always falls on character boundaries), exactly otherwise.
pub fn find_all(text: &str, query: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    if query.is_empty() || query.len() > text.len() {
        return found;
    }
    let (t, q) = (text.as_bytes(), query.as_bytes());
    let mut i = 0;
    while i + q.len() <= t.len() {
        let hit = if query.is_ascii() {
            t[i..i + q.len()].eq_ignore_ascii_case(q)
        } else {
            text.is_char_boundary(i) && t[i..].starts_with(q)
        };
        if hit {
            found.push((i, i + q.len()));
            i += q.len();
        } else {
            i += 1;
        }
    }
    found
}

/// `text` cut into pieces, each marked as a match of `query` or not (for highlighting).
pub fn highlight(text: &str, query: &str) -> Vec<(String, bool)> {
    let mut pieces = Vec::new();
    let mut at = 0;
    for (s, e) in find_all(text, query) {
        if s > at {
            pieces.push((text[at..s].to_string(), false));
        }
        pieces.push((text[s..e].to_string(), true));
        at = e;
    }
    if at < text.len() || pieces.is_empty() {
        pieces.push((text[at..].to_string(), false));
    }
    pieces
}

/// The first error line of a deployment's log: why it failed.
pub fn first_error(lines: &[EnvironmentLog]) -> Option<&EnvironmentLog> {
    lines.iter().find(|l| l.is_error())
}

/// Keeps the last `cap` of `lines` (the newest, in their order); answers how many went.
pub fn keep_newest<T>(lines: &mut Vec<T>, cap: usize) -> usize {
    let over = lines.len().saturating_sub(cap);
    lines.drain(..over);
    over
}

/// What [`merge_new`] changed in what was held.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Merged {
    /// The last `added` lines are new.
    pub added: usize,
    /// The first `dropped` lines held before are gone.
    pub dropped: usize,
    /// Lines the cap left out, held or new: the log shown no longer starts at the read's start.
    pub cut: usize,
}

/// Adds the lines of a new read that `have` does not hold yet (by id, in their order), keeping at
/// most `cap` lines, the newest.
pub fn merge_new(have: &mut Vec<ContainerLog>, fresh: Vec<ContainerLog>, cap: usize) -> Merged {
    // A read that reaches back past the oldest line held (it brought more than `cap`, so the cap
    // dropped lines it still answers) starts with lines older than all that is held: they are not
    // new, and appended they would come after the newest.
    let from = have
        .first()
        .and_then(|oldest| fresh.iter().position(|l| l.id == oldest.id))
        .unwrap_or(0);
    let known: std::collections::HashSet<&str> = have.iter().map(|l| l.id.as_str()).collect();
    let new: Vec<ContainerLog> = fresh
        .into_iter()
        .skip(from)
        .filter(|l| !known.contains(l.id.as_str()))
        .collect();
    let (before, added) = (have.len(), new.len());
    have.extend(new);
    let cut = keep_newest(have, cap);
    let dropped = cut.min(before);
    Merged {
        added: added - (cut - dropped),
        dropped,
        cut,
    }
}

#[cfg(test)]
mod search_tests {
    use super::*;

    #[test]
    fn finds_ignoring_ascii_case_and_keeps_char_boundaries() {
        assert_eq!(find_all("Error: error", "ERROR"), [(0, 5), (7, 12)]);
        assert_eq!(find_all("née née", "é"), [(1, 3), (6, 8)]);
        assert!(find_all("abc", "").is_empty());
        assert!(find_all("ab", "abc").is_empty());
        // A multi-byte character before an ASCII match: ranges stay on boundaries.
        let text = "ünit pulled";
        for (s, e) in find_all(text, "PULL") {
            assert_eq!(&text[s..e], "pull");
        }
    }

    #[test]
    fn highlights_every_match() {
        assert_eq!(
            highlight("pull failed, pull again", "pull"),
            [
                ("pull".to_string(), true),
                (" failed, ".to_string(), false),
                ("pull".to_string(), true),
                (" again".to_string(), false),
            ]
        );
        assert_eq!(highlight("quiet", "x"), [("quiet".to_string(), false)]);
        assert_eq!(highlight("", "x"), [(String::new(), false)]);
    }

    #[test]
    fn the_first_error_is_the_reason() {
        let line = |kind: &str, msg: &str| -> EnvironmentLog {
            serde_json::from_value(serde_json::json!({
                "type": kind, "timestamp": "t", "message": {"safe_message": msg}
            }))
            .expect("a log line")
        };
        let lines = [
            line("info", "pulling"),
            line("error", "pull failed"),
            line("error", "later"),
        ];
        assert_eq!(
            first_error(&lines).map(|l| l.text()),
            Some("pull failed".into())
        );
        assert!(first_error(&lines[..1]).is_none());
    }

    fn container_line(id: usize) -> ContainerLog {
        ContainerLog {
            id: id.to_string(),
            created_at: format!("{id:05}"),
            message: format!("m{id}"),
            pod_name: None,
            version: None,
        }
    }

    fn ids(lines: &[ContainerLog]) -> Vec<usize> {
        lines.iter().filter_map(|l| l.id.parse().ok()).collect()
    }

    #[test]
    fn new_lines_are_appended_once_and_the_oldest_dropped() {
        let line = container_line;
        let mut have = vec![line(1), line(2)];
        assert_eq!(
            merge_new(&mut have, vec![line(2), line(3), line(4)], 3),
            Merged {
                added: 2,
                dropped: 1,
                cut: 1
            }
        );
        assert_eq!(ids(&have), [2, 3, 4]);
        assert_eq!(
            merge_new(&mut have, vec![line(3), line(4)], 3),
            Merged::default()
        );
    }

    #[test]
    fn a_read_longer_than_the_cap_keeps_the_newest_in_order() {
        let read = |to: usize| (1..=to).map(container_line).collect::<Vec<_>>();
        let mut have = Vec::new();
        assert_eq!(
            merge_new(&mut have, read(15), 10),
            Merged {
                added: 10,
                dropped: 0,
                cut: 5
            }
        );
        assert_eq!(ids(&have), (6..=15).collect::<Vec<_>>());
        // The next read answers the same lines again, the dropped ones too: they are older than
        // all that is kept, not new.
        assert_eq!(merge_new(&mut have, read(15), 10), Merged::default());
        assert_eq!(ids(&have), (6..=15).collect::<Vec<_>>());
        // Two new lines: appended, the two oldest go.
        assert_eq!(
            merge_new(&mut have, read(17), 10),
            Merged {
                added: 2,
                dropped: 2,
                cut: 2
            }
        );
        assert_eq!(ids(&have), (8..=17).collect::<Vec<_>>());
        // More new lines than the cap: only the newest, in order.
        let mut have = read(4);
        let got = merge_new(&mut have, read(30), 10);
        assert_eq!(ids(&have), (21..=30).collect::<Vec<_>>());
        assert_eq!(
            got,
            Merged {
                added: 10,
                dropped: 4,
                cut: 20
            }
        );
    }

    #[test]
    fn the_cap_keeps_the_last_lines() {
        let mut v: Vec<u32> = (0..12).collect();
        assert_eq!(keep_newest(&mut v, 10), 2);
        assert_eq!(v, (2..12).collect::<Vec<_>>());
        assert_eq!(keep_newest(&mut v, 10), 0);
        assert_eq!(v.len(), 10);
    }
}
