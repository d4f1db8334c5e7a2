//! What a refused submit says above its form. The draft is never touched; a refused token also
//! links to the page where it is fixed, so the user does not lose their place (#14).

use berth_api::http::ApiError;
use leptos::prelude::*;

use crate::components::link::Link;
use crate::routes::AppPath;

#[derive(Clone, Debug, PartialEq)]
pub struct SubmitError {
    pub text: String,
    /// The connection's token was refused (401) or lacks the right (403).
    pub sign_in: bool,
}

impl SubmitError {
    pub fn text(text: impl Into<String>) -> Self {
        SubmitError {
            text: text.into(),
            sign_in: false,
        }
    }

    /// The error of a failed submit: a refused token says so, anything else gives the server's
    /// message and status.
    pub fn of(e: &ApiError) -> Self {
        match e.status {
            Some(401 | 403) => SubmitError {
                text: format!(
                    "The connection's token was refused ({}, HTTP {}). Sign in again on the Connections page; your input is kept.",
                    e.message,
                    e.status.unwrap_or_default()
                ),
                sign_in: true,
            },
            Some(s) => SubmitError::text(format!("{} (HTTP {s}). Your input is kept.", e.message)),
            None => SubmitError::text(format!("{} (no answer). Your input is kept.", e.message)),
        }
    }
}

/// Shown above the form, and focused when it appears: the submit button is at the bottom of a
/// long form, and the user must see the answer without scrolling back up.
#[component]
pub fn SubmitErrorPanel(error: RwSignal<Option<SubmitError>>) -> impl IntoView {
    let panel = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if error.with(Option::is_some) {
            if let Some(el) = panel.get_untracked() {
                let _ = el.focus();
            }
        }
    });
    view! {
        <div
            node_ref=panel
            class="berth-panel berth-error"
            role="alert"
            tabindex="-1"
            data-submit-error=""
            hidden=move || error.with(Option::is_none)
        >
            {move || error.get().map(|e| view! {
                <p>{e.text}</p>
                {e.sign_in.then(|| view! {
                    <p><Link href=AppPath::Connections.to_path()>"Open connections"</Link></p>
                })}
            })}
        </div>
    }
}
