//! The Qovery API of contract.md §1. Answers follow Qovery's official `qovery-openapi.yaml`
//! (checked by tests/openapi.rs). Every handler's storage work runs on a blocking thread, and each
//! operation's reads and writes are one transaction.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use berth_api::qovery::{
    AnnotationsGroup, ContainerRequest, ContainerResponse, Environment, LabelsGroup,
    ReferenceObject, RegistryDetails, State as DeployState,
};
use berth_api::rules::{self, Limits};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::app::AppState;
use crate::db::Tx;
use crate::errors::{parse_body, q500, ApiError};

pub(crate) type Res = Result<Response, ApiError>;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/organization", get(organizations))
        .route("/organization/{id}/project", get(projects))
        .route("/organization/{id}/containerRegistry", get(registries))
        .route(
            "/organization/{id}/containerRegistry/{registry}/images",
            get(images),
        )
        .route("/organization/{id}/labelsGroups", get(labels_groups))
        .route(
            "/organization/{id}/annotationsGroups",
            get(annotations_groups),
        )
        .route(
            "/project/{id}/environment",
            get(environments).post(crate::environments::create),
        )
        .route("/environment/{id}", get(environment))
        .route(
            "/environment/{id}/container",
            get(containers).post(create_container),
        )
        .route("/environment/{id}/statuses", get(statuses))
        .route(
            "/container/{id}",
            get(container).put(edit_container).delete(delete_container),
        )
        .route("/container/{id}/status", get(container_status))
        .route("/container/{id}/deploymentHistoryV2", get(history))
        .route("/container/{id}/deploy", post(deploy))
        .route("/container/{id}/redeploy", post(redeploy))
        .route("/container/{id}/restart-service", post(restart))
        .route("/container/{id}/stop", post(stop))
        .route("/environment/{id}/service/deploy", post(bulk_deploy))
        .route(
            "/environment/{id}/service/restart-service",
            post(bulk_restart),
        )
        .route("/environment/{id}/service/stop", post(bulk_stop))
        .route("/environment/{id}/service/delete", post(bulk_delete))
        .merge(crate::variables::routes())
        .merge(crate::logs::routes())
        .merge(crate::links::routes())
        .merge(crate::stages::routes())
        .merge(crate::clusters::routes())
        .merge(crate::events::routes())
        .merge(crate::metrics::routes())
}

/// Runs `f` on a blocking thread (SQLite work never holds an async worker).
pub(crate) async fn blocking<T: Send + 'static>(
    s: &AppState,
    f: impl FnOnce(&AppState) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let s = s.clone();
    tokio::task::spawn_blocking(move || f(&s))
        .await
        .map_err(|e| q500(format!("worker: {e}")))?
}

/// Runs `f` in one transaction on a blocking thread.
pub(crate) async fn in_tx<T: Send + 'static>(
    s: &AppState,
    f: impl FnOnce(&AppState, &Tx<'_>) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    blocking(s, move |s| s.db.tx(|t| f(s, t)).map_err(q500)?).await
}

pub(crate) fn results(items: Vec<Value>) -> Response {
    Json(json!({ "results": items })).into_response()
}

pub(crate) fn not_found(what: &str, id: &str) -> ApiError {
    ApiError::qovery(StatusCode::NOT_FOUND, format!("{what} `{id}` not found"))
}

pub(crate) fn must_get(t: &Tx<'_>, kind: &str, what: &str, id: &str) -> Result<Value, ApiError> {
    t.get(kind, id)
        .map_err(q500)?
        .ok_or_else(|| not_found(what, id))
}

// ---------------------------------------------------------------------------------------------
// Answers in the spec's shapes, whatever an older data folder stored.

/// `Organization`: `plan` is required. ASSUMED: the sandbox's organizations are on `TEAM_2025`.
fn org_out(mut v: Value) -> Value {
    if v.get("plan").is_none_or(Value::is_null) {
        v["plan"] = json!("TEAM_2025");
    }
    v
}

/// `Project`: `associated_environments_count` is required (counted, so it is always true).
fn project_out(t: &Tx<'_>, mut v: Value) -> Result<Value, ApiError> {
    let id = v["id"].as_str().unwrap_or_default().to_string();
    let n = t.all("env", Some(&id)).map_err(q500)?.len();
    v["associated_environments_count"] = json!(n);
    Ok(v)
}

/// A status that never went through an operation.
fn fresh_status(id: &str) -> Value {
    json!({"id": id, "state": "READY", "service_deployment_status": "NEVER_DEPLOYED",
           "status_details": {"action": "DEPLOY", "status": "NEVER", "sub_action": "NONE"},
           "is_part_last_deployment": false, "deployment_requests_count": 0,
           "deployment_request_id": null})
}

