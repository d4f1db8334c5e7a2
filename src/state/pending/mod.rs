//! The store of pending actions, provided at the root: one poller for every entry, persisted in
//! sessionStorage (no tokens, no secrets) so a reload resumes them, toasts when they end.

pub mod model;

use std::time::Duration;

use berth_api::config::BackendKind;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::connections::Connections;
use super::storage::{self, Area};
use super::visibility::Visibility;
use crate::api;
pub use model::{Outcome, Pending, PendingKind, Target};

const STORAGE_KEY: &str = "berth.pending.v1";
const TICK: Duration = Duration::from_millis(250);

#[derive(Clone, Debug, PartialEq)]
pub struct Toast {
    pub id: u64,
    pub text: String,
    pub error: bool,
    /// A failed deploy's log: the toast links to it.
    pub log: Option<String>,
}

#[derive(Clone, Copy)]
pub struct PendingStore {
    pub entries: RwSignal<Vec<Pending>>,
    pub toasts: RwSignal<Vec<Toast>>,
    /// Bumped whenever an action ends: lists refresh on it.
    pub ended: RwSignal<u64>,
    /// Said once after a reload dropped old entries.
    pub note: RwSignal<Option<String>>,
    /// Operations whose request is out (keys of `crate::ops`): a second start is refused. Kept
    /// here, at the root, so a screen opened again still sees them.
    pub sending: RwSignal<Vec<String>>,
    in_flight: StoredValue<Vec<String>>,
    next_toast: StoredValue<u64>,
    // Read from the root context at start: the poller's timer runs outside any owner.
    conns: Option<Connections>,
    visible: Option<RwSignal<bool>>,
}

fn now() -> f64 {
    super::clock::now_ms()
}

impl PendingStore {
    /// Starts the poller and restores the stored entries.
    pub fn start() -> PendingStore {
        let stored = storage::get(Area::Session, STORAGE_KEY).filter(|t| t.as_str() != "[]");
        let store = PendingStore {
            entries: RwSignal::new(Vec::new()),
            toasts: RwSignal::new(Vec::new()),
            ended: RwSignal::new(0),
            note: RwSignal::new(None),
            sending: RwSignal::new(Vec::new()),
            in_flight: StoredValue::new(Vec::new()),
            next_toast: StoredValue::new(0),
            conns: use_context::<Connections>(),
            visible: use_context::<Visibility>().map(|v| v.0),
        };
        // Nothing is written before the stored list is read back: it would be overwritten.
        let restored = RwSignal::new(stored.is_none());
        if let Some(text) = stored {
            spawn_local(async move {
                match decode_stored(text, now()).await {
                    Ok((kept, dropped)) => {
                        // Entries added meanwhile are newer: they stay first.
                        store.entries.try_update(|list| {
                            for p in kept {
                                if !list.iter().any(|x| x.id == p.id) {
                                    list.push(p);
                                }
                            }
                        });
                        if dropped > 0 {
                            store.note.try_set(Some(format!(
                                "{dropped} old finished action(s) were cleared from this list."
                            )));
                        }
                        restored.try_set(true);
                    }
                    // The stored list is kept for the next load, which may reach the chunk.
                    Err(_) => {
                        store.note.try_set(Some(CHUNK_FAILED_RESTORE.to_string()));
                    }
                }
            });
        }
        Effect::new(move |_| {
            if !restored.get() {
                return;
            }
            if store.entries.with(Vec::is_empty) {
                let _ = storage::set(Area::Session, STORAGE_KEY, "[]");
                return;
            }
            // Encodes the list as it is when the chunk answers, so writes never go back in time.
            spawn_local(async move {
                if let Ok(Some(text)) = encode_entries(store).await {
                    let _ = storage::set(Area::Session, STORAGE_KEY, &text);
                }
            });
        });
        // A changed connection (say, a new token) resumes the actions paused on a refused one.
        if let Some(conns) = store.conns {
            Effect::new(move |prev: Option<()>| {
                conns.entries.track();
                if prev.is_some() {
                    let t = now();
                    store
                        .entries
                        .update(|l| l.iter_mut().for_each(|p| p.resume(t)));
                }
            });
        }
        let handle = set_interval_with_handle(move || store.tick(), TICK).ok();
        on_cleanup(move || {
            if let Some(h) = handle {
                h.clear();
            }
        });
        store
    }

