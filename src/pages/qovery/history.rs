//! The deployment history on a Qovery container's page: when, what, who, outcome and duration,
//! newest first; polled quickly while one runs, and reloaded when an operation ends.

use std::time::Duration;

use berth_api::config::Connection;
use berth_api::history::{HistoryEntry, Outcome};
use leptos::prelude::*;

use crate::api;
use crate::components::error_panel::ErrorPanel;
use crate::components::state_chip::{Chip, Tone};
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

#[component]
pub fn DeploymentHistory(conn: StoredValue<Connection>, id: Memo<Option<String>>) -> impl IntoView {
    let list = use_live_list(ContainerHistory { conn, id });
    let (rows, live) = (list.rows, list.live);
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
                view! {
                    <table class="berth-table" aria-label="Deployment history">
                        <thead><tr><th>"When"</th><th>"What"</th><th>"Image"</th><th>"By"</th><th>"Outcome"</th><th class="num">"Duration"</th></tr></thead>
                        <tbody>{entries.into_iter().map(|h| {
                            let (label, tone) = outcome_chip(h.outcome());
                            view! {
                                <tr data-outcome=label>
                                    <td>{h.started().unwrap_or_else(|| "—".into())}</td>
                                    <td>{h.action()}</td>
                                    <td><code>{h.image().unwrap_or_else(|| "—".into())}</code></td>
                                    <td>{h.auditing_data.triggered_by.clone().unwrap_or_else(|| "—".into())}</td>
                                    <td><Chip label=label tone=tone/></td>
                                    <td class="num">{h.duration().unwrap_or_else(|| "—".into())}</td>
                                </tr>
                            }
                        }).collect_view()}</tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}
