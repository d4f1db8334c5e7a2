//! `POST /project/{projectId}/environment` (the spec's `createEnvironment`, body
//! `CreateEnvironmentRequest {name, cluster?, mode?}`): 201 `Environment`. The environment lands
//! on the named cluster (one of the project's organization's, else a 400) or on the
//! organization's first one (the default, with metrics). Its name is taken case-insensitively
//! within the project (409, the spec's words). ASSUMED: `mode` defaults to `DEVELOPMENT`; the
//! environment gets the demo's bounds (`maximum_cpu` 8000, `maximum_memory` 16384,
//! `maximum_gpu` 2) and no variables.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use serde::Deserialize;
use serde_json::json;

use crate::app::AppState;
use crate::errors::{parse_body, q500, ApiError};
use crate::qovery::{in_tx, must_get, Res};

#[derive(Deserialize)]
struct CreateEnvironmentRequest {
    name: String,
    #[serde(default)]
    cluster: Option<String>,
    #[serde(default)]
    mode: Option<String>,
}

const MODES: [&str; 3] = ["DEVELOPMENT", "PRODUCTION", "STAGING"];

pub async fn create(State(s): State<AppState>, Path(project): Path<String>, body: Bytes) -> Res {
    let req: CreateEnvironmentRequest = parse_body(&body, ApiError::qovery)?;
    let bad = |msg: String| ApiError::qovery(StatusCode::BAD_REQUEST, msg);
    let name = req.name.trim().to_string();
    if name.is_empty() {
        return Err(bad("name: must not be empty".into()));
    }
    if name.chars().count() > 255 {
        return Err(bad("name: must be at most 255 characters long".into()));
    }
    let mode = req.mode.unwrap_or_else(|| "DEVELOPMENT".into());
    if !MODES.contains(&mode.as_str()) {
        return Err(bad(format!(
            "mode: `{mode}` is not one of {}",
            MODES.join(", ")
        )));
    }
    in_tx(&s, move |_, t| {
        let project_doc = must_get(t, "project", "project", &project)?;
        let org = project_doc["organization"]["id"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let taken = t.all("env", Some(&project)).map_err(q500)?.iter().any(|e| {
            e["name"]
                .as_str()
                .is_some_and(|n| n.eq_ignore_ascii_case(&name))
        });
        if taken {
            return Err(ApiError::qovery(
                StatusCode::CONFLICT,
                "name: Environment name within the project is already taken",
            ));
        }
        let clusters = crate::clusters::of_org(t, &org).map_err(q500)?;
        let cluster = match req.cluster.as_deref().map(str::trim) {
            Some(id) if !id.is_empty() => {
                clusters.iter().find(|c| c["id"] == id).ok_or_else(|| {
                    bad(format!(
                        "cluster: unknown cluster `{id}` in this organization"
                    ))
                })?
            }
            _ => clusters
                .first()
                .ok_or_else(|| bad("cluster: the organization has no cluster".into()))?,
        };
        let id = crate::ids::uuid();
        let now = crate::ids::now_rfc3339();
        let mut env = json!({
            "id": id, "created_at": now, "updated_at": now, "name": name, "mode": mode,
            "organization": {"id": org}, "project": {"id": project},
            "maximum_cpu": 8000, "maximum_memory": 16384, "maximum_gpu": 2});
        crate::clusters::place_env(&mut env, cluster);
        t.put("env", &id, &project, &env).map_err(q500)?;
        Ok((StatusCode::CREATED, Json(env)).into_response())
    })
    .await
}
