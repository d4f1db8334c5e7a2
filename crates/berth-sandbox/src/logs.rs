//! Logs. A deployment's log (`GET /environment/{id}/logs?version=<execution id>`) is written line
//! by line as the operation walks its states (kind `deploy_log`, under the environment), so it
//! grows while the operation runs and stays afterwards. A running container's output
//! (`GET /container/{id}/log`) is computed from its stored run (kind `run`: since when, which
//! version, how many instances): every instance writes one line every [`TICK_MS`], so the log
//! grows while the container runs and is the same on every read.

use std::hash::{Hash, Hasher};

use axum::extract::{Path, Query, State};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::app::AppState;
use crate::db::Tx;
use crate::errors::q500;
use crate::pods::{pod_name, Behaviour};
use crate::qovery::{in_tx, must_get, results, Res};
use crate::series::OOM_PERIOD_S;

/// ASSUMED: a running instance writes a line every 2 s.
pub const TICK_MS: i64 = 2000;
/// Both log endpoints answer the last 1000 lines (the spec's descriptions say so).
pub const MAX_LINES: usize = 1000;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/environment/{id}/logs", get(environment_logs))
        .route("/container/{id}/log", get(container_log))
}

/// RFC 3339 with milliseconds, UTC.
pub fn rfc3339_ms(ms: i64) -> String {
    let secs = crate::ids::rfc3339(ms.div_euclid(1000));
    format!("{}.{:03}Z", secs.trim_end_matches('Z'), ms.rem_euclid(1000))
}

/// The lines a deployment-like operation writes when it reaches `state`: (type, step, message).
fn lines_for(
    ctx: &Value,
    state: &str,
    fail_reason: Option<&str>,
) -> Vec<(&'static str, &'static str, String)> {
    let name = ctx["name"].as_str().unwrap_or("container");
    let image = format!(
        "{}:{}",
        ctx["image"].as_str().unwrap_or_default(),
        ctx["tag"].as_str().unwrap_or_default()
    );
    let host = ctx["registry_url"]
        .as_str()
        .map(|u| {
            u.trim_start_matches("https://")
                .trim_start_matches("http://")
        })
        .unwrap_or("registry");
    let n = ctx["instances"].as_i64().unwrap_or(1);
    match state {
        "DEPLOYMENT_QUEUED" => vec![(
            "info",
            "Queued",
            format!("Deployment of {name} queued (image {image})"),
        )],
        "DEPLOYING" => vec![
            ("info", "Deploy", format!("Pulling image {host}/{image}")),
            (
                "info",
                "Deploy",
                format!("Mirroring {image} to the cluster's registry"),
            ),
        ],
        "DEPLOYED" => vec![
            ("info", "Deploy", format!("Image {image} pulled")),
            (
                "info",
                "Deploy",
                format!("Rolling out {n} instance(s) of {name}"),
            ),
            (
                "info",
                "Deployed",
                format!("✔ {name} deployed: {n}/{n} instances ready"),
            ),
        ],
        "DEPLOYMENT_ERROR" => vec![(
            "error",
            "DeployedError",
            format!(
                "❌ Deployment of {name} failed: {}",
                fail_reason.unwrap_or("the deployment failed")
            ),
        )],
        "RESTART_QUEUED" => vec![("info", "Queued", format!("Restart of {name} queued"))],
        "RESTARTING" => vec![(
            "info",
            "Restart",
            format!("Restarting {n} instance(s) of {name}"),
        )],
        "RESTARTED" => vec![(
            "info",
            "Restarted",
            format!("✔ {name} restarted: {n}/{n} instances ready"),
        )],
        "STOP_QUEUED" => vec![("info", "Queued", format!("Stop of {name} queued"))],
        "STOPPING" => vec![(
            "info",
            "Stop",
            format!("Scaling {name} down to 0 instances"),
        )],
        "STOPPED" => vec![("info", "Stopped", format!("✔ {name} stopped"))],
        "DELETE_QUEUED" => vec![("info", "Queued", format!("Deletion of {name} queued"))],
        "DELETING" => vec![(
            "info",
            "Delete",
            format!("Deleting {name} and its resources"),
        )],
        "DELETED" => vec![("info", "Deleted", format!("✔ {name} deleted"))],
        _ => vec![],
    }
}