/// `Status`: `status_details`, `deployment_request_id` (nullable) and the counters are required;
/// `last_deployment_date` is not nullable, so it is left out until there is one.
fn status_out(mut v: Value) -> Value {
    let fresh = fresh_status(v["id"].as_str().unwrap_or_default());
    if let (Some(obj), Value::Object(defaults)) = (v.as_object_mut(), fresh) {
        for (k, d) in defaults {
            if k == "state" || k == "id" {
                continue;
            }
            let missing = match obj.get(&k) {
                None => true,
                Some(Value::Null) => k != "deployment_request_id",
                Some(_) => false,
            };
            if missing {
                obj.insert(k, d);
            }
        }
        if obj.get("last_deployment_date").is_some_and(Value::is_null) {
            obj.remove("last_deployment_date");
        }
    }
    v
}

/// The status a reader sees: the stored one (or a fresh one for a container stored without),
/// held back by `--status-lag-ms` after an operation starts.
fn read_status(t: &Tx<'_>, id: &str) -> Result<Value, ApiError> {
    let stored = t
        .get("status", id)
        .map_err(q500)?
        .unwrap_or_else(|| fresh_status(id));
    let lag = t.get("lag", id).map_err(q500)?;
    Ok(status_out(crate::engine::visible_status(
        lag.as_ref(),
        stored,
        crate::engine::now_ms(),
    )))
}

// ---------------------------------------------------------------------------------------------
// Reads.

async fn organizations(State(s): State<AppState>) -> Res {
    in_tx(&s, |_, t| {
        let orgs = t.all("org", None).map_err(q500)?;
        Ok(results(orgs.into_iter().map(org_out).collect()))
    })
    .await
}

async fn projects(State(s): State<AppState>, Path(id): Path<String>) -> Res {
    in_tx(&s, move |_, t| {
        must_get(t, "org", "organization", &id)?;
        let list = t.all("project", Some(&id)).map_err(q500)?;
        let list = list
            .into_iter()
            .map(|p| project_out(t, p))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(results(list))
    })
    .await
}

async fn registries(State(s): State<AppState>, Path(id): Path<String>) -> Res {
    in_tx(&s, move |_, t| {
        must_get(t, "org", "organization", &id)?;
        Ok(results(t.all("registry", Some(&id)).map_err(q500)?))
    })
    .await
}

async fn labels_groups(State(s): State<AppState>, Path(id): Path<String>) -> Res {
    in_tx(&s, move |_, t| {
        must_get(t, "org", "organization", &id)?;
        Ok(results(t.all("labels_group", Some(&id)).map_err(q500)?))
    })
    .await
}

async fn annotations_groups(State(s): State<AppState>, Path(id): Path<String>) -> Res {
    in_tx(&s, move |_, t| {
        must_get(t, "org", "organization", &id)?;
        Ok(results(
            t.all("annotations_group", Some(&id)).map_err(q500)?,
        ))
    })
    .await
}

#[derive(Deserialize)]
struct ImageQuery {
    search: Option<String>,
    #[serde(rename = "imageName")]
    image_name: Option<String>,
}

async fn images(
    State(s): State<AppState>,
    Path((org, registry)): Path<(String, String)>,
    Query(q): Query<ImageQuery>,
) -> Res {
    in_tx(&s, move |_, t| {
        must_get(t, "org", "organization", &org)?;
        must_get(t, "registry", "container registry", &registry)?;
        let all = t.all("image", Some(&registry)).map_err(q500)?;
        let name = |v: &Value| v["image_name"].as_str().unwrap_or_default().to_lowercase();
        let picked = all
            .into_iter()
            .filter(|v| match (&q.image_name, &q.search) {
                (Some(exact), _) => name(v) == exact.to_lowercase(),
                (None, Some(search)) => name(v).contains(&search.to_lowercase()),
                (None, None) => true,
            })
            .collect();
        Ok(results(picked))
    })
    .await
}

async fn environments(State(s): State<AppState>, Path(id): Path<String>) -> Res {
    in_tx(&s, move |_, t| {
        must_get(t, "project", "project", &id)?;
        Ok(results(t.all("env", Some(&id)).map_err(q500)?))
    })
    .await
}

async fn environment(State(s): State<AppState>, Path(id): Path<String>) -> Res {
    in_tx(&s, move |_, t| {
        Ok(Json(must_get(t, "env", "environment", &id)?).into_response())
    })
    .await
}

async fn containers(State(s): State<AppState>, Path(id): Path<String>) -> Res {
    in_tx(&s, move |_, t| {
        must_get(t, "env", "environment", &id)?;
        Ok(results(t.all("container", Some(&id)).map_err(q500)?))
    })
    .await
}

async fn container(State(s): State<AppState>, Path(id): Path<String>) -> Res {
    in_tx(&s, move |_, t| {
        Ok(Json(must_get(t, "container", "container", &id)?).into_response())
    })
    .await
}

async fn container_status(State(s): State<AppState>, Path(id): Path<String>) -> Res {
    in_tx(&s, move |_, t| {
        must_get(t, "container", "container", &id)?;
        Ok(Json(read_status(t, &id)?).into_response())
    })
    .await
}

