//! Kopernik endpoints (contract.md §2).

use berth_api::config::Connection;
use berth_api::kopernik::{ContainerApp, Paged};

use super::http::get;
use super::ApiError;

pub async fn container_apps(
    c: &Connection,
    provider: &str,
    next_token: Option<&str>,
    max_results: Option<u32>,
) -> Result<Paged<ContainerApp>, ApiError> {
    let max = max_results.map(|m| m.to_string());
    get(
        c,
        &["resource", "containerapp", provider],
        &[("nextToken", next_token), ("maxResults", max.as_deref())],
    )
    .await
}
