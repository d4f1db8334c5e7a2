//! Qovery endpoints (contract.md §1).

use berth_api::config::Connection;
use berth_api::qovery::{ContainerResponse, Environment, ListResponse, ServiceAction, Status};
use serde::de::DeserializeOwned;

use super::http::{get, get_with_raw, send, timeout, Method};
use super::ApiError;

// The lists are generic over their item: a screen decodes the full type
// ([`Organization`], [`ContainerResponse`]...) or a `berth_api::summary` type, only what it shows.

pub async fn organizations<T: DeserializeOwned>(c: &Connection) -> Result<Vec<T>, ApiError> {
    get::<ListResponse<_>>(c, &["organization"], &[])
        .await
        .map(|l| l.results)
}

pub async fn projects<T: DeserializeOwned>(c: &Connection, org: &str) -> Result<Vec<T>, ApiError> {
    get::<ListResponse<_>>(c, &["organization", org, "project"], &[])
        .await
        .map(|l| l.results)
}

pub async fn environments<T: DeserializeOwned>(
    c: &Connection,
    project: &str,
) -> Result<Vec<T>, ApiError> {
    get::<ListResponse<_>>(c, &["project", project, "environment"], &[])
        .await
        .map(|l| l.results)
}

pub async fn environment(c: &Connection, env: &str) -> Result<Environment, ApiError> {
    get(c, &["environment", env], &[]).await
}

pub async fn containers<T: DeserializeOwned>(
    c: &Connection,
    env: &str,
) -> Result<Vec<T>, ApiError> {
    get::<ListResponse<_>>(c, &["environment", env, "container"], &[])
        .await
        .map(|l| l.results)
}

pub async fn container(
    c: &Connection,
    id: &str,
) -> Result<(ContainerResponse, serde_json::Value), ApiError> {
    get_with_raw(c, &["container", id]).await
}

pub async fn container_status(c: &Connection, id: &str) -> Result<Status, ApiError> {
    get(c, &["container", id, "status"], &[]).await
}

/// Generic like the lists: the overview decodes only each container's state
/// ([`berth_api::summary::EnvironmentStates`]), the containers screen [`berth_api::qovery::EnvironmentStatuses`].
pub async fn statuses<T: DeserializeOwned>(c: &Connection, env: &str) -> Result<T, ApiError> {
    get(c, &["environment", env, "statuses"], &[]).await
}

/// The environment's deployment stages and each service's status in them (a deployment's
/// stage progress). Older APIs lack it: callers fall back to what they had.
pub async fn statuses_with_stages(
    c: &Connection,
    env: &str,
) -> Result<berth_api::stages::EnvironmentStatusesWithStages, ApiError> {
    get(c, &["environment", env, "statusesWithStages"], &[]).await
}

/// Starts deploy / redeploy / restart / stop (202 with the new Status), or deletes (204).
pub async fn act(
    c: &Connection,
    id: &str,
    action: ServiceAction,
) -> Result<Option<Status>, ApiError> {
    match action {
        ServiceAction::Delete => {
            send::<Status>(Method::Delete, c, &["container", id], &[], None, timeout()).await
        }
        other => {
            let verb = match other {
                ServiceAction::Deploy => "deploy",
                ServiceAction::Redeploy => "redeploy",
                ServiceAction::Restart => "restart-service",
                _ => "stop",
            };
            send(
                Method::Post,
                c,
                &["container", id, verb],
                &[],
                None,
                timeout(),
            )
            .await
        }
    }
}

pub async fn registries(
    c: &Connection,
    org: &str,
) -> Result<Vec<berth_api::qovery::ContainerRegistry>, ApiError> {
    get::<ListResponse<_>>(c, &["organization", org, "containerRegistry"], &[])
        .await
        .map(|l| l.results)
}

/// Images of a registry whose name contains `search`, or the tags of exactly `image`.
pub async fn images(
    c: &Connection,
    org: &str,
    registry: &str,
    search: Option<&str>,
    image: Option<&str>,
) -> Result<Vec<berth_api::qovery::ContainerVersion>, ApiError> {
    get::<ListResponse<_>>(
        c,
        &["organization", org, "containerRegistry", registry, "images"],
        &[("search", search), ("imageName", image)],
    )
    .await
    .map(|l| l.results)
}