async fn statuses(State(s): State<AppState>, Path(id): Path<String>) -> Res {
    in_tx(&s, move |_, t| {
        let (environment, list) = environment_statuses(t, &id)?;
        Ok(Json(json!({
            "environment": environment,
            "applications": [], "containers": list, "jobs": [], "databases": [],
            "helms": [], "terraforms": [],
        }))
        .into_response())
    })
    .await
}

/// The environment's `EnvironmentStatus` and its containers' `Status`es, as readers see them
/// (`/environment/{id}/statuses` and `/statusesWithStages`); 404 for an unknown environment.
pub(crate) fn environment_statuses(t: &Tx<'_>, id: &str) -> Result<(Value, Vec<Value>), ApiError> {
    must_get(t, "env", "environment", id)?;
    let mut list = Vec::new();
    for c in t.all("container", Some(id)).map_err(q500)? {
        let cid = c["id"].as_str().unwrap_or_default();
        list.push(read_status(t, cid)?);
    }
    let running = |st: &Value| st["state"] == "DEPLOYED" || st["state"] == "RESTARTED";
    let env_state = if list.iter().any(running) {
        "DEPLOYED"
    } else {
        "READY"
    };
    let mut environment =
        json!({ "id": id, "state": env_state, "last_deployment_state": env_state });
    if let Some(last) = list
        .iter()
        .filter_map(|st| st["last_deployment_date"].as_str())
        .max()
    {
        environment["last_deployment_date"] = json!(last);
    }
    Ok((environment, list))
}

#[derive(Deserialize)]
struct HistoryQuery {
    #[serde(rename = "pageSize")]
    page_size: Option<String>,
}

/// `deploymentHistoryV2`: the container's operations, newest first. ASSUMED: one page (page 1)
/// of `pageSize` (default 20, 1-100).
async fn history(
    State(s): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<HistoryQuery>,
) -> Res {
    let size = match q.page_size.as_deref() {
        None | Some("") => 20,
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=100).contains(n))
            .ok_or_else(|| {
                ApiError::qovery(
                    StatusCode::BAD_REQUEST,
                    format!("pageSize: must be a whole number from 1 to 100 (got `{v}`)"),
                )
            })?,
    };
    in_tx(&s, move |_, t| {
        must_get(t, "container", "container", &id)?;
        let mut all = t.all("history", Some(&id)).map_err(q500)?;
        all.reverse();
        all.truncate(size);
        for h in &mut all {
            if let Some(o) = h.as_object_mut() {
                o.remove("id");
            }
        }
        Ok(Json(json!({"page": 1, "page_size": size, "results": all})).into_response())
    })
    .await
}

// ---------------------------------------------------------------------------------------------
// Writes.

/// The organization's groups a request names, in full.
#[derive(Default)]
pub struct Groups {
    pub labels: Vec<LabelsGroup>,
    pub annotations: Vec<AnnotationsGroup>,
}

/// Checks a create or PUT body against the rules and what only the server knows, inside the
/// transaction that writes it; `except` is the container being replaced (its own name is not
/// "taken").
fn check_request(
    t: &Tx<'_>,
    env: &Environment,
    req: &ContainerRequest,
    except: Option<&str>,
) -> Result<(Value, Groups), ApiError> {
    let limits = Limits {
        maximum_cpu: env.maximum_cpu,
        maximum_memory: env.maximum_memory,
        maximum_gpu: env.maximum_gpu,
    };
    let errors = rules::qovery_container(req, &limits);
    if !errors.is_empty() {
        return Err(ApiError::qovery(
            StatusCode::BAD_REQUEST,
            berth_api::error::join(&errors),
        ));
    }
    let org = env
        .organization
        .as_ref()
        .map(|o| o.id.clone())
        .unwrap_or_default();
    let bad = |msg: String| ApiError::qovery(StatusCode::BAD_REQUEST, msg);
    let registry = t
        .get("registry", &req.registry_id)
        .map_err(q500)?
        .filter(|r| r["organization_id"] == org.as_str())
        .ok_or_else(|| {
            bad(format!(
                "registry_id: unknown registry `{}` in this organization",
                req.registry_id
            ))
        })?;
    let mut groups = Groups::default();
    for (i, g) in req.labels_groups.iter().flatten().enumerate() {
        let doc = t
            .get("labels_group", &g.id)
            .map_err(q500)?
            .filter(|d| d["organization_id"] == org.as_str())
            .ok_or_else(|| {
                bad(format!(
                    "labels_groups[{i}].id: unknown labels group `{}`",
                    g.id
                ))
            })?;
        groups.labels.push(
            serde_json::from_value(doc).map_err(|e| q500(format!("stored labels group: {e}")))?,
        );
    }
    for (i, g) in req.annotations_groups.iter().flatten().enumerate() {
        let doc = t
            .get("annotations_group", &g.id)
            .map_err(q500)?
            .filter(|d| d["organization_id"] == org.as_str())
            .ok_or_else(|| {
                bad(format!(
                    "annotations_groups[{i}].id: unknown annotations group `{}`",
                    g.id
                ))
            })?;
        groups.annotations.push(
            serde_json::from_value(doc)
                .map_err(|e| q500(format!("stored annotations group: {e}")))?,
        );
    }
    let name = req.name.trim();
    let taken = t
        .all("container", Some(&env.id))
        .map_err(q500)?
        .iter()
        .filter(|c| c["id"].as_str() != except)
        .any(|c| {
            c["name"]
                .as_str()
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
        });
    if taken {
        return Err(ApiError::qovery(
            StatusCode::CONFLICT,
            "name: Container name within the environment is already taken",
        ));
    }
    Ok((registry, groups))
}

