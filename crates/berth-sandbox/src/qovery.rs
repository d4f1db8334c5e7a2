//! The Qovery API of contract.md §1.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use berth_api::qovery::{
    ContainerRequest, ContainerResponse, Environment, ReferenceObject, RegistryDetails,
    State as DeployState, Status,
};
use berth_api::rules::{self, Limits};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::app::AppState;
use crate::errors::{parse_body, q500, ApiError};

type Res = Result<Response, ApiError>;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/organization", get(organizations))
        .route("/organization/{id}/project", get(projects))
        .route("/organization/{id}/containerRegistry", get(registries))
        .route(
            "/organization/{id}/containerRegistry/{registry}/images",
            get(images),
        )
        .route("/project/{id}/environment", get(environments))
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
        .route("/container/{id}/deploy", post(deploy))
        .route("/container/{id}/redeploy", post(redeploy))
        .route("/container/{id}/restart-service", post(restart))
        .route("/container/{id}/stop", post(stop))
}

fn results(items: Vec<Value>) -> Response {
    Json(json!({ "results": items })).into_response()
}

fn not_found(what: &str, id: &str) -> ApiError {
    ApiError::qovery(StatusCode::NOT_FOUND, format!("{what} `{id}` not found"))
}

fn must_get(s: &AppState, kind: &str, what: &str, id: &str) -> Result<Value, ApiError> {
    s.db.get(kind, id)
        .map_err(q500)?
        .ok_or_else(|| not_found(what, id))
}

async fn organizations(State(s): State<AppState>) -> Res {
    Ok(results(s.db.all("org", None).map_err(q500)?))
}

async fn projects(State(s): State<AppState>, Path(id): Path<String>) -> Res {
    must_get(&s, "org", "organization", &id)?;
    Ok(results(s.db.all("project", Some(&id)).map_err(q500)?))
}

async fn registries(State(s): State<AppState>, Path(id): Path<String>) -> Res {
    must_get(&s, "org", "organization", &id)?;
    Ok(results(s.db.all("registry", Some(&id)).map_err(q500)?))
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
    must_get(&s, "org", "organization", &org)?;
    must_get(&s, "registry", "container registry", &registry)?;
    let all = s.db.all("image", Some(&registry)).map_err(q500)?;
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
}

async fn environments(State(s): State<AppState>, Path(id): Path<String>) -> Res {
    must_get(&s, "project", "project", &id)?;
    Ok(results(s.db.all("env", Some(&id)).map_err(q500)?))
}

async fn environment(State(s): State<AppState>, Path(id): Path<String>) -> Res {
    Ok(Json(must_get(&s, "env", "environment", &id)?).into_response())
}

async fn containers(State(s): State<AppState>, Path(id): Path<String>) -> Res {
    must_get(&s, "env", "environment", &id)?;
    Ok(results(s.db.all("container", Some(&id)).map_err(q500)?))
}

async fn container(State(s): State<AppState>, Path(id): Path<String>) -> Res {
    Ok(Json(must_get(&s, "container", "container", &id)?).into_response())
}

async fn container_status(State(s): State<AppState>, Path(id): Path<String>) -> Res {
    must_get(&s, "container", "container", &id)?;
    Ok(Json(must_get(&s, "status", "status", &id)?).into_response())
}

async fn statuses(State(s): State<AppState>, Path(id): Path<String>) -> Res {
    must_get(&s, "env", "environment", &id)?;
    let mut list = Vec::new();
    for c in s.db.all("container", Some(&id)).map_err(q500)? {
        let cid = c["id"].as_str().unwrap_or_default();
        if let Some(st) = s.db.get("status", cid).map_err(q500)? {
            list.push(st);
        }
    }
    let any_deployed = list.iter().any(|st| st["state"] == "DEPLOYED");
    let env_state = if any_deployed { "DEPLOYED" } else { "READY" };
    Ok(Json(json!({
        "environment": { "id": id, "state": env_state, "last_deployment_state": env_state },
        "containers": list,
    }))
    .into_response())
}

