//! The deployment history on a Qovery container's page: when, what, who, outcome and duration,
//! newest first; polled quickly while one runs, and reloaded when an operation ends.

use std::collections::HashMap;
use std::time::Duration;

use berth_api::config::Connection;
use berth_api::history::{HistoryEntry, Outcome};
use leptos::prelude::*;

use super::deploy_log::LogProps;
use crate::api;
use crate::chunks::{chunk_view, lazy_screen, ChunkError};
use crate::components::error_panel::ErrorPanel;
use crate::components::state_chip::Chip;
use crate::ops::words::Tone;
use crate::state::live_list::{use_live_list, ListSource, Load};
use crate::state::poll::pace;

#[derive(Clone, Copy)]
struct ContainerHistory {
    conn: StoredValue<Connection>,
    id: Memo<Option<String>>,
}

impl ListSource for ContainerHistory {
    type Key = Option<String>;
    type Row = HistoryEntry;
    type Extra = ();

    fn key(&self) -> Option<String> {
        self.id.get()
    }

    fn load(&self, id: Option<String>, _: ()) -> Load<HistoryEntry, ()> {
        let c = self.conn.get_value();
        Box::pin(async move {
            let Some(id) = id else {
                return Ok((Vec::new(), ()));
            };
            let mut rows = api::qovery::deployment_history(&c, &id).await?;
            // Newest first, whatever order the page came in (RFC 3339 in UTC sorts as text).
            rows.sort_by(|a, b| b.auditing_data.created_at.cmp(&a.auditing_data.created_at));
            Ok((rows, ()))
        })
    }

    fn interval(&self, rows: &[HistoryEntry]) -> Duration {
        pace(rows.iter().any(|r| r.outcome() == Outcome::Running))
    }
}

fn outcome_chip(o: Outcome) -> (&'static str, Tone) {
    match o {
        Outcome::Running => ("running", Tone::Busy),
        Outcome::Succeeded => ("succeeded", Tone::Ok),
        Outcome::Failed => ("failed", Tone::Error),
        Outcome::Canceled => ("canceled", Tone::Neutral),
        Outcome::Unknown => ("unknown", Tone::Neutral),
    }
}

/// "deploy of nginx:1.27 at 2026-12-05 04:40:00 UTC": names a deployment's log.
fn log_title(h: &HistoryEntry) -> String {
    format!(
        "{} of {} at {}",
        h.action(),
        h.image().unwrap_or_else(|| "the container".into()),
        h.started().unwrap_or_else(|| "an unknown time".into())
    )
}

/// Where the history's rows lead: the environment whose logs hold each deployment's, and
/// "Deploy this version again".
#[derive(Clone, Copy)]
pub struct HistoryLinks {
    pub env: Memo<Option<String>>,
    /// Deploys the image tag of a row.
    pub deploy_tag: Callback<String>,
    /// Why the newest deployment failed, for the page's head (`None` when it did not).
    pub last_failure: RwSignal<Option<String>>,
}

