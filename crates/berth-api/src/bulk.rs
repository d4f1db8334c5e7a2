//! Acting on several services of an environment at once: `POST /environment/{id}/service/deploy`
//! (`DeployAllRequest`), `/service/restart-service` (`RebootServicesRequest`), `/service/stop` and
//! `/service/delete` (`EnvironmentServiceIdsAllRequest`). Only the container parts are used by
//! Berth; the other kinds are kept so a body round-trips.

use serde::{Deserialize, Serialize};

/// A container of a `DeployAllRequest`: its id, and a new tag (none: keep the current one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeployContainer {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_tag: Option<String>,
}

/// Body of `POST /environment/{id}/service/deploy`; answered 202 with an `EnvironmentStatus`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DeployAllRequest {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub containers: Vec<DeployContainer>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub applications: Vec<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub databases: Vec<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub jobs: Vec<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub helms: Vec<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub terraforms: Vec<serde_json::Value>,
}

/// Body of `POST /environment/{id}/service/restart-service` (`RebootServicesRequest`), answered
/// 202 with a `Status`, and of `/service/stop` and `/service/delete`
/// (`EnvironmentServiceIdsAllRequest`, which adds `job_ids`, `helm_ids`, `terraform_ids`),
/// answered 200 with no body.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ServiceIdsRequest {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub container_ids: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub application_ids: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub database_ids: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub job_ids: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub helm_ids: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub terraform_ids: Vec<String>,
}

impl ServiceIdsRequest {
    pub fn containers(ids: impl IntoIterator<Item = String>) -> Self {
        Self {
            container_ids: ids.into_iter().collect(),
            ..Self::default()
        }
    }
}

impl DeployAllRequest {
    /// Deploys `containers` (id, optional new tag).
    pub fn containers(containers: impl IntoIterator<Item = (String, Option<String>)>) -> Self {
        Self {
            containers: containers
                .into_iter()
                .map(|(id, image_tag)| DeployContainer { id, image_tag })
                .collect(),
            ..Self::default()
        }
    }
}
