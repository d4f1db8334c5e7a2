//! Timed operations. Kopernik Actions go pending → running → success/failed, and Qovery
//! deployments walk their states, over `--provision-ms`. Each operation is a stored plan, so a
//! restart resumes it; `advance` applies whatever time has made due, and runs on a ticker. A
//! request waiting on an Action (Kopernik `waitTime`) holds nothing while it waits: it sleeps
//! until the Action's end, applies that end itself ([`advance_action_at`]), and is also woken by
//! the [`Ended`] notice the ticker sends for every Action it ends.

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};

use crate::db::{Db, Tx};

pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}

/// The sandbox's one failure trigger, for both APIs: an image reference (Kopernik's image id,
/// Qovery's `image_name:tag`) containing `fail` cannot be pulled; this is why.
pub fn pull_failure(reference: &str) -> Option<String> {
    reference
        .to_lowercase()
        .contains("fail")
        .then(|| format!("image pull failed: manifest for `{reference}` not found"))
}

/// Removes what belongs to a container that is gone: its variables, secrets (and their values),
/// custom domains and running instances.
pub fn forget_container(t: &Tx<'_>, id: &str) -> Result<(), String> {
    for v in t.all("variable", Some(id))? {
        t.delete("variable", v["id"].as_str().unwrap_or_default())?;
    }
    for v in t.all("secret", Some(id))? {
        let sid = v["id"].as_str().unwrap_or_default();
        t.delete("secret", sid)?;
        t.delete("secret_value", sid)?;
    }
    for d in t.all("custom_domain", Some(id))? {
        t.delete("custom_domain", d["id"].as_str().unwrap_or_default())?;
    }
    t.delete("run", id)?;
    Ok(())
}

/// Keys of Actions that have just ended (success or failure), for the requests waiting on them.
pub type Ended = tokio::sync::broadcast::Sender<String>;

/// Brings every running operation up to date with the clock: each operation's step is one
/// transaction (re-reading its plan inside it), so a crash never leaves half an outcome. Returns
/// the keys of the Actions it ended.
pub fn advance(db: &Db) -> Result<Vec<String>, String> {
    let now = now_ms();
    let mut ended = Vec::new();
    for plan in db.all("action_plan", None)? {
        let key = plan["key"].as_str().unwrap_or_default().to_string();
        if advance_action_at(db, &key, now)? {
            ended.push(key);
        }
    }
    for plan in db.all("deploy_plan", None)? {
        let id = plan["container"].as_str().unwrap_or_default().to_string();
        db.tx(|t| match t.get("deploy_plan", &id)? {
            Some(plan) => advance_deployment(t, &plan, now),
            None => Ok(()),
        })??;
    }
    Ok(ended)
}

/// Brings the Action `key` up to date with `now`, in one transaction; true when this ended it.
pub fn advance_action_at(db: &Db, key: &str, now: i64) -> Result<bool, String> {
    db.tx(|t| match t.get("action_plan", key)? {
        Some(plan) => advance_action(t, &plan, now),
        None => Ok(false),
    })?
}

/// When the Action of this stored plan ends (wall-clock milliseconds).
pub fn action_due_ms(plan: &Value) -> Option<i64> {
    Some(plan["started_ms"].as_i64()? + plan["provision_ms"].as_i64()?.max(0))
}

fn elapsed_fraction(plan: &Value, now: i64) -> f64 {
    let started = plan["started_ms"].as_i64().unwrap_or(now);
    let total = plan["provision_ms"].as_i64().unwrap_or(0).max(0);
    if total == 0 {
        return 1.0;
    }
    (now - started) as f64 / total as f64
}