#[component]
pub fn DeploymentHistory(
    conn: StoredValue<Connection>,
    id: Memo<Option<String>>,
    links: HistoryLinks,
) -> impl IntoView {
    let list = use_live_list(ContainerHistory { conn, id });
    let (rows, live) = (list.rows, list.live);
    // A deploy (or any tracked action) started on this container: its row shows at once, and
    // the list then polls fast while it runs (the live list alone reloads only when one ends).
    if let Some(store) = use_context::<crate::state::pending::PendingStore>() {
        Effect::new(move |before: Option<usize>| {
            let running = store.entries.with(|l| {
                id.with(|id| {
                    l.iter()
                        .filter(|p| p.is_running())
                        .filter(|p| matches!(&p.target, crate::state::pending::Target::Qovery { container } if Some(container) == id.as_ref()))
                        .count()
                })
            });
            if before.is_some_and(|b| running > b) {
                list.reload();
            }
            running
        });
    }
    // The open log: its execution id and title.
    let open = RwSignal::new(None::<(String, String)>);
    // Reasons of failed deployments by execution id, read once each (a finished log does not
    // change); `None` while being read or when the log has no error line.
    let reasons = RwSignal::new(HashMap::<String, Option<String>>::new());
    let tasks = crate::state::task::Tasks::new();
    Effect::new(move |_| {
        let Some(env) = links.env.get() else { return };
        let failed: Vec<String> = rows.with(|r| {
            r.iter()
                .filter(|h| h.outcome() == Outcome::Failed)
                .filter_map(|h| h.identifier.execution_id.clone())
                .collect()
        });
        for exec in failed {
            if reasons.with_untracked(|m| m.contains_key(&exec)) {
                continue;
            }
            reasons.update(|m| {
                m.insert(exec.clone(), None);
            });
            let (c, env) = (conn.get_value(), env.clone());
            tasks.spawn(async move {
                let why = match reason_reader().await {
                    Ok(read) => read(c, env, exec.clone()).await,
                    Err(ChunkError) => None,
                };
                reasons.try_update(|m| {
                    m.insert(exec, why);
                });
            });
        }
    });
    // The newest entry's reason, if it failed, for the page's head.
    Effect::new(move |_| {
        let why = rows.with(|r| {
            r.first()
                .filter(|h| h.outcome() == Outcome::Failed)
                .and_then(|h| h.identifier.execution_id.clone())
        });
        let why = why.and_then(|e| reasons.with(|m| m.get(&e).cloned().flatten()));
        links.last_failure.set(why);
    });
    // `?log=<execution id>` (a failed action's toast or its entry on the actions page) opens that
    // deployment's log once the history shows it; `latest`, the newest. Read as the URL changes:
    // a toast's link can be followed from this very page.
    let query = leptos_router::hooks::use_query_map();
    Effect::new(move |opened: Option<Option<String>>| {
        let wanted = query.with(|q| q.get("log"))?;
        if opened.flatten().as_ref() == Some(&wanted) {
            return Some(wanted);
        }
        let row = rows.with(|r| {
            r.iter()
                .find(|h| wanted == "latest" || h.identifier.execution_id.as_ref() == Some(&wanted))
                .and_then(|h| Some((h.identifier.execution_id.clone()?, log_title(h))))
        })?;
        open.set(Some(row));
        Some(wanted)
    });
    let open_running = Signal::derive(move || {
        open.with(|o| {
            o.as_ref().is_some_and(|(exec, _)| {
                rows.with(|r| {
                    r.iter().any(|h| {
                        h.identifier.execution_id.as_ref() == Some(exec)
                            && h.outcome() == Outcome::Running
                    })
                })
            })
        })
    });
    view! {
        <section class="berth-panel" aria-label="Deployment history">
            <h2>"Deployment history"</h2>
            {move || live.error.get().map(|e| view! {
                <ErrorPanel error=e on_retry=move |_| list.reload() stale=live.loaded_at.get().is_some()/>
            })}
            {move || {
                let entries = rows.get();
                if entries.is_empty() {
                    let text = if live.loaded_at.get().is_some() { "No deployments yet." } else { "Loading the history…" };
                    return view! { <p class="berth-muted">{text}</p> }.into_any();
                }
                let has_env = links.env.with(Option::is_some);
                view! {
                    <table class="berth-table" aria-label="Deployment history">
                        <thead><tr><th>"When"</th><th>"What"</th><th>"Image"</th><th>"By"</th><th>"Outcome"</th><th class="num">"Duration"</th><th><span class="berth-sr">"Actions"</span></th></tr></thead>
                        <tbody>{entries.into_iter().map(|h| view! { <HistoryRow h=h has_env=has_env reasons=reasons open=open links=links/> }).collect_view()}</tbody>
                    </table>
                }.into_any()
            }}
        </section>
        {move || open.get().zip(links.env.get()).map(|((execution, title), env)| {
            let on_close = Callback::new(move |_| open.set(None));
            view! { <LazyLog props=LogProps { conn, env, execution, title, running: open_running, on_close }/> }
        })}
    }
}