/// Writes the deployment-log lines of `plan`'s operation reaching `state` at `now_ms`.
pub fn write_deploy_lines(
    t: &Tx<'_>,
    plan: &Value,
    state: &str,
    now_ms: i64,
) -> Result<(), String> {
    let ctx = &plan["ctx"];
    let env = plan["env"].as_str().unwrap_or_default();
    let execution = plan["history"].as_str().unwrap_or_default();
    let fail_reason = plan["fail_reason"].as_str();
    for (i, (kind, step, text)) in lines_for(ctx, state, fail_reason).into_iter().enumerate() {
        let id = crate::ids::uuid();
        let mut details = json!({
            "execution_id": execution,
            "transmitter": {"name": ctx["name"], "type": "Container"},
            "stage": {"step": step, "id": crate::stages::stage_id(env), "name": crate::stages::STAGE_NAME},
        });
        if let Some(sid) = ctx["service_id"].as_str() {
            details["transmitter"]["id"] = json!(sid);
        }
        for key in ["organization_id", "cluster_id"] {
            if let Some(v) = ctx[key].as_str() {
                details[key] = json!(v);
            }
        }
        let mut line = json!({
            "type": kind,
            "timestamp": rfc3339_ms(now_ms + i as i64),
            "details": details,
            "message": {"safe_message": text},
            "error": null,
        });
        if kind == "error" {
            let reason = fail_reason.unwrap_or("the deployment failed");
            let image = format!(
                "{}:{}",
                ctx["image"].as_str().unwrap_or_default(),
                ctx["tag"].as_str().unwrap_or_default()
            );
            line["error"] = json!({
                "tag": "IMAGE_PULL_FAILED",
                "user_log_message": reason,
                "hint_message": "Check that the image name and tag exist in the registry and that the registry's credentials are valid",
                "underlying_error": {
                    "message": reason,
                    "full_details": format!("Error response from daemon: manifest for {image} not found: manifest unknown: manifest unknown"),
                },
            });
        }
        t.put("deploy_log", &id, env, &line)?;
    }
    Ok(())
}

/// An operation ended in `state`: a deploy or restart starts a new run of the container (new
/// instances, a fresh output); a stop ends the run (its output stays, frozen); a failed deploy
/// leaves the previous run as it was (the old version keeps serving).
pub fn operation_ended(t: &Tx<'_>, plan: &Value, state: &str, now_ms: i64) -> Result<(), String> {
    let id = plan["container"].as_str().unwrap_or_default();
    let env = plan["env"].as_str().unwrap_or_default();
    match state {
        "DEPLOYED" | "RESTARTED" => {
            let ctx = &plan["ctx"];
            let run = json!({
                "since_ms": now_ms, "until_ms": null,
                "execution_id": plan["history"], "name": ctx["name"], "image": ctx["image"],
                "version": ctx["tag"], "instances": ctx["instances"], "port": ctx["port"],
            });
            t.put("run", id, env, &run)
        }
        "STOPPED" => match t.get("run", id)? {
            Some(mut run) if run["until_ms"].is_null() => {
                run["until_ms"] = json!(now_ms);
                t.put("run", id, env, &run)
            }
            _ => Ok(()),
        },
        _ => Ok(()),
    }
}

fn hash_of(parts: &[&dyn HashPart]) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for p in parts {
        p.feed(&mut h);
    }
    h.finish()
}

trait HashPart {
    fn feed(&self, h: &mut std::collections::hash_map::DefaultHasher);
}

impl<T: Hash> HashPart for T {
    fn feed(&self, h: &mut std::collections::hash_map::DefaultHasher) {
        self.hash(h);
    }
}

/// A uuid-shaped id that is the same for the same parts.
fn stable_uuid(parts: &[&dyn HashPart]) -> String {
    let a = hash_of(parts);
    let b = hash_of(&[&a, &"second half"]);
    let hex = format!("{a:016x}{b:016x}");
    format!(
        "{}-{}-4{}-a{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[13..16],
        &hex[17..20],
        &hex[20..32]
    )
}

