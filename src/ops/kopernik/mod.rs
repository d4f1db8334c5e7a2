//! What can be done to a Kopernik container app: create it (the form's submit and its lost-answer
//! look-up record through [`track`]), delete it, or delete several at once. Each accepted request
//! answers an Action, which the root pending store follows to its end.

use berth_api::config::Connection;
use berth_api::kopernik::{Action, AttachedVolumesDeletePolicy};
use leptos::task::spawn_local;

use super::{begin, is_sending, now, store, Refused};
use crate::api::{self, ApiError};
use crate::state::pending::{model, PendingKind, PendingStore};

fn key(conn: &str, provider: &str, uid: &str) -> String {
    format!("k:{conn}:{provider}:{uid}")
}

/// Whether a delete of the app is being sent (reactive).
pub fn sending(conn: &str, provider: &str, uid: &str) -> bool {
    is_sending(store(), &key(conn, provider, uid))
}

/// Hands an Action the server answered to the root store (recorded at once when it already ended).
pub fn track(
    store: Option<PendingStore>,
    conn: &str,
    provider: &str,
    kind: PendingKind,
    name: &str,
    action: &Action,
) {
    if let Some(s) = store {
        s.add(model::from_kopernik(
            conn,
            provider,
            kind,
            name,
            action,
            now(),
        ));
    }
}

/// An app to delete: its uid and name.
#[derive(Clone, Debug, PartialEq)]
pub struct App {
    pub uid: String,
    pub name: String,
}

/// Deletes the apps (one request each, through the connection's request gate, so a long list
/// neither floods the server nor counts time queued in the browser against each request's
/// timeout); `on_done` hears each app's answer, in order. A 404 means the app is already gone:
/// done. Refused while a delete of one of them is being sent.
pub fn delete(
    conn: Connection,
    provider: String,
    apps: Vec<App>,
    policy: AttachedVolumesDeletePolicy,
    wait_secs: u32,
    on_done: impl FnOnce(Vec<(App, Result<Option<Action>, ApiError>)>) + 'static,
) -> Result<(), Refused> {
    let store = store();
    let keys = apps
        .iter()
        .map(|a| key(&conn.id, &provider, &a.uid))
        .collect();
    let names: Vec<&str> = apps.iter().map(|a| a.name.as_str()).collect();
    let sending = begin(store, keys, &names.join(", "))?;
    spawn_local(async move {
        let _sending = sending;
        let answers = futures::future::join_all(apps.iter().map(|app| {
            api::kopernik::delete_container_app(&conn, &provider, &app.uid, &policy, wait_secs)
        }))
        .await;
        let mut out = Vec::with_capacity(apps.len());
        for (app, answer) in apps.into_iter().zip(answers) {
            let answer = match answer {
                Ok(resp) => {
                    track(
                        store,
                        &conn.id,
                        &provider,
                        PendingKind::Delete,
                        &app.name,
                        &resp.action,
                    );
                    Ok(Some(resp.action))
                }
                Err(e) if e.status == Some(404) => Ok(None),
                Err(e) => Err(e),
            };
            out.push((app, answer));
        }
        on_done(out);
    });
    Ok(())
}

/// Sends a create and hands its Action to the root store. A lost answer (see
/// [`super::answer_lost`]) is the caller's to look up before anything is sent again
/// (`pages/kopernik/create/lost.rs`), which records what it finds through [`track`].
pub async fn create(
    store: Option<PendingStore>,
    c: &Connection,
    provider: &str,
    body: &berth_api::kopernik::ContainerAppCreate,
    wait_secs: u32,
) -> Result<berth_api::kopernik::ActionResponse, ApiError> {
    let resp = api::kopernik::create_container_app(c, provider, body, wait_secs).await?;
    let name = &body.machine_configuration.name;
    track(
        store,
        &c.id,
        provider,
        PendingKind::Create,
        name,
        &resp.action,
    );
    Ok(resp)
}
