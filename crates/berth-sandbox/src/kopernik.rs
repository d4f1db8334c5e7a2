//! The Kopernik API of contract.md §2.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use berth_api::kopernik::{
    ActionState, AppTemplate, AttachedVolumesDeletePolicy, ContainerAppCreate, EnvVar, ProviderId,
};
use berth_api::rules;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::app::AppState;
use crate::db::Tx;
use crate::errors::{k500, kopernik_metadata, ApiError};

type Res = Result<Response, ApiError>;

/// Page size when `maxResults` is absent, and the largest accepted. ASSUMED: the seed gives none.
pub const DEFAULT_MAX_RESULTS: i64 = 50;
pub const MAX_MAX_RESULTS: i64 = 1000;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/resource/containerapp/{provider}",
            get(list_apps).post(create_app),
        )
        .route(
            "/resource/containerapp/{provider}/{uid}",
            get(get_app).delete(delete_app),
        )
        .route("/resource/blockstorage/{provider}", get(list_volumes))
        .route("/resource/region/{provider}", get(list_regions))
        .route("/resource/machinetype/{provider}", get(list_machine_types))
        .route("/action/{provider}", get(list_actions))
        .route("/action/{provider}/{uid}", get(get_action))
        .route("/apps/template", get(list_templates))
        .route("/apps/template/{id}", get(get_template))
}

fn provider(p: &str) -> Result<ProviderId, ApiError> {
    match ProviderId::from_wire(p) {
        ProviderId::Unknown(_) => Err(ApiError::kopernik(
            StatusCode::NOT_FOUND,
            format!("Provider not found: `{p}` (expected akamai, aws or digitalocean)"),
        )),
        known => Ok(known),
    }
}

#[derive(Deserialize)]
pub struct PageQuery {
    #[serde(rename = "nextToken")]
    next_token: Option<String>,
    #[serde(rename = "maxResults")]
    max_results: Option<String>,
    jq: Option<String>,
}

/// Tokens are opaque to clients; here they carry the last sequence number served.
fn decode_token(t: &str) -> Option<i64> {
    let hex = t.strip_prefix("pg")?;
    i64::from_str_radix(hex, 16).ok()
}

fn encode_token(seq: i64) -> String {
    format!("pg{seq:x}")
}

