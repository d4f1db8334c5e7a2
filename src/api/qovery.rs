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