/// Where a create (POST to the environment) or a replace (PUT) of a container goes.
fn save_target<'a>(env: &'a str, existing: Option<&'a str>) -> (Method, Vec<&'a str>) {
    match existing {
        Some(id) => (Method::Put, vec!["container", id]),
        None => (Method::Post, vec!["environment", env, "container"]),
    }
}

/// The method and URL of a save (for the form's curl preview; `save_container` sends it).
pub fn save_url(c: &Connection, env: &str, existing: Option<&str>) -> (Method, String) {
    let (method, segments) = save_target(env, existing);
    (method, berth_api::http::url(&c.base_url, &segments, &[]))
}

/// Creates (POST to the environment) or replaces (PUT) a container.
pub async fn save_container(
    c: &Connection,
    env: &str,
    existing: Option<&str>,
    body: &berth_api::qovery::ContainerRequest,
) -> Result<ContainerResponse, ApiError> {
    let body = serde_json::to_string(body)
        .map_err(|e| ApiError::network(format!("could not build the request: {e}")))?;
    let (method, segments) = save_target(env, existing);
    let answer = send(method, c, &segments, &[], Some(&body), timeout()).await;
    answer?.ok_or_else(|| ApiError::malformed(204, "expected the container, got no body", ""))
}

/// The container's last deployments, newest first (one page of 20).
pub async fn deployment_history(
    c: &Connection,
    id: &str,
) -> Result<Vec<berth_api::history::HistoryEntry>, ApiError> {
    get::<berth_api::history::HistoryPage>(
        c,
        &["container", id, "deploymentHistoryV2"],
        &[("pageSize", Some("20"))],
    )
    .await
    .map(|p| p.results)
}

/// The organization's label or annotation groups: `which` is `labelsGroups` or `annotationsGroups`.
pub async fn organization_groups<T: DeserializeOwned>(
    c: &Connection,
    org: &str,
    which: &str,
) -> Result<Vec<T>, ApiError> {
    get::<ListResponse<_>>(c, &["organization", org, which], &[])
        .await
        .map(|l| l.results)
}

/// Deploys the container with another image tag (none: the current one).
pub async fn deploy_tag(c: &Connection, id: &str, tag: &str) -> Result<Option<Status>, ApiError> {
    let body = serde_json::to_string(&berth_api::qovery::DeployRequest {
        image_tag: Some(tag.to_string()),
    })
    .map_err(|e| ApiError::network(format!("could not build the request: {e}")))?;
    send(
        Method::Post,
        c,
        &["container", id, "deploy"],
        &[],
        Some(&body),
        timeout(),
    )
    .await
}

/// Which of a container's two variable collections a call is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VarKind {
    Variable,
    Secret,
}

impl VarKind {
    fn segment(self) -> &'static str {
        match self {
            VarKind::Variable => "environmentVariable",
            VarKind::Secret => "secret",
        }
    }
}

/// The container's variables: its own and the inherited ones (scope says which).
pub async fn variables(
    c: &Connection,
    id: &str,
) -> Result<Vec<berth_api::variables::EnvironmentVariable>, ApiError> {
    get::<ListResponse<_>>(c, &["container", id, "environmentVariable"], &[])
        .await
        .map(|l| l.results)
}

/// The container's secrets, without their values (the API never returns one).
pub async fn secrets(
    c: &Connection,
    id: &str,
) -> Result<Vec<berth_api::variables::Secret>, ApiError> {
    get::<ListResponse<_>>(c, &["container", id, "secret"], &[])
        .await
        .map(|l| l.results)
}

