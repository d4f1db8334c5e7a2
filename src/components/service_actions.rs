//! Deploy / redeploy / restart / stop / delete buttons for a Qovery container, each enabled only
//! in the states where the API allows it.

use berth_api::qovery::{ServiceAction, State};
use leptos::prelude::*;

use super::state_chip::qovery_label;

#[component]
pub fn ServiceActions(
    #[prop(into)] state: Signal<Option<State>>,
    /// The action in flight, if any: every button waits for it.
    #[prop(into)]
    busy: Signal<Option<ServiceAction>>,
    on_action: Callback<ServiceAction>,
) -> impl IntoView {
    ServiceAction::ALL
        .into_iter()
        .map(|action| {
            let allowed = move || state.with(|s| s.as_ref().is_some_and(|s| action.allowed_in(s)));
            let title = move || {
                if allowed() {
                    String::new()
                } else {
                    let now = state.with(|s| {
                        s.as_ref()
                            .map(|s| crate::text::lower(&qovery_label(s).0))
                            .unwrap_or_else(|| "unknown".into())
                    });
                    format!("Not available while {now}")
                }
            };
            let label = match action {
                ServiceAction::Deploy => "Deploy",
                ServiceAction::Redeploy => "Redeploy",
                ServiceAction::Restart => "Restart",
                ServiceAction::Stop => "Stop",
                ServiceAction::Delete => "Delete",
            };
            view! {
                <button
                    class="berth-btn berth-btn-small"
                    class:berth-danger=action == ServiceAction::Delete
                    data-action=action.label()
                    disabled=move || !allowed() || busy.get().is_some()
                    title=title
                    on:click=move |_| on_action.run(action)
                >
                    {move || if busy.get() == Some(action) { "…" } else { label }}
                </button>
            }
        })
        .collect_view()
}