/// Checks a create or PUT body against the rules and what only the server knows; `except` is the
/// container being replaced (its own name is not "taken").
fn check_request(
    s: &AppState,
    env: &Environment,
    req: &ContainerRequest,
    except: Option<&str>,
) -> Result<Value, ApiError> {
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
    let registry =
        s.db.get("registry", &req.registry_id)
            .map_err(q500)?
            .filter(|r| r["organization_id"] == org.as_str())
            .ok_or_else(|| {
                ApiError::qovery(
                    StatusCode::BAD_REQUEST,
                    format!(
                        "registry_id: unknown registry `{}` in this organization",
                        req.registry_id
                    ),
                )
            })?;
    let taken =
        s.db.all("container", Some(&env.id))
            .map_err(q500)?
            .iter()
            .filter(|c| c["id"].as_str() != except)
            .any(|c| {
                c["name"]
                    .as_str()
                    .is_some_and(|n| n.eq_ignore_ascii_case(req.name.trim()))
            });
    if taken {
        return Err(ApiError::qovery(
            StatusCode::CONFLICT,
            "name: Container name within the environment is already taken",
        ));
    }
    Ok(registry)
}

fn load_env(s: &AppState, id: &str) -> Result<Environment, ApiError> {
    let doc = must_get(s, "env", "environment", id)?;
    serde_json::from_value(doc).map_err(|e| q500(format!("stored environment: {e}")))
}

async fn create_container(
    State(s): State<AppState>,
    Path(env_id): Path<String>,
    body: Bytes,
) -> Res {
    let env = load_env(&s, &env_id)?;
    let req: ContainerRequest = parse_body(&body, ApiError::qovery)?;
    let _guard = s.lock_ops();
    let registry = check_request(&s, &env, &req, None)?;
    let id = crate::ids::uuid();
    let response = build_response(&id, &env, &req, &registry);
    let value = serde_json::to_value(&response).map_err(|e| q500(e.to_string()))?;
    s.db.put("container", &id, &env_id, &value).map_err(q500)?;
    let status = Status {
        id: id.clone(),
        state: DeployState::Ready,
        service_deployment_status: Some(berth_api::qovery::ServiceDeploymentStatus::NeverDeployed),
        status_details: None,
        last_deployment_date: None,
        is_part_last_deployment: Some(false),
        deployment_requests_count: Some(0),
        deployment_request_id: None,
    };
    s.db.put(
        "status",
        &id,
        &env_id,
        &serde_json::to_value(&status).map_err(|e| q500(e.to_string()))?,
    )
    .map_err(q500)?;
    Ok((StatusCode::CREATED, Json(value)).into_response())
}

