//! Container environment variables and secrets. Stored as kinds `variable` and `secret` under
//! their owner (a container, or for inherited ones its environment or project); a secret's value
//! is kept apart (kind `secret_value`), so no answer built from a secret document can carry it,
//! and it is never logged.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use berth_api::rules;
use berth_api::variables::{
    EnvironmentVariableRequest, FailedImport, ImportedVariable, SecretRequest, VariableImport,
    VariableImportRequest, VariableScope,
};
use serde_json::{json, Value};

use crate::app::AppState;
use crate::db::Tx;
use crate::errors::{parse_body, q500, ApiError};
use crate::qovery::{in_tx, must_get, not_found, results, Res};

/// ASSUMED: at most 200 variables in one import.
pub const MAX_IMPORT: usize = 200;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/container/{id}/environmentVariable",
            get(list_variables).post(create_variable),
        )
        .route(
            "/container/{id}/environmentVariable/import",
            post(import_variables),
        )
        .route(
            "/container/{id}/environmentVariable/{var}",
            put(edit_variable).delete(delete_variable),
        )
        .route(
            "/container/{id}/secret",
            get(list_secrets).post(create_secret),
        )
        .route(
            "/container/{id}/secret/{var}",
            put(edit_secret).delete(delete_secret),
        )
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Variable,
    Secret,
}

impl Kind {
    fn doc(self) -> &'static str {
        match self {
            Kind::Variable => "variable",
            Kind::Secret => "secret",
        }
    }

    fn what(self) -> &'static str {
        match self {
            Kind::Variable => "environment variable",
            Kind::Secret => "secret",
        }
    }
}

