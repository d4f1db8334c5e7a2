use leptos::prelude::*;

use crate::state::clock::{ago, Clock};

/// "Updated 12 s ago", "refreshing…" while a refresh runs; stale rows stay on screen meanwhile.
#[component]
pub fn Updated(
    #[prop(into)] at: Signal<Option<f64>>,
    #[prop(into)] refreshing: Signal<bool>,
) -> impl IntoView {
    let clock = use_context::<Clock>();
    let text = move || {
        let now = clock
            .map(|c| c.0.get())
            .unwrap_or_else(crate::state::clock::now_ms);
        match (refreshing.get(), at.get()) {
            (true, _) => "Refreshing…".to_string(),
            (false, Some(t)) => format!("Updated {}", ago(now - t)),
            (false, None) => String::new(),
        }
    };
    view! { <span class="berth-updated berth-muted" aria-live="polite" class:berth-refreshing=move || refreshing.get()>{text}</span> }
}
