//! What can be done to a Qovery container: deploy, redeploy, restart, stop, delete, deploy
//! another tag, the same on a selection at once, and saving its variables. Screens call these and
//! render; none of them creates a pending entry or calls an operation endpoint itself.

pub mod create;
pub mod retry;
pub mod variables;

use berth_api::config::Connection;
use berth_api::qovery::{ServiceAction, State, Status};
use leptos::task::spawn_local;

use super::{answer_lost, begin, is_sending, now, store, Refused};
use crate::api;
use crate::state::pending::{model, Pending, PendingKind, PendingStore};

/// A container as the screen showed it when the user acted: the state and deployment date are
/// the baseline its operation is judged against.
#[derive(Clone, Debug, PartialEq)]
pub struct Subject {
    pub id: String,
    pub name: String,
    pub state: Option<State>,
    pub last_deployment: Option<String>,
}

/// The key of operations on one container.
fn key(conn: &str, id: &str) -> String {
    format!("q:{conn}:{id}")
}

/// Whether an operation on the container is being sent (reactive).
pub fn sending(conn: &str, id: &str) -> bool {
    is_sending(store(), &key(conn, id))
}

/// What a screen hears when the request ended: the container's new status when the answer had
/// one, `Ok(None)` when it is followed without (a delete, a lost answer being checked), or why it
/// was refused.
pub type Answer = Result<Option<Status>, String>;

/// Deploys, redeploys, restarts, stops or deletes the container; with `tag`, deploys that image
/// tag (`action` is then `Deploy`). Refused while another operation on it is being sent.
pub fn act(
    conn: Connection,
    subject: Subject,
    action: ServiceAction,
    tag: Option<String>,
    on_done: impl FnOnce(Answer) + 'static,
) -> Result<(), Refused> {
    // The root store is read here: a task has no owner to read it from.
    let store = store();
    let sending = begin(store, vec![key(&conn.id, &subject.id)], &subject.name)?;
    spawn_local(async move {
        let _sending = sending;
        on_done(act_now(store, &conn, subject, action, tag).await);
    });
    Ok(())
}

/// [`act`] awaited, for a caller that is itself an operation (the form's "Create and deploy"):
/// sends, hands what it started to the root store, and answers as `act` reports.
pub async fn act_now(
    store: Option<PendingStore>,
    conn: &Connection,
    subject: Subject,
    action: ServiceAction,
    tag: Option<String>,
) -> Answer {
    let result = match &tag {
        Some(t) => api::qovery::deploy_tag(conn, &subject.id, t).await,
        None => api::qovery::act(conn, &subject.id, action).await,
    };
    let mut shown = subject;
    if let Some(t) = &tag {
        shown.name = format!("{} ({t})", shown.name);
    }
    match result {
        Ok(status) => {
            let entry = match &status {
                Some(s) if action != ServiceAction::Delete => model::from_qovery(
                    &conn.id,
                    &shown.id,
                    PendingKind::of(action),
                    &shown.name,
                    s,
                    shown.state.as_ref(),
                    now(),
                ),
                _ => started(&conn.id, action, &shown, now()),
            };
            if let Some(s) = store {
                s.add(entry);
            }
            Ok(status)
        }
        Err(e) if answer_lost(&e) => {
            if let Some(s) = store {
                s.add(lost(&conn.id, action, &shown, now()));
            }
            Ok(None)
        }
        Err(e) => Err(match &tag {
            Some(t) => format!("Could not deploy {t}: {}", api::describe(&e)),
            None => format!("Could not {}: {}", action.label(), api::describe(&e)),
        }),
    }
}

/// Records a step that failed after its screen was left (a created container's variables or
/// deploy): it shows under Actions and as a toast, where the user now is.
pub fn record_failed(
    store: Option<PendingStore>,
    conn: &str,
    id: &str,
    name: &str,
    kind: PendingKind,
    why: String,
) {
    let Some(s) = store else {
        return;
    };
    let t = now();
    let mut p = Pending::new(
        format!("{id}@{t}"),
        conn.to_string(),
        crate::state::pending::Target::Qovery {
            container: id.to_string(),
        },
        kind,
        name.to_string(),
        // Created, never deployed.
        "READY".to_string(),
        t,
    );
    p.outcome = Some(crate::state::pending::Outcome::Failed(why));
    p.ended_ms = Some(t);
    s.add(p);
}

/// Deploys, restarts, stops or deletes `subjects` of the environment `env` in one request (all or
/// nothing); each container is then followed like a single operation. Refused while an operation
/// on one of them is being sent.
pub fn bulk(
    conn: Connection,
    env: String,
    action: ServiceAction,
    subjects: Vec<Subject>,
    on_done: impl FnOnce(Result<(), String>) + 'static,
) -> Result<(), Refused> {
    let store = store();
    let keys = subjects.iter().map(|s| key(&conn.id, &s.id)).collect();
    let names: Vec<&str> = subjects.iter().map(|s| s.name.as_str()).collect();
    let sending = begin(store, keys, &names.join(", "))?;
    spawn_local(async move {
        let _sending = sending;
        let ids: Vec<String> = subjects.iter().map(|s| s.id.clone()).collect();
        let result = api::qovery::bulk(&conn, &env, action, &ids).await;
        let entry: Option<EntryOf> = match &result {
            Ok(()) => Some(started),
            Err(e) if answer_lost(e) => Some(lost),
            Err(_) => None,
        };
        if let (Some(entry), Some(s)) = (entry, store) {
            let t = now();
            for p in &subjects {
                s.add(entry(&conn.id, action, p, t));
            }
        }
        on_done(match result {
            Err(e) if entry.is_none() => Err(format!(
                "Could not {} {} container(s): {}",
                action.label(),
                ids.len(),
                api::describe(&e)
            )),
            _ => Ok(()),
        });
    });
    Ok(())
}

/// How a container's pending entry is made from what the screen showed.
type EntryOf = fn(&str, ServiceAction, &Subject, f64) -> Pending;

/// The entry of an operation the server accepted, judged against what the screen showed.
pub fn started(conn: &str, action: ServiceAction, p: &Subject, now: f64) -> Pending {
    if action == ServiceAction::Delete {
        return model::from_qovery_delete(conn, &p.id, &p.name, p.state.as_ref(), now);
    }
    model::from_qovery_shown(
        conn,
        &p.id,
        PendingKind::of(action),
        &p.name,
        p.state.as_ref(),
        p.last_deployment.as_deref(),
        now,
    )
}

/// The entry of an operation whose answer was lost: checked by reads, never resent.
pub fn lost(conn: &str, action: ServiceAction, p: &Subject, now: f64) -> Pending {
    model::from_qovery_lost(
        conn,
        &p.id,
        PendingKind::of(action),
        &p.name,
        p.state.as_ref(),
        p.last_deployment.as_deref(),
        now,
    )
}
