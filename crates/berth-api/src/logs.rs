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