    /// A store with no poller, for native tests of what records into it.
    #[cfg(test)]
    pub fn for_tests() -> PendingStore {
        PendingStore {
            entries: RwSignal::new(Vec::new()),
            toasts: RwSignal::new(Vec::new()),
            ended: RwSignal::new(0),
            note: RwSignal::new(None),
            sending: RwSignal::new(Vec::new()),
            in_flight: StoredValue::new(Vec::new()),
            next_toast: StoredValue::new(0),
            conns: None,
            visible: None,
        }
    }

    /// Starts tracking an operation; an entry already finished (a 200 with a terminal Action) is
    /// recorded and toasted at once.
    pub fn add(&self, entry: Pending) {
        let finished = !entry.is_running();
        let e = entry.clone();
        // Called at the end of tasks that may outlive their screen: the store itself lives at the
        // root, but never panic if the whole console was unmounted meanwhile.
        self.entries.try_update(|list| {
            list.retain(|p| p.id != e.id);
            list.insert(0, e);
        });
        if finished {
            self.ended(&entry);
        } else {
            announce(&entry);
        }
    }

    pub fn get(&self, id: &str) -> Option<Pending> {
        self.entries
            .with(|l| l.iter().find(|p| p.id == id).cloned())
    }

    /// Running entries about `target_uid` (an app uid or a container id), for rows.
    pub fn running_for(&self, target_uid: &str) -> Option<Pending> {
        self.entries.with(|l| {
            l.iter()
                .find(|p| {
                    p.is_running()
                        && match &p.target {
                            Target::Qovery { container } => container == target_uid,
                            Target::Kopernik { app, .. } => app.as_deref() == Some(target_uid),
                        }
                })
                .cloned()
        })
    }

    pub fn clear_finished(&self) {
        self.entries.update(|l| l.retain(Pending::is_running));
    }

    pub fn dismiss(&self, toast: u64) {
        self.toasts.try_update(|t| t.retain(|x| x.id != toast));
    }

    /// A toast for an operation that is not followed (a variables save): said even when the
    /// screen that started it is gone.
    pub fn notify(&self, text: String, error: bool) {
        self.toast(text, error);
    }

    fn toast(&self, text: String, error: bool) {
        self.toast_with_log(text, error, None);
    }

    fn toast_with_log(&self, text: String, error: bool, log: Option<String>) {
        let id = self.next_toast.try_get_value().unwrap_or(0) + 1;
        self.next_toast.try_set_value(id);
        self.toasts.try_update(|t| {
            t.push(Toast {
                id,
                text,
                error,
                log,
            })
        });
        // Successes fade; errors stay until dismissed.
        if !error {
            let store = *self;
            set_timeout(move || store.dismiss(id), Duration::from_secs(6));
        }
    }

    fn ended(&self, p: &Pending) {
        self.ended.try_update(|n| *n += 1);
        announce(p);
        let (kind, name) = (p.kind.title(), &p.name);
        match &p.outcome {
            Some(Outcome::Success) => self.toast(format!("{kind} {name}: done"), false),
            Some(Outcome::Failed(why)) => self.toast_with_log(
                format!("{kind} {name} failed: {why}"),
                true,
                p.failure_log_path(),
            ),
            Some(Outcome::GaveUp) => self.toast(
                format!("{kind} {name} is still running after 15 minutes: check again later"),
                true,
            ),
            Some(Outcome::Gone) => self.toast(
                format!("{kind} {name}: the server no longer knows it (gone)"),
                true,
            ),
            None => {}
        }
    }

