//! A Qovery service's deployment history: `GET /container/{id}/deploymentHistoryV2` (spec
//! `DeploymentHistoryServicePaginatedResponseListV2`), read leniently: a missing field shows as
//! unknown, it never fails the page.

use serde::Deserialize;

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct HistoryPage {
    #[serde(default)]
    pub results: Vec<HistoryEntry>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct HistoryEntry {
    #[serde(default)]
    pub identifier: Identifier,
    /// The service state it reached (`DEPLOYED`, `DEPLOYMENT_ERROR`…).
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub auditing_data: Auditing,
    #[serde(default)]
    pub details: Details,
    #[serde(default)]
    pub status_details: Option<StatusDetails>,
    /// ISO 8601 (`PT42S`), once it ended.
    #[serde(default)]
    pub total_duration: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Identifier {
    #[serde(default)]
    pub execution_id: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Auditing {
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub updated_at: Option<String>,
    #[serde(default)]
    pub triggered_by: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Details {
    #[serde(default)]
    pub image_name: Option<String>,
    #[serde(default)]
    pub tag: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct StatusDetails {
    /// `DEPLOY`, `RESTART`, `STOP`, `DELETE`.
    #[serde(default)]
    pub action: Option<String>,
    /// `QUEUED`, `ONGOING`, `EXECUTING`, `SUCCESS`, `ERROR`, `CANCELING`, `CANCELED`, `NEVER`.
    #[serde(default)]
    pub status: Option<String>,
}

/// How an entry ended, for its chip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Running,
    Succeeded,
    Failed,
    Canceled,
    Unknown,
}

impl HistoryEntry {
    /// "deploy", "restart"… (lowercase), or "operation" when the server did not say.
    pub fn action(&self) -> String {
        self.status_details
            .as_ref()
            .and_then(|s| s.action.as_deref())
            .map(str::to_ascii_lowercase)
            .unwrap_or_else(|| "operation".into())
    }

    /// The image it ran: `nginx:1.27`.
    pub fn image(&self) -> Option<String> {
        let name = self.details.image_name.as_deref()?;
        Some(match self.details.tag.as_deref() {
            Some(tag) if !tag.is_empty() => format!("{name}:{tag}"),
            _ => name.to_string(),
        })
    }

    pub fn outcome(&self) -> Outcome {
        match self
            .status_details
            .as_ref()
            .and_then(|s| s.status.as_deref())
        {
            Some("QUEUED" | "ONGOING" | "EXECUTING" | "CANCELING") => Outcome::Running,
            Some("SUCCESS") => Outcome::Succeeded,
            Some("ERROR") => Outcome::Failed,
            Some("CANCELED") => Outcome::Canceled,
            _ => Outcome::Unknown,
        }
    }

    /// "12 s", "3 min 5 s", "1 h 2 min", from `total_duration`.
    pub fn duration(&self) -> Option<String> {
        let secs = iso_duration_secs(self.total_duration.as_deref()?)?;
        let s = secs.round() as u64;
        Some(match s {
            0..=59 => format!("{s} s"),
            60..=3599 => format!("{} min {} s", s / 60, s % 60),
            _ => format!("{} h {} min", s / 3600, s % 3600 / 60),
        })
    }

    /// `2026-11-30 19:48:03 UTC` from an RFC 3339 time in UTC; the text as sent otherwise.
    pub fn started(&self) -> Option<String> {
        let at = self.auditing_data.created_at.as_deref()?;
        Some(
            match (at.get(..19), at.ends_with('Z') || at.ends_with("+00:00")) {
                (Some(day_time), true) => format!("{} UTC", day_time.replacen('T', " ", 1)),
                _ => at.to_string(),
            },
        )
    }
}

/// Seconds of an ISO 8601 duration of hours, minutes and seconds (`PT1H2M3.5S`).
pub fn iso_duration_secs(text: &str) -> Option<f64> {
    let rest = text.strip_prefix("PT")?;
    let mut total = 0.0;
    let mut number = String::new();
    for c in rest.chars() {
        match c {
            '0'..='9' | '.' => number.push(c),
            'H' | 'M' | 'S' => {
                let n: f64 = number.parse().ok()?;
                total += n * match c {
                    'H' => 3600.0,
                    'M' => 60.0,
                    _ => 1.0,
                };
                number.clear();
            }
            _ => return None,
        }
    }
    number.is_empty().then_some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_reads_as_people_say_it() {
        let page: HistoryPage = serde_json::from_str(
            r#"{"page": 1, "page_size": 20, "results": [{
                "identifier": {"name": "web", "service_id": "s", "service_type": "CONTAINER", "execution_id": "e1"},
                "status": "DEPLOYED",
                "auditing_data": {"created_at": "2026-11-30T19:48:03.512Z", "updated_at": "2026-11-30T19:49:08Z", "triggered_by": "sandbox", "origin": "API"},
                "details": {"image_name": "nginx", "tag": "1.27", "arguments": []},
                "status_details": {"action": "DEPLOY", "status": "SUCCESS", "sub_action": "NONE"},
                "icon_uri": "app://qovery-console/container",
                "total_duration": "PT65S"
            }, {"status_details": {"action": "RESTART", "status": "ONGOING"}}, {}]}"#,
        )
        .expect("decodes");
        let [done, running, bare] = &page.results[..] else {
            panic!("three entries")
        };
        assert_eq!(done.action(), "deploy");
        assert_eq!(done.image().as_deref(), Some("nginx:1.27"));
        assert_eq!(done.outcome(), Outcome::Succeeded);
        assert_eq!(done.duration().as_deref(), Some("1 min 5 s"));
        assert_eq!(done.started().as_deref(), Some("2026-11-30 19:48:03 UTC"));
        assert_eq!(running.outcome(), Outcome::Running);
        assert_eq!(running.duration(), None);
        assert_eq!(bare.action(), "operation");
        assert_eq!(bare.outcome(), Outcome::Unknown);
    }

    #[test]
    fn iso_durations() {
        assert_eq!(iso_duration_secs("PT42S"), Some(42.0));
        assert_eq!(iso_duration_secs("PT1H2M3.5S"), Some(3723.5));
        assert_eq!(iso_duration_secs("PT"), Some(0.0));
        assert_eq!(iso_duration_secs("P1D"), None);
        assert_eq!(iso_duration_secs("PT5"), None);
    }
}