/// Kopernik: pending for the first third, running until the end, then the outcome and its effect.
/// True when this step ended the Action.
fn advance_action(db: &Tx<'_>, plan: &Value, now: i64) -> Result<bool, String> {
    let key = plan["key"].as_str().unwrap_or_default().to_string();
    let Some(mut action) = db.get("action", &key)? else {
        return db.delete("action_plan", &key).map(|_| false);
    };
    let provider = action["providerUid"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let f = elapsed_fraction(plan, now);
    if f < 1.0 {
        let state = if f < 1.0 / 3.0 { "pending" } else { "running" };
        if action["state"] != state {
            action["state"] = json!(state);
            action["updatedAt"] = json!(now / 1000);
            db.put("action", &key, &provider, &action)?;
        }
        return Ok(false);
    }
    let effect = &plan["effect"];
    let failed_reason = plan["fail_reason"].as_str();
    let app_key = format!(
        "{provider}/{}",
        action["resourceUid"].as_str().unwrap_or_default()
    );
    match (effect["kind"].as_str(), failed_reason) {
        (Some("create"), None) => {
            if let Some(mut app) = db.get("app", &app_key)? {
                app["status"] = json!("active");
                app["machine"]["status"] = json!("active");
                db.put("app", &app_key, &provider, &app)?;
            }
            for volume in effect["volumes"].as_array().into_iter().flatten() {
                let vkey = format!("{provider}/{}", volume["uid"].as_str().unwrap_or_default());
                db.put("volume", &vkey, &provider, volume)?;
            }
        }
        (Some("create"), Some(_)) => {
            // The machine never came up: nothing is left behind.
            db.delete("app", &app_key)?;
        }
        (Some("delete"), _) => {
            db.delete("app", &app_key)?;
            let uid = action["resourceUid"].clone();
            for volume in db.all("volume", Some(&provider))? {
                if volume["attachedTo"] != uid {
                    continue;
                }
                let vkey = format!("{provider}/{}", volume["uid"].as_str().unwrap_or_default());
                if effect["policy"] == "delete" {
                    db.delete("volume", &vkey)?;
                } else {
                    let mut kept = volume.clone();
                    kept["attachedTo"] = Value::Null;
                    kept["status"] = json!("available");
                    db.put("volume", &vkey, &provider, &kept)?;
                }
            }
        }
        _ => {}
    }
    match failed_reason {
        Some(reason) => {
            action["state"] = json!("failed");
            action["reason"] = json!(reason);
        }
        None => action["state"] = json!("success"),
    }
    action["updatedAt"] = json!(now / 1000);
    db.put("action", &key, &provider, &action)?;
    db.delete("action_plan", &key).map(|_| true)
}

/// Qovery: the plan's states split the time evenly; the last is reached at the end. A delete
/// plan ends with the container gone.
fn advance_deployment(db: &Tx<'_>, plan: &Value, now: i64) -> Result<(), String> {
    let id = plan["container"].as_str().unwrap_or_default().to_string();
    let Some(mut status) = db.get("status", &id)? else {
        return db.delete("deploy_plan", &id).map(|_| ());
    };
    let env = plan["env"].as_str().unwrap_or_default().to_string();
    let path: Vec<&str> = plan["path"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    if path.is_empty() {
        return db.delete("deploy_plan", &id).map(|_| ());
    }
    let f = elapsed_fraction(plan, now);
    let done = f >= 1.0;
    if done && plan["delete"] == true {
        db.delete("container", &id)?;
        db.delete("status", &id)?;
        db.delete("lag", &id)?;
        for h in db.all("history", Some(&id))? {
            db.delete("history", h["id"].as_str().unwrap_or_default())?;
        }
        let logged = plan["logged"].as_u64().unwrap_or(path.len() as u64) as usize;
        for reached in path.iter().skip(logged) {
            crate::logs::write_deploy_lines(db, plan, reached, now)?;
        }
        forget_container(db, &id)?;
        return db.delete("deploy_plan", &id).map(|_| ());
    }
    let index = if done {
        path.len() - 1
    } else {
        let steps = (path.len() - 1).max(1);
        ((f * steps as f64) as usize).min(steps - 1)
    };
    let state = path[index];
    // The deployment log: the lines of every state reached since the last step (a slow tick
    // may skip one), once each.
    let logged = plan["logged"].as_u64().unwrap_or(path.len() as u64) as usize;
    if index + 1 > logged {
        for reached in &path[logged..=index] {
            crate::logs::write_deploy_lines(db, plan, reached, now)?;
        }
        if !done {
            let mut plan = plan.clone();
            plan["logged"] = json!(index + 1);
            db.put("deploy_plan", &id, "", &plan)?;
        }
    }
    if status["state"] != state {
        status["state"] = json!(state);
        let action = plan["action"].as_str().unwrap_or("DEPLOY");
        let outcome = if !done {
            "ONGOING"
        } else if state.ends_with("_ERROR") {
            "ERROR"
        } else {
            "SUCCESS"
        };
        status["status_details"] =
            json!({"action": action, "status": outcome, "sub_action": "NONE"});
        if done && state == "DEPLOYED" {
            status["last_deployment_date"] = json!(crate::ids::now_rfc3339());
            status["service_deployment_status"] = json!("UP_TO_DATE");
            status["is_part_last_deployment"] = json!(true);
        }
        if let Some(hid) = plan["history"].as_str() {
            status["execution_id"] = json!(hid);
        }
        if action == "DEPLOY" {
            status["steps"] = deploy_steps(plan, state, done, now);
        }
        if done {
            crate::logs::operation_ended(db, plan, state, now)?;
        }
        db.put("status", &id, &env, &status)?;
        if let Some(hid) = plan["history"].as_str() {
            if let Some(mut h) = db.get("history", hid)? {
                h["status"] = json!(state);
                h["status_details"] = status["status_details"].clone();
                h["auditing_data"]["updated_at"] = json!(crate::ids::now_rfc3339());
                if done {
                    let secs = (now - plan["started_ms"].as_i64().unwrap_or(now)).max(0) / 1000;
                    h["total_duration"] = json!(format!("PT{secs}S"));
                }
                db.put("history", hid, &id, &h)?;
            }
        }
    }
    if done {
        db.delete("deploy_plan", &id)?;
    }
    Ok(())
}

/// The spec's `ServiceStepMetrics` of a deployment: queueing, mirroring the image, deploying.
/// A step is measured once it ended (the spec's step statuses are outcomes): nothing while the
/// deployment is queued, the queueing once it deploys, every step at the end. A failed pull
/// shows as `MIRROR_IMAGE: ERROR` and the deployment step `SKIP` (the reason is in the
/// deployment log: the spec's Status has no field for it).
pub fn deploy_steps(plan: &Value, state: &str, done: bool, now: i64) -> Value {
    let started = plan["started_ms"].as_i64().unwrap_or(now);
    let total = (now - started).max(0) / 1000;
    let third = total / 3;
    let failed = state == "DEPLOYMENT_ERROR";
    let mut details = Vec::new();
    if state != "DEPLOYMENT_QUEUED" {
        details.push(
            json!({"step_name": "DEPLOYMENT_QUEUEING", "status": "SUCCESS", "duration_sec": third}),
        );
    }
    if done {
        details.push(json!({"step_name": "MIRROR_IMAGE",
            "status": if failed { "ERROR" } else { "SUCCESS" }, "duration_sec": third}));
        details.push(json!({"step_name": "DEPLOYMENT",
            "status": if failed { "SKIP" } else { "SUCCESS" },
            "duration_sec": if failed { 0 } else { total - 2 * third }}));
    }
    json!({
        "total_duration_sec": if done { json!(total) } else { Value::Null },
        "total_computing_duration_sec": (total - third).max(0),
        "details": details,
    })
}

/// What `GET .../status(es)` shows for a container: with `--status-lag-ms`, the status it had
/// before an operation started, until the lag has passed (as a real API's status lags).
/// `lag` is the container's stored `{until_ms, before}` (kind `lag`).
pub fn visible_status(lag: Option<&Value>, status: Value, now: i64) -> Value {
    match lag {
        Some(p) if p["until_ms"].as_i64().is_some_and(|until| now < until) => match &p["before"] {
            Value::Object(_) => p["before"].clone(),
            _ => status,
        },
        _ => status,
    }
}

/// Runs `advance` every 100 ms for the life of the server, on a blocking thread, and tells
/// `ended` of each Action it ends.
pub fn spawn_ticker(db: std::sync::Arc<Db>, ended: Ended) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_millis(100));
        loop {
            tick.tick().await;
            let db = db.clone();
            let done = tokio::task::spawn_blocking(move || advance(&db)).await;
            match done {
                Ok(Ok(keys)) => {
                    for key in keys {
                        // No receiver: nobody is waiting.
                        let _ = ended.send(key);
                    }
                }
                Ok(Err(e)) => eprintln!("berth-sandbox: advancing operations failed: {e}"),
                Err(e) => eprintln!("berth-sandbox: advancing operations panicked: {e}"),
            }
        }
    });
}