/// What instance `instance` writes at tick `k` of a run, at `at_ms`.
fn output_line(run: &Value, k: i64, instance: i64, at_ms: i64, behaviour: Behaviour) -> String {
    let image = run["image"].as_str().unwrap_or("app");
    let version = run["version"].as_str().unwrap_or("latest");
    let port = run["port"].as_i64().unwrap_or(8080);
    match k {
        0 => return format!("Starting {image}:{version}"),
        1 => return format!("Listening on 0.0.0.0:{port}"),
        _ => {}
    }
    if behaviour == Behaviour::OomKilled {
        // Killed at every start + k × OOM_PERIOD_S (series.rs, events.rs), then started again.
        let start_ms = run["since_ms"]
            .as_i64()
            .unwrap_or_default()
            .div_euclid(1000)
            * 1000;
        let period = OOM_PERIOD_S * 1000;
        let tick = run["tick_ms"].as_i64().unwrap_or(TICK_MS).clamp(1, TICK_MS);
        let into_cycle = (at_ms - start_ms).rem_euclid(period);
        if at_ms - start_ms >= period && into_cycle < tick {
            return format!("Starting {image}:{version}");
        }
        if into_cycle >= period * 9 / 10 && k % 10 == 0 {
            return format!(
                "WARN heap usage at {}% of the memory limit",
                into_cycle * 100 / period
            );
        }
    }
    let h = hash_of(&[
        &run["execution_id"].as_str().unwrap_or_default(),
        &k,
        &instance,
    ]);
    let paths = [
        "/",
        "/healthz",
        "/api/items",
        "/static/app.css",
        "/api/orders",
        "/login",
    ];
    let mut path = paths[(h % paths.len() as u64) as usize];
    if behaviour == Behaviour::ProbeFail && path == "/healthz" {
        // Its probe knocks on another port: none of its requests is a probe.
        path = "/api/items";
    }
    let ip = format!("10.0.{}.{}", (h >> 8) % 8, (h >> 16) % 250 + 2);
    let ms = (h >> 24) % 120 + 1;
    if k % 17 == 0 {
        format!("WARN slow request: GET {path} took {}ms", ms * 25)
    } else if path == "/healthz" {
        format!("{ip} - - \"GET /healthz HTTP/1.1\" 200 2 \"-\" \"kube-probe/1.31\"")
    } else {
        let bytes = (h >> 32) % 20_000 + 120;
        format!("{ip} - - \"GET {path} HTTP/1.1\" 200 {bytes} {ms}ms")
    }
}

/// The output of a run up to `now_ms`: the last [`MAX_LINES`] lines (the run's `max_lines` when it
/// sets one: `--demo-log-lines`), oldest first.
pub fn container_output(container_id: &str, run: &Value, now_ms: i64) -> Vec<Value> {
    let Some(since) = run["since_ms"].as_i64() else {
        return Vec::new();
    };
    let end = run["until_ms"].as_i64().map_or(now_ms, |u| u.min(now_ms));
    if end < since {
        return Vec::new();
    }
    let behaviour = Behaviour::of_run(run);
    match behaviour {
        // Never started: no output.
        Behaviour::Unschedulable | Behaviour::BadImage => return Vec::new(),
        Behaviour::CrashLoop => return crash_loop_output(container_id, run, since, end),
        _ => {}
    }
    let instances = run["instances"].as_i64().unwrap_or(1).clamp(1, 10);
    // `--demo-log-rate` sets a shorter tick on a demo run.
    let tick = run["tick_ms"].as_i64().unwrap_or(TICK_MS).clamp(1, TICK_MS);
    let ticks = (end - since) / tick + 1;
    // One tick more than needed: the newest tick may not be complete yet.
    let max = run["max_lines"]
        .as_u64()
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(MAX_LINES);
    let keep_ticks = max as i64 / instances + 1;
    let first = (ticks - keep_ticks).max(0);
    let execution = run["execution_id"].as_str().unwrap_or_default();
    let version = run["version"].as_str().unwrap_or_default();
    let mut out = Vec::new();
    for k in first..ticks {
        for i in 0..instances {
            // Instances write a little apart (37 ms at the usual tick).
            let at = since + k * tick + i * 37 * tick / TICK_MS;
            if at > end {
                continue;
            }
            out.push(json!({
                "id": stable_uuid(&[&container_id, &since, &k, &i]),
                "created_at": rfc3339_ms(at),
                "message": output_line(run, k, i, at, behaviour),
                "pod_name": pod_name(container_id, execution, i),
                "version": version,
            }));
        }
    }
    if out.len() > max {
        out.drain(..out.len() - max);
    }
    out
}

/// The lines each start of a crash-looping container writes, and when (ms after the start).
const CRASH_LINES: [(i64, &str); 4] = [
    (0, "Starting {image}"),
    (40, "Reading configuration from the environment"),
    (80, "Error: missing required env DATABASE_URL"),
    (90, "Process exited with status 1"),
];

