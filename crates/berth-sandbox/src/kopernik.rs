//! The Kopernik API of contract.md §2 (this slice: reads, paging; create, delete and jq come with
//! the sandbox's own issue).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use berth_api::kopernik::ProviderId;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::app::AppState;
use crate::errors::{k500, kopernik_metadata, ApiError};

type Res = Result<Response, ApiError>;

/// Page size when `maxResults` is absent, and the largest accepted. ASSUMED: the seed gives none.
pub const DEFAULT_MAX_RESULTS: i64 = 50;
pub const MAX_MAX_RESULTS: i64 = 1000;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/resource/containerapp/{provider}", get(list_apps))
        .route("/resource/containerapp/{provider}/{uid}", get(get_app))
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

fn page(s: &AppState, kind: &str, parent: Option<&str>, q: &PageQuery) -> Res {
    if q.jq.as_deref().is_some_and(|j| !j.trim().is_empty()) {
        return Err(ApiError::kopernik(
            StatusCode::BAD_REQUEST,
            "jq: filtering is not available in this version of the sandbox",
        ));
    }
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
    // One extra row tells whether another page exists.
    let mut docs = s.db.list(kind, parent, after, limit + 1).map_err(k500)?;
    let more = docs.len() as i64 > limit;
    docs.truncate(limit as usize);
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

fn one(key: &str, v: Value) -> Response {
    Json(json!({ "metadata": kopernik_metadata(), key: v })).into_response()
}

async fn list_apps(
    State(s): State<AppState>,
    Path(p): Path<String>,
    Query(q): Query<PageQuery>,
) -> Res {
    let p = provider(&p)?;
    page(&s, "app", Some(p.as_str()), &q)
}

async fn get_app(State(s): State<AppState>, Path((p, uid)): Path<(String, String)>) -> Res {
    let p = provider(&p)?;
    let app =
        s.db.get("app", &format!("{p}/{uid}"))
            .map_err(k500)?
            .ok_or_else(|| {
                ApiError::kopernik(
                    StatusCode::NOT_FOUND,
                    format!("Container app `{uid}` not found"),
                )
            })?;
    Ok(one("resource", app))
}

async fn list_regions(
    State(s): State<AppState>,
    Path(p): Path<String>,
    Query(q): Query<PageQuery>,
) -> Res {
    let p = provider(&p)?;
    page(&s, "region", Some(p.as_str()), &q)
}

async fn list_machine_types(
    State(s): State<AppState>,
    Path(p): Path<String>,
    Query(q): Query<PageQuery>,
) -> Res {
    let p = provider(&p)?;
    page(&s, "machinetype", Some(p.as_str()), &q)
}

async fn list_actions(State(s): State<AppState>, Path(p): Path<String>) -> Res {
    let p = provider(&p)?;
    let actions = s.db.all("action", Some(p.as_str())).map_err(k500)?;
    Ok(Json(json!({ "metadata": kopernik_metadata(), "resources": actions })).into_response())
}

async fn get_action(State(s): State<AppState>, Path((p, uid)): Path<(String, String)>) -> Res {
    let p = provider(&p)?;
    let action =
        s.db.get("action", &format!("{p}/{uid}"))
            .map_err(k500)?
            .ok_or_else(|| {
                ApiError::kopernik(StatusCode::NOT_FOUND, format!("Action `{uid}` not found"))
            })?;
    Ok(one("action", action))
}

async fn list_templates(State(s): State<AppState>, Query(q): Query<PageQuery>) -> Res {
    page(&s, "template", None, &q)
}

async fn get_template(State(s): State<AppState>, Path(id): Path<String>) -> Res {
    let t = s.db.get("template", &id).map_err(k500)?.ok_or_else(|| {
        ApiError::kopernik(
            StatusCode::NOT_FOUND,
            format!("App template `{id}` not found"),
        )
    })?;
    Ok(one("resource", t))
}
