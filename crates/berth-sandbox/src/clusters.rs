//! Clusters (kind `cluster`, under the organization): `GET /organization/{id}/cluster` (the
//! spec's `ClusterResponseList`) and `GET /organization/{id}/cluster/{clusterId}` (a `Cluster`:
//! the spec lists no GET for one cluster, only its PUT and DELETE, whose answer is a `Cluster`).
//!
//! Every organization has two (ASSUMED shapes of a managed AWS cluster of three nodes):
//! `sandbox-cluster` with metrics (`metrics_parameters.enabled: true`, Qovery's managed
//! Prometheus) and `sandbox-cluster-us` without. Environments carry the `cluster_id` they run on;
//! one created through the API lands on the organization's first cluster unless it names one.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::app::AppState;
use crate::db::{Db, Tx};
use crate::errors::{q500, ApiError};
use crate::qovery::{in_tx, must_get, results, Res};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/organization/{id}/cluster", get(list))
        .route("/organization/{id}/cluster/{cluster}", get(one))
}

/// The cluster `id`, or a 404.
pub fn must_get_cluster(t: &Tx<'_>, id: &str) -> Result<Value, ApiError> {
    must_get(t, "cluster", "cluster", id)
}

/// Whether the cluster has Qovery's metrics (Prometheus) enabled.
pub fn metrics_enabled(cluster: &Value) -> bool {
    cluster["metrics_parameters"]["enabled"] == true
}

async fn list(State(s): State<AppState>, Path(org): Path<String>) -> Res {
    in_tx(&s, move |_, t| {
        must_get(t, "org", "organization", &org)?;
        Ok(results(t.all("cluster", Some(&org)).map_err(q500)?))
    })
    .await
}

async fn one(State(s): State<AppState>, Path((org, id)): Path<(String, String)>) -> Res {
    in_tx(&s, move |_, t| {
        must_get(t, "org", "organization", &org)?;
        let cluster = t
            .get("cluster", &id)
            .map_err(q500)?
            .filter(|c| c["organization"]["id"] == org.as_str())
            .ok_or_else(|| {
                ApiError::qovery(
                    StatusCode::NOT_FOUND,
                    format!("cluster `{id}` not found in this organization"),
                )
            })?;
        Ok(Json(cluster).into_response())
    })
    .await
}

/// The organization's clusters, first (the default, with metrics) first.
pub fn of_org(t: &Tx<'_>, org: &str) -> Result<Vec<Value>, String> {
    t.all("cluster", Some(org))
}

/// What an environment says of the cluster it runs on.
pub fn place_env(env: &mut Value, cluster: &Value) {
    env["cluster_id"] = cluster["id"].clone();
    env["cluster_name"] = cluster["name"].clone();
    env["cloud_provider"] = json!({
        "provider": cluster["cloud_provider"].as_str().unwrap_or("AWS").to_ascii_lowercase(),
        "cluster": cluster["region"],
    });
}

/// The two clusters of a demo organization: with metrics (the default) and without.
pub fn demo_clusters(org: &str) -> [Value; 2] {
    let now = crate::ids::now_rfc3339();
    let cluster = |name: &str, region: &str, metrics: Value, default: bool| {
        json!({
            "id": crate::ids::uuid(), "created_at": now, "updated_at": now,
            "organization": {"id": org}, "name": name,
            "description": if default { "Managed cluster with Qovery's observability (Prometheus)" }
                else { "Managed cluster without metrics" },
            "region": region, "cloud_provider": "AWS", "kubernetes": "MANAGED", "version": "1.31",
            // Three nodes of 2 vCPU and 8 GiB (ASSUMED demo sizing).
            "min_running_nodes": 3, "max_running_nodes": 3, "instance_type": "T3A_LARGE",
            "disk_size": 50, "cpu": 6000, "memory": 24576, "estimated_cloud_provider_cost": 260,
            "status": "DEPLOYED", "deployment_status": "UP_TO_DATE", "has_access": true,
            "is_default": default, "is_demo": false, "production": default, "ssh_keys": [],
            "features": [], "metrics_parameters": metrics,
        })
    };
    [
        cluster(
            "sandbox-cluster",
            "eu-west-3",
            json!({"enabled": true, "configuration": {
                "kind": "MANAGED_BY_QOVERY", "resource_profile": "NORMAL", "high_availability": false,
                "internal_network_monitoring": {"enabled": false}, "alerting": {"enabled": false},
                "cloud_watch_export_config": {"enabled": false}}}),
            true,
        ),
        cluster(
            "sandbox-cluster-us",
            "us-east-2",
            json!({"enabled": false}),
            false,
        ),
    ]
}

/// Gives every organization its two clusters and every environment a cluster of its own
/// organization (the first, with metrics). Data folders seeded before clusters existed are
/// brought up to date; a folder that has them is left as it is.
pub fn ensure(db: &Db) -> Result<(), String> {
    db.tx(|t| {
        for org in t.all("org", None)? {
            let org_id = org["id"].as_str().unwrap_or_default().to_string();
            let mut clusters = of_org(t, &org_id)?;
            if clusters.is_empty() {
                for c in demo_clusters(&org_id) {
                    t.put("cluster", c["id"].as_str().unwrap_or_default(), &org_id, &c)?;
                    clusters.push(c);
                }
            }
            let Some(first) = clusters.first() else {
                continue;
            };
            for project in t.all("project", Some(&org_id))? {
                let pid = project["id"].as_str().unwrap_or_default();
                for mut env in t.all("env", Some(pid))? {
                    let known = clusters.iter().any(|c| c["id"] == env["cluster_id"]);
                    if !known {
                        place_env(&mut env, first);
                        t.put("env", env["id"].as_str().unwrap_or_default(), pid, &env)?;
                    }
                }
            }
        }
        Ok::<(), String>(())
    })?
}
