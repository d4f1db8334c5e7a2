//! Kopernik endpoints (contract.md §2).

use berth_api::config::Connection;
use berth_api::kopernik::{
    decode_page, ActionResponse, AttachedVolumesDeletePolicy, ContainerApp, LenientPage, Paged,
    ResourceResponse,
};

use super::http::{get, get_answer, get_with_raw, send, timeout_for, Method};
use super::ApiError;

/// One page of container apps, read item by item (an odd item is reported, not fatal); `jq`
/// filters server-side. `T` is what the caller reads of each app: the full [`ContainerApp`] or a
/// [`berth_api::summary::KopernikApp`].
pub async fn container_apps<T: serde::de::DeserializeOwned>(
    c: &Connection,
    provider: &str,
    next_token: Option<&str>,
    max_results: Option<u32>,
    jq: Option<&str>,
) -> Result<LenientPage<T>, ApiError> {
    let max = max_results.map(|m| m.to_string());
    let answer = get_answer(
        c,
        &["resource", "containerapp", provider],
        &[
            ("nextToken", next_token),
            ("maxResults", max.as_deref()),
            ("jq", jq.filter(|j| !j.trim().is_empty())),
        ],
    )
    .await?;
    decode_page(&answer.body).map_err(|e| ApiError::malformed(answer.status, &e, &answer.body))
}

pub async fn container_app(
    c: &Connection,
    provider: &str,
    uid: &str,
) -> Result<(ResourceResponse<ContainerApp>, serde_json::Value), ApiError> {
    get_with_raw(c, &["resource", "containerapp", provider, uid]).await
}

/// Starts a delete; the answer is the Action (finished within `wait_secs`, or still going).
pub async fn delete_container_app(
    c: &Connection,
    provider: &str,
    uid: &str,
    policy: &AttachedVolumesDeletePolicy,
    wait_secs: u32,
) -> Result<ActionResponse, ApiError> {
    let wait = wait_secs.to_string();
    send::<ActionResponse>(
        Method::Delete,
        c,
        &["resource", "containerapp", provider, uid],
        &[
            ("attachedVolumesDeletePolicy", Some(policy.as_str())),
            ("waitTime", Some(&wait)),
        ],
        None,
        timeout_for(Some(wait_secs)),
    )
    .await?
    .ok_or_else(|| ApiError::malformed(204, "expected an Action, got no body", ""))
}

/// The provider's Actions (`GET /action/{providerUid}`; no paging is documented).
pub async fn actions(
    c: &Connection,
    provider: &str,
) -> Result<Vec<berth_api::kopernik::Action>, ApiError> {
    get::<berth_api::kopernik::Paged<berth_api::kopernik::Action>>(c, &["action", provider], &[])
        .await
        .map(|p| p.resources)
}

pub async fn action(c: &Connection, provider: &str, uid: &str) -> Result<ActionResponse, ApiError> {
    get(c, &["action", provider, uid], &[]).await
}

pub async fn templates(c: &Connection) -> Result<Vec<berth_api::kopernik::AppTemplate>, ApiError> {
    get::<Paged<_>>(c, &["apps", "template"], &[("maxResults", Some("1000"))])
        .await
        .map(|p| p.resources)
}

pub async fn regions(
    c: &Connection,
    provider: &str,
) -> Result<Vec<berth_api::kopernik::Region>, ApiError> {
    get::<Paged<_>>(
        c,
        &["resource", "region", provider],
        &[("maxResults", Some("1000"))],
    )
    .await
    .map(|p| p.resources)
}

pub async fn machine_types(
    c: &Connection,
    provider: &str,
) -> Result<Vec<berth_api::kopernik::MachineType>, ApiError> {
    get::<Paged<_>>(
        c,
        &["resource", "machinetype", provider],
        &[("maxResults", Some("1000"))],
    )
    .await
    .map(|p| p.resources)
}

const CREATE_PATH: [&str; 2] = ["resource", "containerapp"];

/// The method and URL of a create (for the form's curl preview; `create_container_app` sends it).
pub fn create_url(c: &Connection, provider: &str, wait_secs: u32) -> (Method, String) {
    let wait = wait_secs.to_string();
    let segments = [CREATE_PATH[0], CREATE_PATH[1], provider];
    let url = berth_api::http::url(&c.base_url, &segments, &[("waitTime", Some(&wait))]);
    (Method::Post, url)
}

/// Starts a create; the answer is the Action (finished within `wait_secs`, or still going).
pub async fn create_container_app(
    c: &Connection,
    provider: &str,
    body: &berth_api::kopernik::ContainerAppCreate,
    wait_secs: u32,
) -> Result<ActionResponse, ApiError> {
    let wait = wait_secs.to_string();
    let body = serde_json::to_string(body)
        .map_err(|e| ApiError::network(format!("could not build the request: {e}")))?;
    // The server may hold the answer for `wait_secs`: the timeout covers that wait.
    send::<ActionResponse>(
        Method::Post,
        c,
        &[CREATE_PATH[0], CREATE_PATH[1], provider],
        &[("waitTime", Some(&wait))],
        Some(&body),
        timeout_for(Some(wait_secs)),
    )
    .await?
    .ok_or_else(|| ApiError::malformed(204, "expected an Action, got no body", ""))
}