    fn tick(&self) {
        let visible = self.visible.map(|v| v.get_untracked()).unwrap_or(true);
        let ready = self.conns.is_some_and(|c| c.ready.get_untracked());
        if !visible || !ready {
            return;
        }
        let t = now();
        let due: Vec<Pending> = self
            .entries
            .with_untracked(|l| l.iter().filter(|p| p.due(t)).cloned().collect());
        for p in due {
            if self.in_flight.with_value(|f| f.contains(&p.id)) {
                continue;
            }
            self.in_flight.update_value(|f| f.push(p.id.clone()));
            let store = *self;
            spawn_local(async move {
                let updated = match poller(store, p.clone()).await {
                    Ok(observe) => observe.await,
                    Err(_) => {
                        let mut u = p.clone();
                        u.poll_failed(None, CHUNK_FAILED, None, now());
                        u
                    }
                };
                store.apply(&p, updated);
            });
        }
    }

    /// Asks the server where `p` stands: the entry as it is now.
    async fn observe(&self, p: Pending) -> Pending {
        let conns = self.conns;
        let kind = match p.target {
            Target::Kopernik { .. } => BackendKind::Kopernik,
            Target::Qovery { .. } => BackendKind::Qovery,
        };
        let conn = conns.and_then(|c| c.find(&kind, &p.conn));
        let mut updated = p.clone();
        match conn {
            None => updated.poll_failed(
                None,
                &format!("the connection `{}` no longer exists", p.conn),
                None,
                now(),
            ),
            Some(c) => match &p.target {
                Target::Kopernik {
                    provider, action, ..
                } => match api::kopernik::action(&c, provider, action).await {
                    Ok(r) => updated.observe_kopernik(
                        &r.action.state,
                        r.action.reason.as_deref(),
                        r.action.resource_uid.as_deref(),
                        now(),
                    ),
                    Err(e) => updated.poll_failed(e.status, &e.message, e.retry_after, now()),
                },
                Target::Qovery { container } => {
                    match api::qovery::container_status(&c, container).await {
                        Ok(s) => {
                            updated.observe_qovery(
                                &s.state,
                                s.last_deployment_date.as_deref(),
                                now(),
                            );
                            if updated.has_failure_log() {
                                updated.execution = failed_execution(&c, container).await;
                                if let Some(why) =
                                    failure_reason(&c, container, updated.execution.as_deref())
                                        .await
                                {
                                    updated.add_reason(&why);
                                }
                            }
                        }
                        // A deleted container is the end of its delete.
                        Err(e) if e.status == Some(404) && p.kind == PendingKind::Delete => {
                            updated.observe_deleted(now())
                        }
                        Err(e) => updated.poll_failed(e.status, &e.message, e.retry_after, now()),
                    }
                }
            },
        }
        updated
    }

    /// Records a poll's result: the entry replaced, a toast when it ended or paused.
    fn apply(&self, p: &Pending, updated: Pending) {
        self.in_flight
            .try_update_value(|f| f.retain(|id| id != &p.id));
        let finished = !updated.is_running();
        let mut replaced = false;
        self.entries.try_update(|l| {
            if let Some(x) = l.iter_mut().find(|x| x.id == updated.id) {
                *x = updated.clone();
                replaced = true;
            }
        });
        if finished && replaced {
            self.ended(&updated);
        }
        // Said once, when polling pauses on a refused token.
        if replaced && p.paused.is_none() && updated.paused.is_some() {
            self.toast(
                format!(
                    "{} {}: paused, the connection `{}` refused its token. Sign in again on the Connections page.",
                    updated.kind.title(),
                    updated.name,
                    updated.conn
                ),
                true,
            );
        }
    }
}

const CHUNK_FAILED_RESTORE: &str =
    "the actions of this tab could not be restored: the console's code for them could not be \
     loaded (offline, or a new version was deployed): reload the page";

const CHUNK_FAILED: &str =
    "the console's code for following actions could not be loaded (offline, or a new version was \
     deployed): reload the page";

/// The execution id of the deployment that just failed: the newest of the container's history
/// when the failure is seen (a container deploys one deployment at a time, and this one has just
/// ended), if that one failed. `None` when the history cannot be read: the log link then opens the
/// newest deployment.
async fn failed_execution(c: &berth_api::config::Connection, container: &str) -> Option<String> {
    let history = api::qovery::deployment_history(c, container).await.ok()?;
    let newest = history.into_iter().next()?;
    (newest.outcome() == berth_api::history::Outcome::Failed)
        .then_some(newest.identifier.execution_id)
        .flatten()
}

