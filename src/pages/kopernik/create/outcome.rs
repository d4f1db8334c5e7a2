//! After a create: the Action, followed until it ends; a failure shows its reason.

use berth_api::config::Connection;
use berth_api::http::encode;
use berth_api::kopernik::{Action, ActionState};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::components::link::Link;
use crate::components::state_chip::{Chip, Tone};

#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub action: Action,
}

impl Outcome {
    pub fn new(action: Action) -> Self {
        Outcome { action }
    }
}

/// Polls the Action every second until it is terminal (an unknown state counts as running; a
/// network error is retried, never taken as the outcome).
#[component]
pub fn Follow(
    outcome: Outcome,
    conn: Connection,
    provider: String,
    on_success: Callback<()>,
) -> impl IntoView {
    let action = RwSignal::new(outcome.action);
    let poll_error = RwSignal::new(None::<String>);
    let alive = StoredValue::new(true);
    on_cleanup(move || alive.set_value(false));
    let (c, p) = (conn.clone(), provider.clone());
    spawn_local(async move {
        loop {
            let state = action.with_untracked(|a| a.state.clone());
            if state.is_terminal() || !alive.get_value() {
                break;
            }
            gloo_timers_sleep(1000).await;
            if !alive.get_value() {
                break;
            }
            let uid = action.with_untracked(|a| a.uid.clone());
            match api::kopernik::action(&c, &p, &uid).await {
                Ok(r) => {
                    poll_error.set(None);
                    action.set(r.action);
                }
                Err(e) => poll_error.set(Some(format!(
                    "Checking the action failed ({}); retrying.",
                    e.message
                ))),
            }
        }
        if action.with_untracked(|a| a.state == ActionState::Success) {
            on_success.run(());
        }
    });
    let conn_id = conn.id.clone();
    view! {
        <section class="berth-panel berth-outcome" role="status" aria-live="polite" data-state=move || action.with(|a| a.state.to_string())>
            <h2>"Creation"</h2>
            {move || {
                let a = action.get();
                let tone = match &a.state {
                    ActionState::Success => Tone::Ok,
                    s if s.is_failure() => Tone::Error,
                    _ => Tone::Busy,
                };
                let text = match &a.state {
                    ActionState::Success => "The container app is ready.".to_string(),
                    ActionState::Failed => format!("The creation failed: {}", a.reason.clone().unwrap_or_else(|| "no reason given".into())),
                    s if s.is_failure() => format!("The creation was rolled back ({s}): {}", a.reason.clone().unwrap_or_default()),
                    _ => "The provider is creating the machine…".to_string(),
                };
                let link = (a.state == ActionState::Success).then(|| a.resource_uid.clone()).flatten().map(|uid| {
                    let href = format!("/k/{}/{}/apps/{}", encode(&conn_id), encode(&provider), encode(&uid));
                    view! { <Link href=href>"Open the container app"</Link> }
                });
                view! {
                    <p><Chip label=a.state.to_string() tone=tone/>" "<span class="berth-outcome-text">{text}</span></p>
                    <p class="berth-muted berth-small">"Action "<code>{a.uid.clone()}</code></p>
                    {link}
                }
            }}
            {move || poll_error.get().map(|e| view! { <p class="berth-muted">{e}</p> })}
        </section>
    }
}

async fn gloo_timers_sleep(ms: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms as i32);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
