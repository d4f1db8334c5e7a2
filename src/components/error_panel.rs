use berth_api::http::ApiError;
use leptos::prelude::*;

/// A failed load: the server's message, the HTTP status, the request id when there is one, and a
/// retry button. Every string is rendered as text. `stale`: rows loaded before are still shown.
#[component]
pub fn ErrorPanel(
    error: ApiError,
    #[prop(into)] on_retry: Callback<()>,
    #[prop(optional)] stale: bool,
) -> impl IntoView {
    let status = match error.status {
        Some(s) => format!("HTTP {s}"),
        None => "No answer".to_string(),
    };
    view! {
        <div class="berth-panel berth-error" class:berth-stale=stale role="alert">
            <p class="berth-error-title">
                <strong>{status}</strong>
                " · "
                {error.message.clone()}
            </p>
            {retry_note(&error).map(|note| view! { <p class="berth-retry-after">{note}</p> })}
            {stale.then(|| view! { <p class="berth-muted">"Showing the last rows loaded."</p> })}
            {error.request_id.clone().map(|id| view! { <p class="berth-muted">"Request id: " <code>{id}</code></p> })}
            <button class="berth-btn" on:click=move |_| on_retry.run(())>"Retry"</button>
        </div>
    }
}

/// What a `Retry-After` asked for, said to the user (the pollers wait at least that long).
pub fn retry_note(error: &ApiError) -> Option<String> {
    error
        .retry_after
        .map(|secs| format!("The server asked to wait {secs} s before trying again; Berth will."))
}
