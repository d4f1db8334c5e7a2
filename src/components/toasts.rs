//! Toasts for actions that end: successes fade after a few seconds, errors stay until dismissed.

use leptos::prelude::*;

use crate::components::link::Link;
use crate::state::pending::PendingStore;

#[component]
pub fn Toasts() -> impl IntoView {
    let store = use_context::<PendingStore>();
    view! {
        <div class="berth-toasts" aria-live="polite">
            {move || store.map(|s| s.toasts.get()).unwrap_or_default().into_iter().map(|t| {
                let id = t.id;
                view! {
                    <div class="berth-toast" class:berth-toast-error=t.error role=if t.error { "alert" } else { "status" }>
                        <span>{t.text}</span>
                        {t.log.map(|h| view! { <Link href=h class="berth-toast-link">"Open its log"</Link> })}
                        <button class="berth-btn berth-btn-small berth-btn-quiet" aria-label="Dismiss" on:click=move |_| { if let Some(s) = store { s.dismiss(id) } }>"✕"</button>
                    </div>
                }
            }).collect_view()}
        </div>
    }
}
