//! `GET /environment/{id}/statusesWithStages` (spec `EnvironmentStatusesWithStages`). The
//! sandbox has no stage management: every environment has one deployment stage, `DEFAULT` (the
//! stage its deployment logs name), holding all its containers, with an id derived from the
//! environment's, so it is the same on every read and across restarts.
//!
//! The stage's status is that of its latest deployment, as Qovery shows a stage: `QUEUED` while
//! the services moving are all queued (or nothing was ever deployed), `ONGOING` while one of them
//! is deploying (restarting, stopping…); otherwise the outcome of the latest operation (the
//! containers whose latest operation started last, to the second): `ERROR` if one of them
//! failed, `CANCELED` if one was canceled, `DONE` when they all ended well. A container that
//! failed in an earlier deployment does not make a later one's stage fail.

use axum::extract::{Path, State};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use berth_api::qovery::State as DeployState;
use serde_json::{json, Value};

use crate::app::AppState;
use crate::db::Tx;
use crate::errors::q500;
use crate::qovery::{environment_statuses, in_tx, Res};

pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/environment/{id}/statusesWithStages",
        get(statuses_with_stages),
    )
}

/// The name of every environment's one stage.
pub const STAGE_NAME: &str = "DEFAULT";

/// The id of `env`'s stage: a UUID (v4 layout) derived from the environment id with FNV-1a,
/// stable across runs and Rust releases.
pub fn stage_id(env: &str) -> String {
    let fnv = |seed: u64| {
        env.bytes().fold(seed, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        })
    };
    let a = fnv(0xcbf2_9ce4_8422_2325);
    let b = fnv(0x8422_2325_cbf2_9ce4 ^ a);
    crate::ids::uuid_from(a, b)
}

async fn statuses_with_stages(State(s): State<AppState>, Path(id): Path<String>) -> Res {
    in_tx(&s, move |_, t| {
        let (environment, containers) = environment_statuses(t, &id)?;
        let stage = stage(t, &id, &containers)?;
        let mut answer = json!({
            "environment": environment,
            "stages": [{
                "applications": [], "containers": containers, "jobs": [], "databases": [],
                "helms": [], "terraforms": [],
                "stage": stage,
            }],
        });
        if stage["status"] != "QUEUED" {
            answer["pre_check_stage"] = json!({"status": "SUCCESS", "total_duration_sec": 0});
        }
        Ok(Json(answer).into_response())
    })
    .await
}

fn state_of(st: &Value) -> DeployState {
    DeployState::from_wire(st["state"].as_str().unwrap_or_default())
}

fn is_queued(s: &DeployState) -> bool {
    matches!(
        s,
        DeployState::Queued
            | DeployState::DeploymentQueued
            | DeployState::RestartQueued
            | DeployState::StopQueued
            | DeployState::DeleteQueued
    )
}

/// A container's step metric `name`, if its status has one.
fn step_secs(st: &Value, name: &str) -> Option<i64> {
    st["steps"]["details"]
        .as_array()?
        .iter()
        .find(|d| d["step_name"] == name)?["duration_sec"]
        .as_i64()
}

/// The spec's `Stage` of the environment's one stage, from its containers' statuses.
fn stage(t: &Tx<'_>, env: &str, containers: &[Value]) -> Result<Value, crate::errors::ApiError> {
    let moving: Vec<DeployState> = containers
        .iter()
        .map(state_of)
        .filter(DeployState::is_transitional)
        .collect();
    // The containers of the latest deployment: those moving, else those whose latest operation
    // (their status's execution id, a history entry) started last.
    let latest: Vec<&Value> = if moving.is_empty() {
        let mut started = Vec::new();
        for st in containers {
            let created = match st["execution_id"].as_str() {
                Some(h) => t
                    .get("history", h)
                    .map_err(q500)?
                    .and_then(|h| h["auditing_data"]["created_at"].as_str().map(String::from)),
                None => None,
            };
            started.push((created, st));
        }
        let last = started.iter().filter_map(|(c, _)| c.clone()).max();
        match last {
            Some(last) => started
                .into_iter()
                .filter(|(c, _)| c.as_deref() == Some(last.as_str()))
                .map(|(_, st)| st)
                .collect(),
            // No operation recorded (seeded data): every container that was ever deployed.
            None => containers
                .iter()
                .filter(|st| state_of(st) != DeployState::Ready)
                .collect(),
        }
    } else {
        containers
            .iter()
            .filter(|st| state_of(st).is_transitional())
            .collect()
    };
    let status = if !moving.is_empty() {
        if moving.iter().all(is_queued) {
            "QUEUED"
        } else {
            "ONGOING"
        }
    } else if latest.is_empty() {
        "QUEUED"
    } else if latest.iter().any(|st| state_of(st).is_error()) {
        "ERROR"
    } else if latest
        .iter()
        .any(|st| state_of(st) == DeployState::Canceled)
    {
        "CANCELED"
    } else {
        "DONE"
    };
    // Stage-level step metrics: its queueing once the stage started, its total once it ended.
    let sid = stage_id(env);
    let mut details = Vec::new();
    let mut total = Value::Null;
    if status != "QUEUED" {
        let queueing = latest
            .iter()
            .filter_map(|st| step_secs(st, "DEPLOYMENT_QUEUEING"))
            .max()
            .unwrap_or(0);
        details.push(
            json!({"stage_id": sid, "step_name": "QUEUEING", "status": "SUCCESS",
                            "duration_sec": queueing}),
        );
    }
    if matches!(status, "DONE" | "ERROR" | "CANCELED") {
        let secs = latest
            .iter()
            .filter_map(|st| st["steps"]["total_duration_sec"].as_i64())
            .max()
            .unwrap_or(0);
        let outcome = match status {
            "DONE" => "SUCCESS",
            "ERROR" => "ERROR",
            _ => "CANCEL",
        };
        details.push(
            json!({"stage_id": sid, "step_name": "TOTAL", "status": outcome,
                            "duration_sec": secs}),
        );
        total = json!(secs);
    }
    Ok(json!({
        "id": sid,
        "name": STAGE_NAME,
        "description": "The environment's default deployment stage",
        "status": status,
        "steps": {"stage_id": sid, "total_duration_sec": total, "details": details},
    }))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_stage_id_is_a_stable_uuid_per_environment() {
        let a = super::stage_id("env-1");
        assert_eq!(a, super::stage_id("env-1"));
        assert_ne!(a, super::stage_id("env-2"));
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
    }
}