/// A full replace: ports and storage sent with an id keep it, new ones get one, omitted ones go.
async fn edit_container(State(s): State<AppState>, Path(id): Path<String>, body: Bytes) -> Res {
    let existing = must_get(&s, "container", "container", &id)?;
    let env_id = existing["environment"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let env = load_env(&s, &env_id)?;
    let req: ContainerRequest = parse_body(&body, ApiError::qovery)?;
    let _guard = s.lock_ops();
    let registry = check_request(&s, &env, &req, Some(&id))?;
    let mut response = build_response(&id, &env, &req, &registry);
    response.created_at = existing["created_at"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let value = serde_json::to_value(&response).map_err(|e| q500(e.to_string()))?;
    s.db.put("container", &id, &env_id, &value).map_err(q500)?;
    if let Some(mut status) = s.db.get("status", &id).map_err(q500)? {
        if status["service_deployment_status"] == "UP_TO_DATE" {
            status["service_deployment_status"] = json!("OUT_OF_DATE");
            s.db.put("status", &id, &env_id, &status).map_err(q500)?;
        }
    }
    Ok(Json(value).into_response())
}

/// The stored container: the request with the server's defaults filled in, as the real API does.
pub fn build_response(
    id: &str,
    env: &Environment,
    req: &ContainerRequest,
    registry: &Value,
) -> ContainerResponse {
    let now = crate::ids::now_rfc3339();
    let mut ports = req.ports.clone().unwrap_or_default();
    for p in &mut ports {
        p.id.get_or_insert_with(crate::ids::uuid);
        p.protocol
            .get_or_insert(berth_api::qovery::PortProtocol::Http);
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
        annotations_groups: Some(vec![]),
        labels_groups: Some(vec![]),
        icon_uri: req
            .icon_uri
            .clone()
            .unwrap_or_else(|| "app://qovery-console/container".into()),
        service_type: Some(berth_api::qovery::ServiceType::Container),
    }
}

async fn delete_container(State(s): State<AppState>, Path(id): Path<String>) -> Res {
    must_get(&s, "container", "container", &id)?;
    let _guard = s.lock_ops();
    if s.db.get("deploy_plan", &id).map_err(q500)?.is_some() {
        return Err(ApiError::qovery(
            StatusCode::CONFLICT,
            "Operation is in progress",
        ));
    }
    s.db.delete("container", &id).map_err(q500)?;
    s.db.delete("status", &id).map_err(q500)?;
    Ok(StatusCode::NO_CONTENT.into_response())
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
    operate(&s, &id, Operation::Deploy, tag)
}

async fn redeploy(State(s): State<AppState>, Path(id): Path<String>) -> Res {
    operate(&s, &id, Operation::Redeploy, None)
}

async fn restart(State(s): State<AppState>, Path(id): Path<String>) -> Res {
    operate(&s, &id, Operation::Restart, None)
}

async fn stop(State(s): State<AppState>, Path(id): Path<String>) -> Res {
    operate(&s, &id, Operation::Stop, None)
}

#[derive(Clone, Copy)]
enum Operation {
    Deploy,
    Redeploy,
    Restart,
    Stop,
}

/// Starts a deployment-like operation: 409 while another runs (or when stopping a stopped
/// container), 202 with the new Status otherwise. A tag containing `fail` ends in DEPLOYMENT_ERROR.
fn operate(s: &AppState, id: &str, op: Operation, tag: Option<String>) -> Res {
    let mut container = must_get(s, "container", "container", id)?;
    let env_id = container["environment"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let _guard = s.lock_ops();
    let mut status = must_get(s, "status", "status", id)?;
    let state = DeployState::from_wire(status["state"].as_str().unwrap_or_default());
    if s.db.get("deploy_plan", id).map_err(q500)?.is_some() || state.blocks_actions() {
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
        Operation::Restart if !matches!(state, DeployState::Deployed | DeployState::Restarted) => {
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
        s.db.put("container", id, &env_id, &container)
            .map_err(q500)?;
    }
    let failing = container["tag"]
        .as_str()
        .is_some_and(|t| t.to_lowercase().contains("fail"));
    let (action, path): (&str, &[&str]) = match op {
        Operation::Deploy | Operation::Redeploy if failing => (
            "DEPLOY",
            &["DEPLOYMENT_QUEUED", "DEPLOYING", "DEPLOYMENT_ERROR"],
        ),
        Operation::Deploy | Operation::Redeploy => {
            ("DEPLOY", &["DEPLOYMENT_QUEUED", "DEPLOYING", "DEPLOYED"])
        }
        Operation::Restart => ("RESTART", &["RESTART_QUEUED", "RESTARTING", "DEPLOYED"]),
        Operation::Stop => ("STOP", &["STOP_QUEUED", "STOPPING", "STOPPED"]),
    };
    let plan = json!({"container": id, "env": env_id, "action": action, "path": path,
        "started_ms": crate::engine::now_ms(), "provision_ms": s.provision_ms});
    s.db.put("deploy_plan", id, "", &plan).map_err(q500)?;
    status["state"] = json!(path[0]);
    status["status_details"] = json!({"action": action, "status": "QUEUED", "sub_action": "NONE"});
    status["deployment_requests_count"] =
        json!(status["deployment_requests_count"].as_i64().unwrap_or(0) + 1);
    status["deployment_request_id"] = json!(crate::ids::uuid());
    s.db.put("status", id, &env_id, &status).map_err(q500)?;
    Ok((StatusCode::ACCEPTED, Json(status)).into_response())
}