/// Why that deployment failed, in its log's words, so the toast says it without a click.
async fn failure_reason(
    c: &berth_api::config::Connection,
    container: &str,
    execution: Option<&str>,
) -> Option<String> {
    let (shown, _) = api::qovery::container(c, container).await.ok()?;
    api::qovery::deployment_reason(c, &shown.environment?.id, execution?).await
}

type Observation = std::pin::Pin<Box<dyn std::future::Future<Output = Pending>>>;

// The network half of the poller (both status endpoints, their decoders, the outcome rules) is a
// chunk of its own, fetched the first time an entry is due: most visits start no action, and the
// first screen should not carry the code that follows one (#10). A chunk that cannot be fetched
// counts as a failed poll, retried with the usual backoff.
#[cfg(not(test))]
#[leptos::wasm_split::wasm_split(pending_poll, wasm_split_path = ::leptos::wasm_split, fallible)]
fn poller(
    store: PendingStore,
    p: Pending,
) -> Result<Observation, leptos::wasm_split::SplitLoaderError> {
    Ok(Box::pin(async move { store.observe(p).await }))
}

#[cfg(test)]
async fn poller(
    store: PendingStore,
    p: Pending,
) -> Result<Observation, leptos::wasm_split::SplitLoaderError> {
    Ok(Box::pin(async move { store.observe(p).await }))
}

/// `berth:action` to a host page, when an operation starts and when it ends (fields as
/// berth-embed.js reads them).
fn announce(p: &Pending) {
    if !crate::host::embedded() {
        return;
    }
    let (backend, id) = match &p.target {
        Target::Qovery { container } => ("qovery", container.as_str()),
        Target::Kopernik { app, .. } => ("kopernik", app.as_deref().unwrap_or("")),
    };
    let (outcome, error) = match &p.outcome {
        None => ("", ""),
        Some(Outcome::Success) => ("success", ""),
        Some(Outcome::Failed(why)) => ("failed", why.as_str()),
        Some(Outcome::GaveUp) => ("gave_up", ""),
        Some(Outcome::Gone) => ("gone", ""),
    };
    crate::host::emit(
        "berth:action",
        &[
            &p.id,
            p.kind.as_str(),
            backend,
            &p.conn,
            id,
            &p.name,
            &p.state,
            outcome,
            error,
        ],
    );
}

// Serde for stored entries lives in the poller's chunk too: a first visit has nothing stored
// and writes only "[]", so it never fetches it.
#[cfg(not(test))]
#[leptos::wasm_split::wasm_split(pending_poll, wasm_split_path = ::leptos::wasm_split, fallible)]
fn decode_stored(
    text: String,
    now: f64,
) -> Result<(Vec<Pending>, usize), leptos::wasm_split::SplitLoaderError> {
    Ok(decode(&text, now))
}

#[cfg(test)]
async fn decode_stored(
    text: String,
    now: f64,
) -> Result<(Vec<Pending>, usize), leptos::wasm_split::SplitLoaderError> {
    Ok(decode(&text, now))
}

#[cfg(not(test))]
#[leptos::wasm_split::wasm_split(pending_poll, wasm_split_path = ::leptos::wasm_split, fallible)]
fn encode_entries(
    store: PendingStore,
) -> Result<Option<String>, leptos::wasm_split::SplitLoaderError> {
    Ok(encode(store))
}

#[cfg(test)]
async fn encode_entries(
    store: PendingStore,
) -> Result<Option<String>, leptos::wasm_split::SplitLoaderError> {
    Ok(encode(store))
}

/// The stored list read back: unreadable text is an empty list, old entries are dropped.
fn decode(text: &str, now: f64) -> (Vec<Pending>, usize) {
    let stored: Vec<Pending> = serde_json::from_str(text).unwrap_or_default();
    model::restore(stored, now)
}

fn encode(store: PendingStore) -> Option<String> {
    store
        .entries
        .try_with_untracked(|e| serde_json::to_string(e).ok())
        .flatten()
}