fn load_env(t: &Tx<'_>, id: &str) -> Result<Environment, ApiError> {
    let doc = must_get(t, "env", "environment", id)?;
    serde_json::from_value(doc).map_err(|e| q500(format!("stored environment: {e}")))
}

async fn create_container(
    State(s): State<AppState>,
    Path(env_id): Path<String>,
    body: Bytes,
) -> Res {
    in_tx(&s, move |_, t| {
        let env = load_env(t, &env_id)?;
        let req: ContainerRequest = parse_body(&body, ApiError::qovery)?;
        let (registry, groups) = check_request(t, &env, &req, None)?;
        let id = crate::ids::uuid();
        let response = build_response(&id, &env, &req, &registry, &groups);
        let value = serde_json::to_value(&response).map_err(|e| q500(e.to_string()))?;
        t.put("container", &id, &env_id, &value).map_err(q500)?;
        crate::faults::crash_point();
        t.put("status", &id, &env_id, &fresh_status(&id))
            .map_err(q500)?;
        Ok((StatusCode::CREATED, Json(value)).into_response())
    })
    .await
}

/// A full replace: ports and storage sent with an id keep it, new ones get one, omitted ones go.
async fn edit_container(State(s): State<AppState>, Path(id): Path<String>, body: Bytes) -> Res {
    in_tx(&s, move |_, t| {
        let existing = must_get(t, "container", "container", &id)?;
        let env_id = existing["environment"]["id"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let env = load_env(t, &env_id)?;
        let req: ContainerRequest = parse_body(&body, ApiError::qovery)?;
        let (registry, groups) = check_request(t, &env, &req, Some(&id))?;
        let mut response = build_response(&id, &env, &req, &registry, &groups);
        response.created_at = existing["created_at"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let value = serde_json::to_value(&response).map_err(|e| q500(e.to_string()))?;
        t.put("container", &id, &env_id, &value).map_err(q500)?;
        if let Some(mut status) = t.get("status", &id).map_err(q500)? {
            if status["service_deployment_status"] == "UP_TO_DATE" {
                status["service_deployment_status"] = json!("OUT_OF_DATE");
                t.put("status", &id, &env_id, &status).map_err(q500)?;
            }
        }
        Ok(Json(value).into_response())
    })
    .await
}

/// The stored container: the request with the server's defaults filled in, as the real API does.
pub fn build_response(
    id: &str,
    env: &Environment,
    req: &ContainerRequest,
    registry: &Value,
    groups: &Groups,
) -> ContainerResponse {
    let now = crate::ids::now_rfc3339();
    let mut ports = req.ports.clone().unwrap_or_default();
    for p in &mut ports {
        p.id.get_or_insert_with(crate::ids::uuid);
        let protocol = p
            .protocol
            .get_or_insert(berth_api::qovery::PortProtocol::Http)
            .clone();
        // A public port without an external port gets the documented default: 443 for HTTP
        // and GRPC, its own number for TCP and UDP (qovery-reference.md A.6).
        if p.publicly_accessible && p.external_port.is_none() {
            p.external_port = Some(match protocol {
                berth_api::qovery::PortProtocol::Http | berth_api::qovery::PortProtocol::Grpc => {
                    443
                }
                _ => p.internal_port,
            });
        }
    }
    let mut storage = req.storage.clone().unwrap_or_default();
    for st in &mut storage {
        st.id.get_or_insert_with(crate::ids::uuid);
    }
    ContainerResponse {
        id: id.to_string(),
        created_at: now.clone(),
        updated_at: Some(now),
        storage: Some(storage),
        image_name: req.image_name.clone(),
        tag: req.tag.clone(),
        registry_id: Some(req.registry_id.clone()),
        registry: Some(RegistryDetails {
            id: req.registry_id.clone(),
            name: registry["name"].as_str().unwrap_or_default().to_string(),
            url: registry["url"].as_str().map(str::to_string),
            kind: serde_json::from_value(registry["kind"].clone()).ok(),
        }),
        environment: Some(ReferenceObject { id: env.id.clone() }),
        maximum_cpu: env.maximum_cpu.unwrap_or(8000),
        maximum_memory: env.maximum_memory.unwrap_or(16384),
        maximum_gpu: env.maximum_gpu.unwrap_or(0),
        name: req.name.trim().to_string(),
        description: req.description.clone(),
        arguments: req.arguments.clone(),
        entrypoint: req.entrypoint.clone(),
        cpu: req.cpu.unwrap_or(ContainerRequest::DEFAULT_CPU),
        memory: req.memory.unwrap_or(ContainerRequest::DEFAULT_MEMORY),
        gpu: req.gpu.unwrap_or(0),
        min_running_instances: req.min_running_instances.unwrap_or(1),
        max_running_instances: req.max_running_instances.unwrap_or(1),
        healthchecks: req.healthchecks.clone(),
        auto_preview: req.auto_preview.unwrap_or(false),
        ports: Some(ports),
        auto_deploy: req.auto_deploy,
        annotations_groups: Some(groups.annotations.clone()),
        labels_groups: Some(groups.labels.clone()),
        icon_uri: req
            .icon_uri
            .clone()
            .unwrap_or_else(|| "app://qovery-console/container".into()),
        service_type: Some(berth_api::qovery::ServiceType::Container),
    }
}

/// Answers 204: an idle container goes at once; while an operation runs the deletion is queued (the
/// spec lists no 409 here): the running operation is superseded (ASSUMED) and the container
/// walks `DELETE_QUEUED → DELETING` over `--provision-ms`, then is gone.
async fn delete_container(State(s): State<AppState>, Path(id): Path<String>) -> Res {
    in_tx(&s, move |s, t| {
        delete_one(s, t, &id)?;
        Ok(StatusCode::NO_CONTENT.into_response())
    })
    .await
}

/// Deletes a container at once, or queues its deletion behind a running operation.
fn delete_one(s: &AppState, t: &Tx<'_>, id: &str) -> Result<(), ApiError> {
    let id = id.to_string();
    {
        let container = must_get(t, "container", "container", &id)?;
        let env_id = container["environment"]["id"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        match t.get("deploy_plan", &id).map_err(q500)? {
            Some(plan) if plan["delete"] == true => {}
            Some(plan) => {
                if let Some(hid) = plan["history"].as_str() {
                    if let Some(mut h) = t.get("history", hid).map_err(q500)? {
                        h["status"] = json!("CANCELED");
                        h["status_details"]["status"] = json!("CANCELED");
                        h["auditing_data"]["updated_at"] = json!(crate::ids::now_rfc3339());
                        t.put("history", hid, &id, &h).map_err(q500)?;
                    }
                }
                let path = ["DELETE_QUEUED", "DELETING", "DELETED"];
                let history = record_history(t, &id, &container, "DELETE", path[0])?;
                let now = crate::engine::now_ms();
                let plan = json!({"container": id, "env": env_id, "action": "DELETE", "path": path,
                    "delete": true, "history": history, "logged": 1, "ctx": plan_context(t, &container)?,
                    "started_ms": now, "provision_ms": s.provision_ms});
                crate::logs::write_deploy_lines(t, &plan, path[0], now).map_err(q500)?;
                t.put("deploy_plan", &id, "", &plan).map_err(q500)?;
                let mut status = t
                    .get("status", &id)
                    .map_err(q500)?
                    .unwrap_or_else(|| fresh_status(&id));
                status["state"] = json!(path[0]);
                status["status_details"] =
                    json!({"action": "DELETE", "status": "QUEUED", "sub_action": "NONE"});
                status["execution_id"] = json!(history);
                t.put("status", &id, &env_id, &status).map_err(q500)?;
                t.delete("lag", &id).map_err(q500)?;
            }
            None => {
                t.delete("container", &id).map_err(q500)?;
                crate::faults::crash_point();
                t.delete("status", &id).map_err(q500)?;
                t.delete("lag", &id).map_err(q500)?;
                for h in t.all("history", Some(&id)).map_err(q500)? {
                    t.delete("history", h["id"].as_str().unwrap_or_default())
                        .map_err(q500)?;
                }
                crate::engine::forget_container(t, &id).map_err(q500)?;
            }
        }
        Ok(())
    }
}

/// Adds a deployment-history entry (spec `DeploymentHistoryService`) and returns its id.
fn record_history(
    t: &Tx<'_>,
    id: &str,
    container: &Value,
    action: &str,
    state: &str,
) -> Result<String, ApiError> {
    let hid = crate::ids::uuid();
    let now = crate::ids::now_rfc3339();
    let mut details = json!({
        "image_name": container["image_name"], "tag": container["tag"],
        "arguments": container["arguments"].as_array().cloned().unwrap_or_default(),
    });
    if let Some(e) = container["entrypoint"].as_str() {
        details["entrypoint"] = json!(e);
    }
    let entry = json!({
        "id": hid,
        "identifier": {"name": container["name"], "service_id": id, "service_type": "CONTAINER",
                       "execution_id": hid},
        "status": state,
        "auditing_data": {"created_at": now, "updated_at": now, "triggered_by": "sandbox", "origin": "API"},
        "details": details,
        "icon_uri": container["icon_uri"].as_str().unwrap_or("app://qovery-console/container"),
        "status_details": {"action": action, "status": "QUEUED", "sub_action": "NONE"},
    });
    t.put("history", &hid, id, &entry).map_err(q500)?;
    Ok(hid)
}

async fn deploy(State(s): State<AppState>, Path(id): Path<String>, body: Bytes) -> Res {
    // The body is optional; `{image_tag}` deploys another tag.
    let tag = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        parse_body::<berth_api::qovery::DeployRequest>(&body, ApiError::qovery)?
            .image_tag
            .filter(|t| !t.trim().is_empty())
    };
    if let Some(t) = &tag {
        if let Some(msg) = rules::image_tag(t) {
            return Err(ApiError::qovery(
                StatusCode::BAD_REQUEST,
                format!("image_tag: {msg}"),
            ));
        }
    }
    operate(&s, id, Operation::Deploy, tag).await
}

async fn redeploy(State(s): State<AppState>, Path(id): Path<String>) -> Res {
    operate(&s, id, Operation::Redeploy, None).await
}

async fn restart(State(s): State<AppState>, Path(id): Path<String>) -> Res {
    operate(&s, id, Operation::Restart, None).await
}

async fn stop(State(s): State<AppState>, Path(id): Path<String>) -> Res {
    operate(&s, id, Operation::Stop, None).await
}

#[derive(Clone, Copy)]
enum Operation {
    Deploy,
    Redeploy,
    Restart,
    Stop,
}

/// Starts a deployment-like operation, in one transaction: 409 while another runs (or when
/// stopping a stopped container), 202 with the new Status otherwise. A tag containing `fail`
/// ends in DEPLOYMENT_ERROR.
async fn operate(s: &AppState, id: String, op: Operation, tag: Option<String>) -> Res {
    in_tx(s, move |s, t| {
        let status = start_operation(s, t, &id, op, tag)?;
        Ok((StatusCode::ACCEPTED, Json(status)).into_response())
    })
    .await
}

/// Starts `op` on one container inside the caller's transaction; returns the new Status.
fn start_operation(
    s: &AppState,
    t: &Tx<'_>,
    id: &str,
    op: Operation,
    tag: Option<String>,
) -> Result<Value, ApiError> {
    let id = id.to_string();
    {
        let mut container = must_get(t, "container", "container", &id)?;
        let env_id = container["environment"]["id"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let mut status = t
            .get("status", &id)
            .map_err(q500)?
            .unwrap_or_else(|| fresh_status(&id));
        let before = status_out(status.clone());
        let state = DeployState::from_wire(status["state"].as_str().unwrap_or_default());
        if t.get("deploy_plan", &id).map_err(q500)?.is_some() || state.blocks_actions() {
            return Err(ApiError::qovery(
                StatusCode::CONFLICT,
                "Operation is in progress",
            ));
        }
        match op {
            Operation::Stop if matches!(state, DeployState::Stopped | DeployState::Ready) => {
                return Err(ApiError::qovery(
                    StatusCode::CONFLICT,
                    "Container is already stopped or an operation is in progress",
                ));
            }
            Operation::Restart
                if !matches!(state, DeployState::Deployed | DeployState::Restarted) =>
            {
                return Err(ApiError::qovery(
                    StatusCode::CONFLICT,
                    format!("cannot restart: the container is {state}, not running"),
                ));
            }
            Operation::Redeploy if matches!(state, DeployState::Ready) => {
                return Err(ApiError::qovery(
                    StatusCode::CONFLICT,
                    "cannot redeploy: the container has never been deployed",
                ));
            }
            _ => {}
        }
        if let Some(tag) = tag {
            container["tag"] = json!(tag);
            container["updated_at"] = json!(crate::ids::now_rfc3339());
            t.put("container", &id, &env_id, &container).map_err(q500)?;
        }
        // One rule for both APIs: an image reference containing `fail` cannot be pulled.
        let fail_reason = crate::engine::pull_failure(&format!(
            "{}:{}",
            container["image_name"].as_str().unwrap_or_default(),
            container["tag"].as_str().unwrap_or_default()
        ));
        let failing =
            fail_reason.is_some() && matches!(op, Operation::Deploy | Operation::Redeploy);
        let (action, path): (&str, &[&str]) = match op {
            Operation::Deploy | Operation::Redeploy if failing => (
                "DEPLOY",
                &["DEPLOYMENT_QUEUED", "DEPLOYING", "DEPLOYMENT_ERROR"],
            ),
            Operation::Deploy | Operation::Redeploy => {
                ("DEPLOY", &["DEPLOYMENT_QUEUED", "DEPLOYING", "DEPLOYED"])
            }
            // RESTARTED is in the spec's StateEnum, and the state Qovery shows after a restart.
            Operation::Restart => ("RESTART", &["RESTART_QUEUED", "RESTARTING", "RESTARTED"]),
            Operation::Stop => ("STOP", &["STOP_QUEUED", "STOPPING", "STOPPED"]),
        };
        let history = record_history(t, &id, &container, action, path[0])?;
        let now = crate::engine::now_ms();
        let plan = json!({"container": id, "env": env_id, "action": action, "path": path,
            "history": history, "started_ms": now, "provision_ms": s.provision_ms,
            "fail_reason": if failing { json!(fail_reason) } else { Value::Null },
            "logged": 1, "ctx": plan_context(t, &container)?});
        crate::logs::write_deploy_lines(t, &plan, path[0], now).map_err(q500)?;
        t.put("deploy_plan", &id, "", &plan).map_err(q500)?;
        crate::faults::crash_point();
        status["state"] = json!(path[0]);
        status["status_details"] =
            json!({"action": action, "status": "QUEUED", "sub_action": "NONE"});
        status["deployment_requests_count"] =
            json!(status["deployment_requests_count"].as_i64().unwrap_or(0) + 1);
        status["deployment_request_id"] = json!(crate::ids::uuid());
        status["execution_id"] = json!(history);
        if action == "DEPLOY" {
            // The new deployment's steps, not the previous one's.
            status["steps"] = crate::engine::deploy_steps(&plan, path[0], false, now);
        }
        t.put("status", &id, &env_id, &status).map_err(q500)?;
        if s.status_lag_ms > 0 {
            let lag = json!({"until_ms": now + s.status_lag_ms as i64, "before": before});
            t.put("lag", &id, &env_id, &lag).map_err(q500)?;
        }
        Ok(status_out(status))
    }
}

/// What the deployment log and the running container's output need to know of the container,
/// kept in the operation's plan (the container may be gone by the time a line is written).
fn plan_context(t: &Tx<'_>, container: &Value) -> Result<Value, ApiError> {
    let env_id = container["environment"]["id"].as_str().unwrap_or_default();
    let env = t.get("env", env_id).map_err(q500)?.unwrap_or(Value::Null);
    let public_port = container["ports"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["publicly_accessible"] == true)
        .or_else(|| container["ports"].get(0))
        .and_then(|p| p["internal_port"].as_i64());
    Ok(json!({
        "service_id": container["id"], "name": container["name"],
        "image": container["image_name"], "tag": container["tag"],
        "registry_url": container["registry"]["url"],
        "instances": container["min_running_instances"].as_i64().unwrap_or(1).clamp(1, 3),
        "port": public_port,
        "organization_id": env["organization"]["id"], "cluster_id": env["cluster_id"],
    }))
}

// ---------------------------------------------------------------------------------------------
// Several containers at once: `/environment/{id}/service/...`. Each container is acted on as by
// its own endpoint, all in one transaction: one refusal (unknown, busy, wrong state) refuses the
// whole request and nothing starts.

/// Checks the ids of a bulk request: at least one, each a container of `env`, none twice, and no
/// other kind of service (the sandbox has containers only).
fn bulk_targets(
    t: &Tx<'_>,
    env: &str,
    field: &str,
    ids: &[&str],
    others: &[(&str, usize)],
) -> Result<Vec<String>, ApiError> {
    let bad = |msg: String| ApiError::qovery(StatusCode::BAD_REQUEST, msg);
    if let Some((name, _)) = others.iter().find(|(_, n)| *n > 0) {
        return Err(bad(format!(
            "{name}: the sandbox has containers only (use the container list)"
        )));
    }
    if ids.is_empty() {
        return Err(bad(format!("{field}: select at least one container")));
    }
    let mut seen = std::collections::HashSet::new();
    for (i, id) in ids.iter().enumerate() {
        if !seen.insert(*id) {
            return Err(bad(format!("{field}[{i}]: `{id}` is listed twice")));
        }
        let in_env = t
            .get("container", id)
            .map_err(q500)?
            .is_some_and(|c| c["environment"]["id"] == env);
        if !in_env {
            return Err(bad(format!(
                "{field}[{i}]: no container `{id}` in this environment"
            )));
        }
    }
    Ok(ids.iter().map(|s| s.to_string()).collect())
}

/// Prefixes an error from one container's operation with which container it was.
fn for_container(field: &str, i: usize, e: ApiError) -> ApiError {
    ApiError::qovery(e.status, format!("{field}[{i}]: {}", e.message))
}

/// A bulk body: empty means `{}`.
fn bulk_body<T: serde::de::DeserializeOwned + Default>(body: &[u8]) -> Result<T, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    parse_body(body, ApiError::qovery)
}

async fn bulk_deploy(State(s): State<AppState>, Path(env): Path<String>, body: Bytes) -> Res {
    let req: berth_api::bulk::DeployAllRequest = bulk_body(&body)?;
    for (i, c) in req.containers.iter().enumerate() {
        if let Some(msg) = c.image_tag.as_deref().and_then(rules::image_tag) {
            return Err(ApiError::qovery(
                StatusCode::BAD_REQUEST,
                format!("containers[{i}].image_tag: {msg}"),
            ));
        }
    }
    in_tx(&s, move |s, t| {
        let env_doc = must_get(t, "env", "environment", &env)?;
        let ids: Vec<&str> = req.containers.iter().map(|c| c.id.as_str()).collect();
        let others = [
            ("applications", req.applications.len()),
            ("databases", req.databases.len()),
            ("jobs", req.jobs.len()),
            ("helms", req.helms.len()),
            ("terraforms", req.terraforms.len()),
        ];
        let before = env_state(t, &env)?;
        bulk_targets(t, &env, "containers", &ids, &others)?;
        for (i, c) in req.containers.iter().enumerate() {
            let tag = c.image_tag.clone().filter(|t| !t.trim().is_empty());
            start_operation(s, t, &c.id, Operation::Deploy, tag)
                .map_err(|e| for_container("containers", i, e))?;
        }
        let mut status = json!({"id": env_doc["id"], "state": "DEPLOYMENT_QUEUED",
            "last_deployment_state": before, "deployment_request_id": crate::ids::uuid()});
        if let Some(last) = last_deployment_date(t, &env)? {
            status["last_deployment_date"] = json!(last);
        }
        Ok((StatusCode::ACCEPTED, Json(status)).into_response())
    })
    .await
}

/// The environment's state as `statuses` shows it: DEPLOYED while a container runs.
fn env_state(t: &Tx<'_>, env: &str) -> Result<&'static str, ApiError> {
    for c in t.all("container", Some(env)).map_err(q500)? {
        let st = read_status(t, c["id"].as_str().unwrap_or_default())?;
        if st["state"] == "DEPLOYED" || st["state"] == "RESTARTED" {
            return Ok("DEPLOYED");
        }
    }
    Ok("READY")
}

fn last_deployment_date(t: &Tx<'_>, env: &str) -> Result<Option<String>, ApiError> {
    let mut last: Option<String> = None;
    for c in t.all("container", Some(env)).map_err(q500)? {
        let st = read_status(t, c["id"].as_str().unwrap_or_default())?;
        if let Some(d) = st["last_deployment_date"].as_str() {
            if last.as_deref().is_none_or(|l| d > l) {
                last = Some(d.to_string());
            }
        }
    }
    Ok(last)
}

fn id_lists(req: &berth_api::bulk::ServiceIdsRequest) -> (Vec<&str>, [(&str, usize); 5]) {
    (
        req.container_ids.iter().map(String::as_str).collect(),
        [
            ("application_ids", req.application_ids.len()),
            ("database_ids", req.database_ids.len()),
            ("job_ids", req.job_ids.len()),
            ("helm_ids", req.helm_ids.len()),
            ("terraform_ids", req.terraform_ids.len()),
        ],
    )
}

/// `rebootServices`: 202 with a `Status` whose id is the environment's (ASSUMED: the spec gives
/// one Status for several services).
async fn bulk_restart(State(s): State<AppState>, Path(env): Path<String>, body: Bytes) -> Res {
    let req: berth_api::bulk::ServiceIdsRequest = bulk_body(&body)?;
    in_tx(&s, move |s, t| {
        must_get(t, "env", "environment", &env)?;
        let (ids, others) = id_lists(&req);
        let ids = bulk_targets(t, &env, "container_ids", &ids, &others)?;
        for (i, id) in ids.iter().enumerate() {
            start_operation(s, t, id, Operation::Restart, None)
                .map_err(|e| for_container("container_ids", i, e))?;
        }
        Ok((
            StatusCode::ACCEPTED,
            Json(json!({"id": env, "state": "RESTART_QUEUED",
                "service_deployment_status": "UP_TO_DATE",
                "status_details": {"action": "RESTART", "status": "QUEUED", "sub_action": "NONE"},
                "is_part_last_deployment": true, "deployment_requests_count": ids.len(),
                "deployment_request_id": crate::ids::uuid()})),
        )
            .into_response())
    })
    .await
}

/// `stopSelectedServices`: 200, no body.
async fn bulk_stop(State(s): State<AppState>, Path(env): Path<String>, body: Bytes) -> Res {
    let req: berth_api::bulk::ServiceIdsRequest = bulk_body(&body)?;
    in_tx(&s, move |s, t| {
        must_get(t, "env", "environment", &env)?;
        let (ids, others) = id_lists(&req);
        let ids = bulk_targets(t, &env, "container_ids", &ids, &others)?;
        for (i, id) in ids.iter().enumerate() {
            start_operation(s, t, id, Operation::Stop, None)
                .map_err(|e| for_container("container_ids", i, e))?;
        }
        Ok(StatusCode::OK.into_response())
    })
    .await
}

/// `deleteSelectedServices`: 200, no body; each container goes as `DELETE /container/{id}` makes
/// it go. `skipReconcile` is accepted and changes nothing here.
async fn bulk_delete(State(s): State<AppState>, Path(env): Path<String>, body: Bytes) -> Res {
    let req: berth_api::bulk::ServiceIdsRequest = bulk_body(&body)?;
    in_tx(&s, move |s, t| {
        must_get(t, "env", "environment", &env)?;
        let (ids, others) = id_lists(&req);
        let ids = bulk_targets(t, &env, "container_ids", &ids, &others)?;
        for (i, id) in ids.iter().enumerate() {
            delete_one(s, t, id).map_err(|e| for_container("container_ids", i, e))?;
        }
        Ok(StatusCode::OK.into_response())
    })
    .await
}
