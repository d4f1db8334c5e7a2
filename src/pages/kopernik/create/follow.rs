//! After a create: the Action, followed until it ends; a failure shows its reason.

use berth_api::config::Connection;
use berth_api::kopernik::Action;
use leptos::prelude::*;

use crate::routes::AppPath;

use crate::components::link::Link;
use crate::components::state_chip::Chip;
use crate::ops::words::Tone;
use crate::state::pending::{Outcome, PendingStore, Target};

/// Shows the Action as the pending-actions store follows it (one poller for the whole console).
#[component]
pub fn Follow(
    action: Action,
    conn: Connection,
    provider: String,
    on_success: Callback<()>,
) -> impl IntoView {
    let store = use_context::<PendingStore>();
    let first = action;
    let uid = first.uid.clone();
    let entry = Memo::new(move |_| store.and_then(|s| s.get(&uid)));
    let done = StoredValue::new(false);
    Effect::new(move |_| {
        if entry.with(|e| {
            e.as_ref()
                .is_some_and(|e| e.outcome == Some(Outcome::Success))
        }) && !done.get_value()
        {
            done.set_value(true);
            on_success.run(());
        }
    });
    let conn_id = conn.id.clone();
    view! {
        <section class="berth-panel berth-outcome" role="status" aria-live="polite" data-state=move || entry.get().map(|e| e.state).unwrap_or_else(|| first.state.to_string())>
            <h2>"Creation"</h2>
            {move || {
                let Some(e) = entry.get() else { return ().into_any() };
                let tone = match &e.outcome {
                    Some(Outcome::Success) => Tone::Ok,
                    Some(_) => Tone::Error,
                    None => Tone::Busy,
                };
                let text = match &e.outcome {
                    Some(Outcome::Success) => "The container app is ready.".to_string(),
                    Some(Outcome::Failed(why)) => format!("The creation failed: {why}"),
                    Some(Outcome::GaveUp) => "Still running after 15 minutes: check again later.".to_string(),
                    Some(Outcome::Gone) => "The server no longer knows this action.".to_string(),
                    None => "The provider is creating the machine…".to_string(),
                };
                let app = match &e.target {
                    Target::Kopernik { app, .. } => app.clone(),
                    Target::Qovery { .. } => None,
                };
                let link = (e.outcome == Some(Outcome::Success)).then_some(app).flatten().map(|uid| {
                    let href = AppPath::KopernikDetail { conn: conn_id.clone(), provider: provider.clone(), uid }.to_path();
                    view! { <Link href=href>"Open the container app"</Link> }
                });
                view! {
                    <p><Chip label=e.state.clone() tone=tone/>" "<span class="berth-outcome-text">{text}</span></p>
                    <p class="berth-muted berth-small">"Action "<code>{e.id.clone()}</code>{e.error.clone().map(|m| format!(" · checking failed ({m}); retrying"))}</p>
                    {link}
                }.into_any()
            }}
        </section>
    }
}
