//! Qovery endpoints (contract.md §1).

use berth_api::config::Connection;
use berth_api::qovery::{
    ContainerResponse, Environment, EnvironmentStatuses, ListResponse, Organization, Project,
};

use super::http::get;
use super::ApiError;

pub async fn organizations(c: &Connection) -> Result<Vec<Organization>, ApiError> {
    get::<ListResponse<_>>(c, &["organization"], &[])
        .await
        .map(|l| l.results)
}

pub async fn projects(c: &Connection, org: &str) -> Result<Vec<Project>, ApiError> {
    get::<ListResponse<_>>(c, &["organization", org, "project"], &[])
        .await
        .map(|l| l.results)
}

pub async fn environments(c: &Connection, project: &str) -> Result<Vec<Environment>, ApiError> {
    get::<ListResponse<_>>(c, &["project", project, "environment"], &[])
        .await
        .map(|l| l.results)
}

pub async fn containers(c: &Connection, env: &str) -> Result<Vec<ContainerResponse>, ApiError> {
    get::<ListResponse<_>>(c, &["environment", env, "container"], &[])
        .await
        .map(|l| l.results)
}

pub async fn statuses(c: &Connection, env: &str) -> Result<EnvironmentStatuses, ApiError> {
    get(c, &["environment", env, "statuses"], &[]).await
}