/// The output of a crash-looping run (`crash-loop`): started again every
/// [`crate::events::CRASH_PERIOD_S`], each start ending with why it exits.
fn crash_loop_output(container_id: &str, run: &Value, since: i64, end: i64) -> Vec<Value> {
    let image = format!(
        "{}:{}",
        run["image"].as_str().unwrap_or("app"),
        run["version"].as_str().unwrap_or("latest")
    );
    let execution = run["execution_id"].as_str().unwrap_or_default();
    let version = run["version"].as_str().unwrap_or_default();
    let instances = run["instances"].as_i64().unwrap_or(1).clamp(1, 10);
    let max = run["max_lines"]
        .as_u64()
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(MAX_LINES);
    let period = crate::events::CRASH_PERIOD_S * 1000;
    let start = since.div_euclid(1000) * 1000;
    let cycles = (end - start).div_euclid(period) + 1;
    let keep = (max / (CRASH_LINES.len() * instances as usize)) as i64 + 1;
    let mut out = Vec::new();
    for c in (cycles - keep).max(0)..cycles {
        for i in 0..instances {
            for (j, (offset, text)) in CRASH_LINES.iter().enumerate() {
                let at = start + c * period + offset;
                if at > end {
                    continue;
                }
                out.push(json!({
                    "id": stable_uuid(&[&container_id, &since, &"crash", &c, &j, &i]),
                    "created_at": rfc3339_ms(at),
                    "message": text.replace("{image}", &image),
                    "pod_name": pod_name(container_id, execution, i),
                    "version": version,
                }));
            }
        }
    }
    if out.len() > max {
        out.drain(..out.len() - max);
    }
    out
}

#[derive(Deserialize)]
struct LogsQuery {
    version: Option<String>,
}

/// `listEnvironmentLogs`: the environment's deployment log lines (all of one deployment with
/// `version=<execution id>`), the last 1000, oldest first, as a bare array. An unknown version is
/// an empty list.
async fn environment_logs(
    State(s): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<LogsQuery>,
) -> Res {
    in_tx(&s, move |_, t| {
        must_get(t, "env", "environment", &id)?;
        let mut lines: Vec<Value> = t
            .all("deploy_log", Some(&id))
            .map_err(q500)?
            .into_iter()
            .filter(|l| match q.version.as_deref() {
                Some(v) if !v.is_empty() => l["details"]["execution_id"] == v,
                _ => true,
            })
            .collect();
        if lines.len() > MAX_LINES {
            lines.drain(..lines.len() - MAX_LINES);
        }
        Ok(Json(lines).into_response())
    })
    .await
}

/// `listContainerLog`: the container's output, the last 1000 lines (the spec gives no query
/// parameter to limit it).
async fn container_log(State(s): State<AppState>, Path(id): Path<String>) -> Res {
    in_tx(&s, move |_, t| {
        must_get(t, "container", "container", &id)?;
        let lines = match t.get("run", &id).map_err(q500)? {
            Some(run) => container_output(&id, &run, crate::engine::now_ms()),
            None => Vec::new(),
        };
        Ok(results(lines))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_is_stable_and_grows() {
        let run = json!({"since_ms": 1_000_000, "until_ms": null, "execution_id": "e1",
            "name": "web", "image": "nginx", "version": "1.27", "instances": 2, "port": 80});
        let a = container_output("c1", &run, 1_000_000 + 5 * TICK_MS);
        let b = container_output("c1", &run, 1_000_000 + 5 * TICK_MS);
        assert_eq!(a, b);
        // Six ticks of two instances; the second instance's last line is 37 ms in the future.
        assert_eq!(a.len(), 11);
        let later = container_output("c1", &run, 1_000_000 + 9 * TICK_MS);
        assert_eq!(later.len(), 19);
        assert_eq!(later[..11], a[..]);
        assert_ne!(a[0]["pod_name"], a[1]["pod_name"]);
        let long = container_output("c1", &run, 1_000_000 + 100_000 * TICK_MS);
        assert_eq!(long.len(), MAX_LINES);
        // `--demo-log-lines`: a run may keep more.
        let mut big = run.clone();
        big["max_lines"] = json!(10_000);
        assert_eq!(
            container_output("c1", &big, 1_000_000 + 100_000 * TICK_MS).len(),
            10_000
        );
        // `--demo-log-rate 100` with two instances: a tick of 20 ms, 100 lines a second, and
        // each read one second later brings the next hundred after the same lines.
        let mut fast = big.clone();
        fast["tick_ms"] = json!(20);
        let now = 1_000_000 + 1_000 * TICK_MS;
        let first = container_output("c1", &fast, now);
        let second = container_output("c1", &fast, now + 1000);
        assert_eq!((first.len(), second.len()), (10_000, 10_000));
        let new = second
            .iter()
            .filter(|l| !first.iter().any(|f| f["id"] == l["id"]))
            .count();
        assert_eq!(new, 100);
        assert_eq!(first[100..], second[..9_900]);
    }

    #[test]
    fn millisecond_timestamps() {
        assert_eq!(rfc3339_ms(1_700_000_000_123), "2023-11-14T22:13:20.123Z");
    }
}
