//! What Kopernik can say about an app going wrong: its API has no events or metrics, so the app's
//! page shows its Actions (created, deleted, volumes attached) and why any of them failed.

use berth_api::config::Connection;
use berth_api::kopernik::{Action, ActionType};
use leptos::prelude::*;

use crate::api;
use crate::components::error_panel::ErrorPanel;
use crate::components::state_chip::Chip;
use crate::ops::words::kopernik_state;
use crate::state::clock::{ago, now_ms};
use crate::state::record::use_record;

fn what(kind: Option<&ActionType>) -> &'static str {
    match kind {
        Some(ActionType::CreateResource) => "Create",
        Some(ActionType::DeleteResource) => "Delete",
        Some(ActionType::CreateBlockStorageAttachment) => "Attach a volume",
        Some(ActionType::DeleteBlockStorageAttachment) => "Detach a volume",
        _ => "Action",
    }
}

/// The app's Actions, newest first.
fn of_app(mut all: Vec<Action>, uid: &str) -> Vec<Action> {
    all.retain(|a| a.resource_uid.as_deref() == Some(uid));
    all.sort_by(|a, b| {
        let t = |x: &Action| {
            x.created_at
                .as_ref()
                .and_then(|n| n.as_f64())
                .unwrap_or(0.0)
        };
        t(b).total_cmp(&t(a))
    });
    all
}

#[component]
pub fn AppActions(conn: StoredValue<Connection>, provider: String, uid: String) -> impl IntoView {
    let key = (provider, uid);
    let record = use_record(
        move || key.clone(),
        move |(p, u): (String, String)| {
            let c = conn.get_value();
            async move { api::kopernik::actions(&c, &p).await.map(|l| of_app(l, &u)) }
        },
    );
    let live = record.live;
    view! {
        <section class="berth-panel" aria-label="Actions on this app" data-app-actions="">
            <h2>"Actions on this app"</h2>
            <p class="berth-muted">
                "Kopernik's API gives no events or metrics for an app (no instances, restarts or CPU and "
                "memory readings), so this page shows what it has: the app's actions and why any failed."
            </p>
            {move || live.error.get().map(|e| view! { <ErrorPanel error=e on_retry=move |_| record.reload()/> })}
            {move || record.data.get().map(|list| {
                if list.is_empty() {
                    return view! { <p class="berth-muted">"No actions on record for this app."</p> }.into_any();
                }
                let now = now_ms();
                view! {
                    <table class="berth-table" aria-label="Actions on this app">
                        <thead><tr><th scope="col">"Action"</th><th scope="col">"State"</th><th scope="col">"Started"</th><th scope="col">"Why it failed"</th></tr></thead>
                        <tbody>{list.into_iter().map(|a| {
                            let (label, tone) = kopernik_state(a.state.as_str());
                            let when = a.created_at.as_ref().and_then(|n| n.as_f64()).map(|s| ago(now - s * 1000.0)).unwrap_or_else(|| "—".into());
                            let why = a.state.is_failure().then(|| a.reason.clone().unwrap_or_else(|| "no reason given".into()));
                            view! {
                                <tr data-action-uid=a.uid.clone()>
                                    <td>{what(a.kind.as_ref())}</td>
                                    <td><Chip label=label tone=tone/></td>
                                    <td>{when}</td>
                                    <td>{why.map(|w| view! { <span class="berth-field-error">{w}</span> })}</td>
                                </tr>
                            }
                        }).collect_view()}</tbody>
                    </table>
                }.into_any()
            })}
        </section>
    }
}