/// The owners whose variables a container sees: itself, its environment, its project.
fn owners(t: &Tx<'_>, container: &Value) -> Result<Vec<String>, ApiError> {
    let id = container["id"].as_str().unwrap_or_default().to_string();
    let env_id = container["environment"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let mut out = vec![id];
    if let Some(env) = t.get("env", &env_id).map_err(q500)? {
        if let Some(project) = env["project"]["id"].as_str() {
            out.push(project.to_string());
        }
    }
    out.insert(1, env_id);
    Ok(out)
}

/// Whether `key` is used by a variable or secret of `owner` other than `except`.
fn key_taken(t: &Tx<'_>, owner: &str, key: &str, except: Option<&str>) -> Result<bool, ApiError> {
    for kind in ["variable", "secret"] {
        for v in t.all(kind, Some(owner)).map_err(q500)? {
            if v["key"] == key && v["id"].as_str() != except {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

fn bad_request(errors: &[berth_api::FieldError]) -> ApiError {
    ApiError::qovery(StatusCode::BAD_REQUEST, berth_api::error::join(errors))
}

/// Every variable (or secret) the container sees, inherited ones (project, then environment)
/// first, then its own, each in creation order.
fn list(t: &Tx<'_>, container: &Value, kind: Kind) -> Result<Vec<Value>, ApiError> {
    let mut all = Vec::new();
    for owner in owners(t, container)?.iter().rev() {
        all.extend(t.all(kind.doc(), Some(owner)).map_err(q500)?);
    }
    Ok(all)
}

/// A variable or secret the container may change through its own path: 404 when it is not one
/// the container sees, 403 when it is inherited (read-only here).
fn own(t: &Tx<'_>, container: &Value, kind: Kind, var: &str) -> Result<Value, ApiError> {
    let owners = owners(t, container)?;
    let doc = t
        .get(kind.doc(), var)
        .map_err(q500)?
        .filter(|d| {
            let owner = d["_owner"].as_str().unwrap_or_default();
            owners.iter().any(|o| o == owner)
        })
        .ok_or_else(|| not_found(kind.what(), var))?;
    if doc["_owner"].as_str() != owners.first().map(String::as_str) {
        let scope = doc["scope"].as_str().unwrap_or("inherited");
        return Err(ApiError::qovery(
            StatusCode::FORBIDDEN,
            format!(
                "{}Id: `{}` is a {scope} {}, inherited by this container: it is read-only here (change it on its {})",
                match kind {
                    Kind::Variable => "environmentVariable",
                    Kind::Secret => "secret",
                },
                doc["key"].as_str().unwrap_or(var),
                kind.what(),
                scope.to_lowercase()
            ),
        ));
    }
    Ok(doc)
}

/// The answer for a stored document: the spec's fields only (no `_owner`; never a value for a
/// secret).
fn out(mut doc: Value) -> Value {
    if let Some(o) = doc.as_object_mut() {
        o.remove("_owner");
    }
    doc
}

fn secret_out(mut doc: Value) -> Value {
    if let Some(o) = doc.as_object_mut() {
        o.remove("value");
    }
    out(doc)
}

/// A new document for `owner`: a container's own (service fields set) or an inherited one.
#[allow(clippy::too_many_arguments)]
fn new_doc(
    kind: Kind,
    owner: &str,
    scope: &VariableScope,
    container: Option<&Value>,
    key: &str,
    value: Option<&str>,
    mount_path: Option<&str>,
    description: Option<&str>,
    interpolation: Option<bool>,
) -> Value {
    let now = crate::ids::now_rfc3339();
    let mut doc = json!({
        "id": crate::ids::uuid(), "created_at": now, "updated_at": now, "key": key,
        "scope": scope.as_str(),
        "variable_type": if mount_path.is_some() { "FILE" } else { "VALUE" },
        "owned_by": "QOVERY", "_owner": owner,
    });
    if kind == Kind::Variable {
        doc["value"] = json!(value.unwrap_or_default());
        doc["mount_path"] = json!(mount_path);
        doc["description"] = json!(description);
        doc["enable_interpolation_in_file"] = json!(interpolation);
    } else {
        if let Some(d) = description {
            doc["description"] = json!(d);
        }
        if let Some(i) = interpolation {
            doc["enable_interpolation_in_file"] = json!(i);
        }
    }
    if let Some(c) = container {
        doc["service_id"] = c["id"].clone();
        doc["service_name"] = c["name"].clone();
        doc["service_type"] = json!("CONTAINER");
    }
    doc
}

fn store(t: &Tx<'_>, kind: Kind, doc: &Value, value: Option<&str>) -> Result<(), ApiError> {
    let id = doc["id"].as_str().unwrap_or_default();
    let owner = doc["_owner"].as_str().unwrap_or_default();
    t.put(kind.doc(), id, owner, doc).map_err(q500)?;
    if kind == Kind::Secret {
        if let Some(v) = value {
            t.put("secret_value", id, id, &json!({ "value": v }))
                .map_err(q500)?;
        }
    }
    Ok(())
}

fn remove(t: &Tx<'_>, kind: Kind, id: &str) -> Result<(), ApiError> {
    t.delete(kind.doc(), id).map_err(q500)?;
    if kind == Kind::Secret {
        t.delete("secret_value", id).map_err(q500)?;
    }
    Ok(())
}

async fn list_variables(State(s): State<AppState>, Path(id): Path<String>) -> Res {
    list_kind(s, id, Kind::Variable).await
}

async fn list_secrets(State(s): State<AppState>, Path(id): Path<String>) -> Res {
    list_kind(s, id, Kind::Secret).await
}

async fn list_kind(s: AppState, id: String, kind: Kind) -> Res {
    in_tx(&s, move |_, t| {
        let container = must_get(t, "container", "container", &id)?;
        let all = list(t, &container, kind)?;
        let shown = match kind {
            Kind::Variable => all.into_iter().map(out).collect(),
            Kind::Secret => all.into_iter().map(secret_out).collect(),
        };
        Ok(results(shown))
    })
    .await
}

/// The fields of either request, as the rules see them.
struct Fields {
    key: String,
    value: Option<String>,
    mount_path: Option<String>,
    description: Option<String>,
    interpolation: Option<bool>,
}

fn parse(kind: Kind, body: &[u8]) -> Result<Fields, ApiError> {
    Ok(match kind {
        Kind::Variable => {
            let r: EnvironmentVariableRequest = parse_body(body, ApiError::qovery)?;
            Fields {
                key: r.key,
                value: r.value,
                mount_path: r.mount_path,
                description: r.description,
                interpolation: r.enable_interpolation_in_file,
            }
        }
        Kind::Secret => {
            let r: SecretRequest = parse_body(body, ApiError::qovery)?;
            Fields {
                key: r.key,
                value: r.value,
                mount_path: r.mount_path,
                description: r.description,
                interpolation: r.enable_interpolation_in_file,
            }
        }
    })
}

async fn create_variable(State(s): State<AppState>, Path(id): Path<String>, body: Bytes) -> Res {
    create(s, id, Kind::Variable, body).await
}

async fn create_secret(State(s): State<AppState>, Path(id): Path<String>, body: Bytes) -> Res {
    create(s, id, Kind::Secret, body).await
}

async fn create(s: AppState, id: String, kind: Kind, body: Bytes) -> Res {
    let f = parse(kind, &body)?;
    in_tx(&s, move |_, t| {
        let container = must_get(t, "container", "container", &id)?;
        let errors = rules::qovery_variable(
            &f.key,
            f.value.as_deref(),
            f.mount_path.as_deref(),
            f.description.as_deref(),
            |k| key_taken(t, &id, k, None).unwrap_or(true),
        );
        if !errors.is_empty() {
            return Err(bad_request(&errors));
        }
        let doc = new_doc(
            kind,
            &id,
            &VariableScope::Container,
            Some(&container),
            &f.key,
            f.value.as_deref(),
            f.mount_path.as_deref(),
            f.description.as_deref(),
            f.interpolation,
        );
        store(t, kind, &doc, f.value.as_deref())?;
        mark_out_of_date(t, &id)?;
        let answer = match kind {
            Kind::Variable => out(doc),
            Kind::Secret => secret_out(doc),
        };
        Ok((StatusCode::CREATED, Json(answer)).into_response())
    })
    .await
}

/// A deployed container whose variables changed runs an older configuration.
fn mark_out_of_date(t: &Tx<'_>, id: &str) -> Result<(), ApiError> {
    if let Some(mut status) = t.get("status", id).map_err(q500)? {
        if status["service_deployment_status"] == "UP_TO_DATE" {
            status["service_deployment_status"] = json!("OUT_OF_DATE");
            let env = status_env(t, id)?;
            t.put("status", id, &env, &status).map_err(q500)?;
        }
    }
    Ok(())
}

fn status_env(t: &Tx<'_>, id: &str) -> Result<String, ApiError> {
    Ok(t.get("container", id)
        .map_err(q500)?
        .and_then(|c| c["environment"]["id"].as_str().map(str::to_string))
        .unwrap_or_default())
}

async fn edit_variable(
    State(s): State<AppState>,
    Path((id, var)): Path<(String, String)>,
    body: Bytes,
) -> Res {
    edit(s, id, var, Kind::Variable, body).await
}

async fn edit_secret(
    State(s): State<AppState>,
    Path((id, var)): Path<(String, String)>,
    body: Bytes,
) -> Res {
    edit(s, id, var, Kind::Secret, body).await
}

/// A PUT replaces the key, value, mount path, description and interpolation flag; a secret PUT
/// without a value keeps the stored one.
async fn edit(s: AppState, id: String, var: String, kind: Kind, body: Bytes) -> Res {
    let f = parse(kind, &body)?;
    in_tx(&s, move |_, t| {
        let container = must_get(t, "container", "container", &id)?;
        let mut doc = own(t, &container, kind, &var)?;
        let mount_path = match kind {
            Kind::Variable => f.mount_path.clone(),
            Kind::Secret => None,
        };
        let errors = rules::qovery_variable(
            &f.key,
            f.value.as_deref(),
            mount_path.as_deref(),
            f.description.as_deref(),
            |k| key_taken(t, &id, k, Some(&var)).unwrap_or(true),
        );
        if !errors.is_empty() {
            return Err(bad_request(&errors));
        }
        doc["key"] = json!(f.key);
        doc["updated_at"] = json!(crate::ids::now_rfc3339());
        match kind {
            Kind::Variable => {
                doc["value"] = json!(f.value.clone().unwrap_or_default());
                doc["mount_path"] = json!(mount_path);
                doc["variable_type"] = json!(if mount_path.is_some() {
                    "FILE"
                } else {
                    "VALUE"
                });
                doc["description"] = json!(f.description);
                doc["enable_interpolation_in_file"] = json!(f.interpolation);
            }
            Kind::Secret => {
                match &f.description {
                    Some(d) => doc["description"] = json!(d),
                    None => {
                        doc.as_object_mut().map(|o| o.remove("description"));
                    }
                }
                if let Some(i) = f.interpolation {
                    doc["enable_interpolation_in_file"] = json!(i);
                }
            }
        }
        store(t, kind, &doc, f.value.as_deref())?;
        mark_out_of_date(t, &id)?;
        let answer = match kind {
            Kind::Variable => out(doc),
            Kind::Secret => secret_out(doc),
        };
        Ok(Json(answer).into_response())
    })
    .await
}

async fn delete_variable(
    State(s): State<AppState>,
    Path((id, var)): Path<(String, String)>,
) -> Res {
    delete(s, id, var, Kind::Variable).await
}

async fn delete_secret(State(s): State<AppState>, Path((id, var)): Path<(String, String)>) -> Res {
    delete(s, id, var, Kind::Secret).await
}

async fn delete(s: AppState, id: String, var: String, kind: Kind) -> Res {
    in_tx(&s, move |_, t| {
        let container = must_get(t, "container", "container", &id)?;
        own(t, &container, kind, &var)?;
        remove(t, kind, &var)?;
        mark_out_of_date(t, &id)?;
        Ok(StatusCode::NO_CONTENT.into_response())
    })
    .await
}

/// `importContainerEnvironmentVariable`: each variable is imported or refused on its own (201
/// either way); the answer lists the imported ones (the spec's `successful_imported_variables`)
/// and, ASSUMED, the refused ones with their reason (`failed_imported_variables`). Scopes
/// CONTAINER, ENVIRONMENT and PROJECT are accepted (the container's own, its environment's, its
/// project's). A key already in the scope is refused unless `overwrite` is true.
async fn import_variables(State(s): State<AppState>, Path(id): Path<String>, body: Bytes) -> Res {
    let req: VariableImportRequest = parse_body(&body, ApiError::qovery)?;
    if req.vars.len() > MAX_IMPORT {
        return Err(ApiError::qovery(
            StatusCode::BAD_REQUEST,
            format!(
                "vars: at most {MAX_IMPORT} variables in one import (got {})",
                req.vars.len()
            ),
        ));
    }
    in_tx(&s, move |_, t| {
        let container = must_get(t, "container", "container", &id)?;
        let owners = owners(t, &container)?;
        let mut ok = Vec::new();
        let mut failed = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (i, v) in req.vars.iter().enumerate() {
            let kind = if v.is_secret { Kind::Secret } else { Kind::Variable };
            let owner = match v.scope {
                VariableScope::Container => owners.first(),
                VariableScope::Environment => owners.get(1),
                VariableScope::Project => owners.get(2),
                _ => None,
            };
            let refuse = |reason: String| FailedImport {
                name: v.name.clone(),
                scope: v.scope.clone(),
                is_secret: v.is_secret,
                reason,
            };
            let Some(owner) = owner else {
                failed.push(refuse(format!(
                    "vars[{i}].scope: `{}` cannot be imported through a container (CONTAINER, ENVIRONMENT or PROJECT)",
                    v.scope
                )));
                continue;
            };
            if let Some(msg) = rules::variable_key(&v.name) {
                failed.push(refuse(format!("vars[{i}].name: {msg}")));
                continue;
            }
            if let Some(msg) = rules::variable_value(&v.value) {
                failed.push(refuse(format!("vars[{i}].value: {msg}")));
                continue;
            }
            if !seen.insert((owner.clone(), v.name.clone())) {
                failed.push(refuse(format!(
                    "vars[{i}].name: `{}` appears more than once in the import",
                    v.name
                )));
                continue;
            }
            let existing: Vec<(Kind, String)> = [Kind::Variable, Kind::Secret]
                .into_iter()
                .map(|k| Ok((k, t.all(k.doc(), Some(owner)).map_err(q500)?)))
                .collect::<Result<Vec<_>, ApiError>>()?
                .into_iter()
                .flat_map(|(k, docs)| {
                    docs.into_iter()
                        .filter(|d| d["key"] == v.name.as_str())
                        .filter_map(move |d| d["id"].as_str().map(|id| (k, id.to_string())))
                })
                .collect();
            if !existing.is_empty() {
                if !req.overwrite {
                    failed.push(refuse(format!(
                        "vars[{i}].name: `{}` already exists in the {} scope (set overwrite to replace it)",
                        v.name, v.scope
                    )));
                    continue;
                }
                for (k, old) in &existing {
                    remove(t, *k, old)?;
                }
            }
            let is_own = owner == &owners[0];
            let doc = new_doc(
                kind,
                owner,
                &v.scope,
                is_own.then_some(&container),
                &v.name,
                Some(&v.value),
                None,
                None,
                None,
            );
            store(t, kind, &doc, Some(&v.value))?;
            ok.push(ImportedVariable {
                name: v.name.clone(),
                value: (!v.is_secret).then(|| v.value.clone()),
                scope: v.scope.clone(),
                is_secret: v.is_secret,
            });
        }
        if !ok.is_empty() {
            mark_out_of_date(t, &id)?;
        }
        let answer = VariableImport {
            total_variables_to_import: req.vars.len() as f64,
            successful_imported_variables: ok,
            failed_imported_variables: Some(failed),
        };
        let mut value = serde_json::to_value(&answer).map_err(|e| q500(e.to_string()))?;
        value["total_variables_to_import"] = json!(req.vars.len());
        Ok((StatusCode::CREATED, Json(value)).into_response())
    })
    .await
}

/// Demo data: the inherited variables and secret every demo environment has.
pub fn seed_inherited(
    db: &crate::db::Db,
    project: &str,
    env: &str,
    env_name: &str,
) -> Result<(), String> {
    let project_var = new_doc(
        Kind::Variable,
        project,
        &VariableScope::Project,
        None,
        "LOG_LEVEL",
        Some("info"),
        None,
        Some("Log level of every service of the project"),
        None,
    );
    if db
        .all("variable", Some(project))?
        .iter()
        .all(|v| v["key"] != "LOG_LEVEL")
    {
        db.put(
            "variable",
            project_var["id"].as_str().unwrap_or_default(),
            project,
            &project_var,
        )?;
    }
    let env_var = new_doc(
        Kind::Variable,
        env,
        &VariableScope::Environment,
        None,
        "APP_ENV",
        Some(env_name),
        None,
        None,
        None,
    );
    db.put(
        "variable",
        env_var["id"].as_str().unwrap_or_default(),
        env,
        &env_var,
    )?;
    let secret = new_doc(
        Kind::Secret,
        env,
        &VariableScope::Environment,
        None,
        "DATABASE_PASSWORD",
        None,
        None,
        Some("Shared by the environment's services"),
        None,
    );
    let sid = secret["id"].as_str().unwrap_or_default().to_string();
    db.put("secret", &sid, env, &secret)?;
    db.put(
        "secret_value",
        &sid,
        &sid,
        &json!({"value": crate::ids::uuid()}),
    )
}