#[cfg(test)]
use leptos::wasm_split::SplitLoaderError;

lazy_screen!(
    qovery_deploy_log,
    deploy_log_view,
    deploy_log_preload,
    super::deploy_log::DeploymentLogEntry
);

/// Reads why a deployment failed (its log, read whole and parsed).
type ReasonReader = Box<
    dyn Fn(
        Connection,
        String,
        String,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Option<String>>>>,
>;

fn read_reason() -> ReasonReader {
    Box::new(|c, env, exec| {
        Box::pin(async move { api::qovery::deployment_reason(&c, &env, &exec).await })
    })
}

/// The reader's code is a chunk fetched only when the history shows a failure: most pages
/// never need it.
#[cfg(not(test))]
#[leptos::wasm_split::wasm_split(qovery_reasons, wasm_split_path = ::leptos::wasm_split, fallible)]
fn reason_reader() -> Result<ReasonReader, ChunkError> {
    Ok(read_reason())
}

#[cfg(test)]
async fn reason_reader() -> Result<ReasonReader, ChunkError> {
    Ok(read_reason())
}

/// A deployment's log, its code a chunk fetched when a log is first opened (or its button
/// hovered).
#[component]
fn LazyLog(props: LogProps) -> impl IntoView {
    provide_context(props);
    chunk_view(deploy_log_view)
}

fn preload_log() {
    leptos::task::spawn_local(async {
        let _ = deploy_log_preload().await;
    });
}

/// One deployment: when, what, who, its outcome (with the reason of a failure), how long, and its
/// log and "Deploy again".
#[component]
fn HistoryRow(
    h: HistoryEntry,
    /// The environment is known: the log can be read.
    has_env: bool,
    reasons: RwSignal<HashMap<String, Option<String>>>,
    /// The open log: its execution id and title.
    open: RwSignal<Option<(String, String)>>,
    links: HistoryLinks,
) -> impl IntoView {
    let outcome = h.outcome();
    let (label, tone) = outcome_chip(outcome);
    let when = h.auditing_data.created_at.clone().filter(|t| !t.is_empty());
    let image = h.image();
    let title = log_title(&h);
    let exec = h.identifier.execution_id.clone();
    let exec_id = exec.clone();
    let reason = exec
        .clone()
        .filter(|_| outcome == Outcome::Failed)
        .map(|e| {
            view! { <p class="berth-field-error" data-reason="">
                {move || reasons.with(|m| match m.get(&e) {
                    Some(Some(r)) => r.clone(),
                    Some(None) | None => String::new(),
                })}
            </p> }
        });
    let log_button = exec.filter(|_| has_env).map(|e| {
        let t = title.clone();
        view! { <button type="button" class="berth-btn berth-btn-small"
        aria-label=format!("Log of the {title}")
        on:pointerenter=|_| preload_log() on:focus=|_| preload_log()
        on:click=move |_| open.set(Some((e.clone(), t.clone())))>"Log"</button> }
    });
    let again = h.details.tag.clone().filter(|t| !t.is_empty() && outcome != Outcome::Running).map(|tag| {
        let label = format!("Deploy {} again", image.clone().unwrap_or_default());
        view! { <button type="button" class="berth-btn berth-btn-small berth-btn-quiet" aria-label=label
            on:click=move |_| links.deploy_tag.run(tag.clone())>"Deploy again"</button> }
    });
    view! {
        <tr data-outcome=label data-execution=exec_id>
            <td>{match when {
                Some(t) => view! { <crate::components::when::When iso=t/> }.into_any(),
                None => "—".into_any(),
            }}</td>
            <td>{h.action()}</td>
            <td><code>{image.clone().unwrap_or_else(|| "—".into())}</code></td>
            <td>{h.auditing_data.triggered_by.clone().unwrap_or_else(|| "—".into())}</td>
            <td><Chip label=label tone=tone/>{reason}</td>
            <td class="num">{h.duration().unwrap_or_else(|| "—".into())}</td>
            <td class="berth-row-actions">{log_button}{again}</td>
        </tr>
    }
}