async fn page(s: &AppState, kind: &str, parent: Option<&str>, q: &PageQuery) -> Res {
    let filter = q.jq.as_deref().map(str::trim).filter(|j| !j.is_empty());
    let limit = match &q.max_results {
        None => DEFAULT_MAX_RESULTS,
        Some(v) => match v.parse::<i64>() {
            Ok(n) if (1..=MAX_MAX_RESULTS).contains(&n) => n,
            _ => {
                return Err(ApiError::kopernik(
                    StatusCode::BAD_REQUEST,
                    format!(
                    "maxResults: must be a whole number from 1 to {MAX_MAX_RESULTS} (got `{v}`)"
                ),
                ))
            }
        },
    };
    let after = match &q.next_token {
        None => 0,
        Some(t) if t.is_empty() => 0,
        Some(t) => decode_token(t).ok_or_else(|| {
            ApiError::kopernik(
                StatusCode::BAD_REQUEST,
                format!("nextToken: `{t}` is not a token this server issued"),
            )
        })?,
    };
    // Scan in order from the token, keeping matches, until one more than a page is found (which
    // tells whether another page exists).
    let mut rows: Vec<(i64, String)> = match filter {
        // With a filter, the resources (cached until the next write) go to a jq worker.
        Some(code) => {
            let scan = {
                let s = s.clone();
                let (kind, parent) = (kind.to_string(), parent.map(str::to_string));
                tokio::task::spawn_blocking(move || s.scan(&kind, parent.as_deref()))
                    .await
                    .map_err(|e| k500(e.to_string()))?
                    .map_err(k500)?
            };
            let start = scan.rows.partition_point(|r| r.seq <= after);
            let key = format!("{kind}/{}#{}", parent.unwrap_or("*"), scan.id);
            let kept = match s
                .jq
                .filter(&key, &scan.rows, code, start, limit as usize + 1)
                .await
            {
                Ok(kept) => kept,
                Err(e) => return Ok(jq_error(e, s.jq.jobs())),
            };
            kept.into_iter()
                .filter_map(|i| scan.rows.get(i))
                .map(|r| (r.seq, r.text.clone()))
                .collect()
        }
        // One extra row tells whether another page exists.
        None => {
            let s = s.clone();
            let (kind, parent) = (kind.to_string(), parent.map(str::to_string));
            tokio::task::spawn_blocking(move || {
                s.db.list_raw(&kind, parent.as_deref(), after, limit + 1)
            })
            .await
            .map_err(|e| k500(e.to_string()))?
            .map_err(k500)?
        }
    };
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let docs = rows
        .into_iter()
        .map(|(seq, text)| {
            serde_json::from_str::<Value>(&text)
                .map(|body| crate::db::Doc { seq, body })
                .map_err(|e| k500(format!("stored {kind}: {e}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut body = json!({
        "metadata": kopernik_metadata(),
        "resources": docs.iter().map(|d| d.body.clone()).collect::<Vec<_>>(),
    });
    if more {
        if let Some(last) = docs.last() {
            body["nextToken"] = Value::String(encode_token(last.seq));
        }
    }
    Ok(Json(body).into_response())
}

/// The answer to a filter that gave none: over the global jq budget, a 429 with `Retry-After`.
fn jq_error(e: crate::jq::JqError, jobs: usize) -> Response {
    use crate::jq::JqError;
    let (e, retry_after) = match e {
        JqError::Refused(msg) => (ApiError::kopernik(StatusCode::BAD_REQUEST, msg), None),
        JqError::Budget => (
            ApiError::kopernik(StatusCode::BAD_REQUEST, crate::jq::BUDGET_EXCEEDED),
            None,
        ),
        JqError::Busy { retry_after_secs } => (
            ApiError::kopernik(
                StatusCode::TOO_MANY_REQUESTS,
                format!(
                    "jq: the jq budget is busy ({jobs} filter(s) already running, the most \
                     allowed at once); retry after {retry_after_secs} s"
                ),
            ),
            Some(retry_after_secs),
        ),
        JqError::Internal(msg) => (k500(msg), None),
    };
    let mut r = e.into_response();
    if let Some(secs) = retry_after {
        r.headers_mut()
            .insert(axum::http::header::RETRY_AFTER, secs.into());
    }
    r
}

fn one(key: &str, v: Value) -> Response {
    Json(json!({ "metadata": kopernik_metadata(), key: v })).into_response()
}

async fn list_apps(
    State(s): State<AppState>,
    Path(p): Path<String>,
    Query(q): Query<PageQuery>,
) -> Res {
    let p = provider(&p)?;
    page(&s, "app", Some(p.as_str()), &q).await
}

async fn get_app(State(s): State<AppState>, Path((p, uid)): Path<(String, String)>) -> Res {
    let p = provider(&p)?;
    let app = in_tx(&s, move |_, t| {
        t.get("app", &format!("{p}/{uid}"))
            .map_err(k500)?
            .ok_or_else(|| {
                ApiError::kopernik(
                    StatusCode::NOT_FOUND,
                    format!("Container app `{uid}` not found"),
                )
            })
    })
    .await?;
    Ok(one("resource", app))
}

async fn list_regions(
    State(s): State<AppState>,
    Path(p): Path<String>,
    Query(q): Query<PageQuery>,
) -> Res {
    let p = provider(&p)?;
    page(&s, "region", Some(p.as_str()), &q).await
}

async fn list_machine_types(
    State(s): State<AppState>,
    Path(p): Path<String>,
    Query(q): Query<PageQuery>,
) -> Res {
    let p = provider(&p)?;
    page(&s, "machinetype", Some(p.as_str()), &q).await
}

async fn list_actions(State(s): State<AppState>, Path(p): Path<String>) -> Res {
    let p = provider(&p)?;
    let actions = in_tx(&s, move |_, t| {
        t.all("action", Some(p.as_str())).map_err(k500)
    })
    .await?;
    Ok(Json(json!({ "metadata": kopernik_metadata(), "resources": actions })).into_response())
}

async fn get_action(State(s): State<AppState>, Path((p, uid)): Path<(String, String)>) -> Res {
    let p = provider(&p)?;
    let action = in_tx(&s, move |_, t| {
        t.get("action", &format!("{p}/{uid}"))
            .map_err(k500)?
            .ok_or_else(|| {
                ApiError::kopernik(StatusCode::NOT_FOUND, format!("Action `{uid}` not found"))
            })
    })
    .await?;
    Ok(one("action", action))
}

async fn list_templates(State(s): State<AppState>, Query(q): Query<PageQuery>) -> Res {
    page(&s, "template", None, &q).await
}

async fn get_template(State(s): State<AppState>, Path(id): Path<String>) -> Res {
    let t = in_tx(&s, move |_, t| {
        t.get("template", &id).map_err(k500)?.ok_or_else(|| {
            ApiError::kopernik(
                StatusCode::NOT_FOUND,
                format!("App template `{id}` not found"),
            )
        })
    })
    .await?;
    Ok(one("resource", t))
}

async fn list_volumes(
    State(s): State<AppState>,
    Path(p): Path<String>,
    Query(q): Query<PageQuery>,
) -> Res {
    let p = provider(&p)?;
    page(&s, "volume", Some(p.as_str()), &q).await
}

#[derive(Deserialize)]
pub struct WaitQuery {
    #[serde(rename = "waitTime")]
    wait_time: Option<String>,
    #[serde(rename = "attachedVolumesDeletePolicy")]
    policy: Option<String>,
}

/// `waitTime` in seconds (fractions allowed). ASSUMED default: 0, answer at once.
fn wait_time(q: &WaitQuery) -> Result<std::time::Duration, ApiError> {
    match &q.wait_time {
        None => Ok(std::time::Duration::ZERO),
        Some(v) => match v.parse::<f64>() {
            Ok(n) if n.is_finite() && (0.0..=300.0).contains(&n) => {
                Ok(std::time::Duration::from_secs_f64(n))
            }
            _ => Err(ApiError::kopernik(
                StatusCode::BAD_REQUEST,
                format!("waitTime: must be a number of seconds from 0 to 300 (got `{v}`)"),
            )),
        },
    }
}

fn bad(msg: impl Into<String>) -> ApiError {
    ApiError::kopernik(StatusCode::BAD_REQUEST, msg)
}

/// Runs `f` in one transaction on a blocking thread.
async fn in_tx<T: Send + 'static>(
    s: &AppState,
    f: impl FnOnce(&AppState, &Tx<'_>) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let s = s.clone();
    tokio::task::spawn_blocking(move || s.db.tx(|t| f(&s, t)).map_err(k500)?)
        .await
        .map_err(|e| k500(format!("worker: {e}")))?
}

async fn create_app(
    State(s): State<AppState>,
    Path(p): Path<String>,
    Query(q): Query<WaitQuery>,
    body: Bytes,
) -> Res {
    let p = provider(&p)?;
    let wait = wait_time(&q)?;
    let req: ContainerAppCreate = crate::errors::parse_body(&body, ApiError::kopernik)?;
    let action = in_tx(&s, move |s, t| create_app_tx(s, t, &p, &req)).await?;
    answer_when_done(&s, action, wait).await
}

/// Every check and write of a create, in one transaction: the uid is picked inside it, so two
/// creates can never share one.
fn create_app_tx(
    s: &AppState,
    t: &Tx<'_>,
    p: &ProviderId,
    req: &ContainerAppCreate,
) -> Result<String, ApiError> {
    let template = match &req.template_id {
        Some(id) => {
            let doc = t
                .get("template", id)
                .map_err(k500)?
                .ok_or_else(|| bad(format!("templateId: unknown template `{id}`")))?;
            Some(
                serde_json::from_value::<AppTemplate>(doc)
                    .map_err(|e| k500(format!("stored template: {e}")))?,
            )
        }
        None => None,
    };
    let errors = rules::kopernik_create(req, template.as_ref());
    if !errors.is_empty() {
        return Err(bad(berth_api::error::join(&errors)));
    }
    let m = &req.machine_configuration;
    let region = t
        .get("region", &format!("{p}/{}", m.region_uid))
        .map_err(k500)?
        .ok_or_else(|| {
            bad(format!(
                "machineConfiguration.regionUid: unknown region `{}` for {p}",
                m.region_uid
            ))
        })?;
    if region["capabilities"]["available"] != true {
        return Err(bad(format!(
            "machineConfiguration.regionUid: region `{}` is not available",
            m.region_uid
        )));
    }
    if t.get("machinetype", &format!("{p}/{}", m.machine_type_uid))
        .map_err(k500)?
        .is_none()
    {
        return Err(bad(format!(
            "machineConfiguration.machineTypeUid: unknown machine type `{}` for {p}",
            m.machine_type_uid
        )));
    }

    // A numeric uid like the real API's, free in this transaction (so free when it commits).
    let mut n = 50_000_000 + (crate::engine::now_ms() % 40_000_000);
    let uid = loop {
        let candidate = n.to_string();
        if t.get("app", &format!("{p}/{candidate}"))
            .map_err(k500)?
            .is_none()
        {
            break candidate;
        }
        n += 1;
    };
    let account = "123456";
    let now = crate::ids::now_secs();
    let mut props = req.runtime_props.clone().unwrap_or_default();
    // With a template, what the request leaves out comes from the template (seed rules).
    if let Some(tpl) = &template {
        if props.ports.is_none() && !tpl.ports.is_empty() {
            props.ports = Some(tpl.ports.clone());
        }
        if props.volume_mount_targets.is_none() && !tpl.volume_mount_targets.is_empty() {
            props.volume_mount_targets = Some(tpl.volume_mount_targets.clone());
        }
        let mut env = props.env.clone().unwrap_or_default();
        let set: std::collections::HashSet<String> = env.iter().map(|e| e.name.clone()).collect();
        for prop in &tpl.env {
            if let (false, Some(default)) = (set.contains(&prop.env_var), &prop.default) {
                env.push(EnvVar {
                    name: prop.env_var.clone(),
                    value: default.clone(),
                });
            }
        }
        props.env = (!env.is_empty()).then_some(env);
    }
    // Secrets are not echoed back: env values are kept out of the stored app.
    let mut shown = props.clone();
    if let Some(env) = &mut shown.env {
        for e in env.iter_mut() {
            e.value = "<hidden>".into();
        }
    }
    let targets = props.volume_mount_targets.clone().unwrap_or_default();
    let volumes: Vec<Value> = m
        .data_disks
        .iter()
        .flatten()
        .enumerate()
        .map(|(i, d)| {
            let target = targets.get(i).cloned().unwrap_or_else(|| format!("/disk{}", i + 1));
            json!({"type": "blockstorage", "providerUid": p.as_str(), "regionUid": m.region_uid, "accountUid": account,
                   "uid": format!("vol-{uid}-{}", i + 1), "name": format!("{}-disk{}", m.name, i + 1),
                   "sizeGb": d.size_gb, "status": "attached", "attachedTo": uid, "mountTarget": target})
        })
        .collect();
    let app = json!({
        "type": "containerapp", "providerUid": p.as_str(), "regionUid": m.region_uid, "accountUid": account,
        "uid": uid, "grid": format!("grid:{p}:containerapp:{}:{account}:{uid}", m.region_uid),
        "name": m.name, "status": "provisioning", "createdAt": now,
        "machine": {"uid": format!("m-{uid}"), "name": m.name, "machineTypeUid": m.machine_type_uid,
            "regionUid": m.region_uid, "status": "new",
            "ipv4": [{"address": format!("198.51.100.{}", (now % 250) + 1)}], "ipv6": []},
        "templateId": req.template_id,
        "containerImage": req.container_image,
        "runtimeProps": shown,
    });
    let fail_reason = crate::engine::pull_failure(&req.container_image.id);
    t.put("app", &format!("{p}/{uid}"), p.as_str(), &app)
        .map_err(k500)?;
    crate::faults::crash_point();
    start_action(
        s,
        t,
        p,
        "createResource",
        &uid,
        json!({"kind": "create", "volumes": volumes}),
        fail_reason,
    )
}

async fn delete_app(
    State(s): State<AppState>,
    Path((p, uid)): Path<(String, String)>,
    Query(q): Query<WaitQuery>,
) -> Res {
    let p = provider(&p)?;
    let wait = wait_time(&q)?;
    let policy = match q.policy.as_deref() {
        None | Some("") => AttachedVolumesDeletePolicy::Retain,
        Some(v) => match AttachedVolumesDeletePolicy::from_wire(v) {
            AttachedVolumesDeletePolicy::Unknown(_) => {
                return Err(bad(format!(
                    "attachedVolumesDeletePolicy: unknown value `{v}` (expected retain or delete)"
                )))
            }
            known => known,
        },
    };
    let action = in_tx(&s, move |s, t| {
        let key = format!("{p}/{uid}");
        let mut app = t.get("app", &key).map_err(k500)?.ok_or_else(|| {
            ApiError::kopernik(
                StatusCode::NOT_FOUND,
                format!("Container app `{uid}` not found"),
            )
        })?;
        let busy = t
            .all("action_plan", None)
            .map_err(k500)?
            .iter()
            .any(|plan| plan["resource"] == key.as_str());
        if busy {
            return Err(bad(format!(
                "container app `{uid}` has an action in progress; try again when it ends"
            )));
        }
        app["status"] = json!("deleting");
        t.put("app", &key, p.as_str(), &app).map_err(k500)?;
        crate::faults::crash_point();
        start_action(
            s,
            t,
            &p,
            "deleteResource",
            &uid,
            json!({"kind": "delete", "policy": policy.as_str()}),
            None,
        )
    })
    .await?;
    answer_when_done(&s, action, wait).await
}

/// Records an Action and its plan in the caller's transaction and returns the Action's key.
fn start_action(
    s: &AppState,
    t: &Tx<'_>,
    p: &ProviderId,
    kind: &str,
    resource_uid: &str,
    effect: Value,
    fail_reason: Option<String>,
) -> Result<String, ApiError> {
    let uid = crate::ids::uuid();
    let key = format!("{p}/{uid}");
    let now = crate::ids::now_secs();
    let action = json!({"uid": uid, "type": kind, "state": "pending", "providerUid": p.as_str(),
        "resourceType": "containerapp", "resourceUid": resource_uid, "createdAt": now, "updatedAt": now});
    let plan = json!({"key": key, "resource": format!("{p}/{resource_uid}"), "started_ms": crate::engine::now_ms(),
        "provision_ms": s.provision_ms, "effect": effect, "fail_reason": fail_reason});
    t.put("action", &key, p.as_str(), &action).map_err(k500)?;
    t.put("action_plan", &key, "", &plan).map_err(k500)?;
    Ok(key)
}

/// 200 with the Action if it ended within `wait`, else 202 with it as it stands. Waiting holds
/// nothing and scans nothing: the request sleeps until the Action is due to end and applies that
/// end itself, or until the ticker says it ended, or until `wait` runs out.
async fn answer_when_done(s: &AppState, key: String, wait: std::time::Duration) -> Res {
    let deadline = tokio::time::Instant::now() + wait;
    // Subscribed before the first read, so an end between the read and the wait is not missed.
    let mut ended = s.actions_ended.subscribe();
    let mut applied_end = false;
    loop {
        let (action, due_ms) = {
            let s = s.clone();
            let key = key.clone();
            tokio::task::spawn_blocking(move || {
                let action = s.db.get("action", &key)?;
                let plan = s.db.get("action_plan", &key)?;
                Ok::<_, String>((action, plan.as_ref().and_then(crate::engine::action_due_ms)))
            })
            .await
            .map_err(|e| k500(format!("worker: {e}")))?
            .map_err(k500)?
        };
        let action = action.ok_or_else(|| k500(format!("action {key} vanished")))?;
        let state = ActionState::from_wire(action["state"].as_str().unwrap_or_default());
        // Due already (the ticker has not come by yet): its end first, then the answer.
        let due_now = due_ms.is_some_and(|due| due <= crate::engine::now_ms());
        if !state.is_terminal() && due_now && !applied_end {
            applied_end = true;
            apply_end(s, &key).await?;
            continue;
        }
        if state.is_terminal() || tokio::time::Instant::now() >= deadline {
            let status = if state.is_terminal() {
                StatusCode::OK
            } else {
                StatusCode::ACCEPTED
            };
            return Ok((
                status,
                Json(json!({"metadata": kopernik_metadata(), "action": action})),
            )
                .into_response());
        }
        // The Action's end, once: after that only the ticker's notice (or the deadline) wakes
        // this request, whatever the clock does.
        let end = due_ms.filter(|_| !applied_end).map(|due| {
            let left = u64::try_from(due - crate::engine::now_ms()).unwrap_or(0);
            tokio::time::Instant::now() + std::time::Duration::from_millis(left)
        });
        let wake = end.map_or(deadline, |e| e.min(deadline));
        tokio::select! {
            () = tokio::time::sleep_until(wake) => {
                if end.is_some_and(|e| e <= wake) {
                    applied_end = true;
                    apply_end(s, &key).await?;
                }
            }
            () = ended_notice(&mut ended, &key) => {}
        }
    }
}

/// Applies what time has made due to the Action `key` (its end), announcing the end.
async fn apply_end(s: &AppState, key: &str) -> Result<(), ApiError> {
    let (s2, k) = (s.clone(), key.to_string());
    let ended_now = tokio::task::spawn_blocking(move || {
        crate::engine::advance_action_at(&s2.db, &k, crate::engine::now_ms())
    })
    .await
    .map_err(|e| k500(format!("worker: {e}")))?
    .map_err(k500)?;
    if ended_now {
        // No receiver: nobody else is waiting.
        let _ = s.actions_ended.send(key.to_string());
    }
    Ok(())
}

/// Returns when `key` is announced as ended (or announcements were missed: then the caller
/// reads the Action again); never when the announcer is gone.
async fn ended_notice(rx: &mut tokio::sync::broadcast::Receiver<String>, key: &str) {
    use tokio::sync::broadcast::error::RecvError;
    loop {
        match rx.recv().await {
            Ok(k) if k == key => return,
            Ok(_) => {}
            Err(RecvError::Lagged(_)) => return,
            Err(RecvError::Closed) => std::future::pending::<()>().await,
        }
    }
}