/// Creates (no `var`) or replaces a variable or a secret (same body shape for both).
pub async fn save_variable(
    c: &Connection,
    id: &str,
    kind: VarKind,
    var: Option<&str>,
    body: &berth_api::variables::EnvironmentVariableRequest,
) -> Result<(), ApiError> {
    let body = serde_json::to_string(body)
        .map_err(|e| ApiError::network(format!("could not build the request: {e}")))?;
    let (method, segments) = match var {
        Some(v) => (Method::Put, vec!["container", id, kind.segment(), v]),
        None => (Method::Post, vec!["container", id, kind.segment()]),
    };
    send::<serde_json::Value>(method, c, &segments, &[], Some(&body), timeout())
        .await
        .map(|_| ())
}

pub async fn delete_variable(
    c: &Connection,
    id: &str,
    kind: VarKind,
    var: &str,
) -> Result<(), ApiError> {
    send::<serde_json::Value>(
        Method::Delete,
        c,
        &["container", id, kind.segment(), var],
        &[],
        None,
        timeout(),
    )
    .await
    .map(|_| ())
}

/// Sets many variables and secrets in one call.
pub async fn import_variables(
    c: &Connection,
    id: &str,
    body: &berth_api::variables::VariableImportRequest,
) -> Result<berth_api::variables::VariableImport, ApiError> {
    let text = serde_json::to_string(body)
        .map_err(|e| ApiError::network(format!("could not build the request: {e}")))?;
    let answer = send(
        Method::Post,
        c,
        &["container", id, "environmentVariable", "import"],
        &[],
        Some(&text),
        timeout(),
    )
    .await;
    answer?.ok_or_else(|| ApiError::malformed(204, "expected the import's result, got no body", ""))
}

/// One deployment's log (`execution` is the history entry's execution id).
pub async fn deployment_log(
    c: &Connection,
    env: &str,
    execution: &str,
) -> Result<Vec<berth_api::logs::EnvironmentLog>, ApiError> {
    get(
        c,
        &["environment", env, "logs"],
        &[("version", Some(execution))],
    )
    .await
}

/// Why a deployment failed: the first error line of its log (read once), if it has one.
pub async fn deployment_reason(c: &Connection, env: &str, execution: &str) -> Option<String> {
    let lines = deployment_log(c, env, execution).await.ok()?;
    berth_api::logs::first_error(&lines).map(berth_api::logs::EnvironmentLog::text)
}

/// The last lines the container's instances wrote.
pub async fn container_log(
    c: &Connection,
    id: &str,
) -> Result<Vec<berth_api::logs::ContainerLog>, ApiError> {
    get::<ListResponse<_>>(c, &["container", id, "log"], &[])
        .await
        .map(|l| l.results)
}

pub async fn links(c: &Connection, id: &str) -> Result<Vec<berth_api::links::Link>, ApiError> {
    get::<ListResponse<_>>(c, &["container", id, "link"], &[])
        .await
        .map(|l| l.results)
}

pub async fn custom_domains(
    c: &Connection,
    id: &str,
) -> Result<Vec<berth_api::links::CustomDomain>, ApiError> {
    get::<ListResponse<_>>(c, &["container", id, "customDomain"], &[])
        .await
        .map(|l| l.results)
}

/// Acts on several containers of an environment in one call (all or nothing on the sandbox).
pub async fn bulk(
    c: &Connection,
    env: &str,
    action: ServiceAction,
    ids: &[String],
) -> Result<(), ApiError> {
    use berth_api::bulk::{DeployAllRequest, ServiceIdsRequest};
    let (verb, body) = match action {
        ServiceAction::Deploy | ServiceAction::Redeploy => (
            "deploy",
            serde_json::to_string(&DeployAllRequest::containers(
                ids.iter().map(|i| (i.clone(), None)),
            )),
        ),
        other => (
            match other {
                ServiceAction::Restart => "restart-service",
                ServiceAction::Stop => "stop",
                _ => "delete",
            },
            serde_json::to_string(&ServiceIdsRequest::containers(ids.iter().cloned())),
        ),
    };
    let body = body.map_err(|e| ApiError::network(format!("could not build the request: {e}")))?;
    send::<serde_json::Value>(
        Method::Post,
        c,
        &["environment", env, "service", verb],
        &[],
        Some(&body),
        timeout(),
    )
    .await
    .map(|_| ())
}
