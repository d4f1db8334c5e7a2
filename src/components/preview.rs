//! A form's request before it is sent: the exact JSON body, and the same request as a curl line
//! with the token as a shell variable (never the token itself). Both create forms and the edit
//! page show it. The blocks scroll, so they take keyboard focus (a keyboard user can scroll them).

use berth_api::config::BackendKind;
use leptos::prelude::*;

use crate::api::Method;

#[component]
pub fn RequestPreview(
    kind: BackendKind,
    /// The method and URL, as the API layer builds them (`api::qovery::save_url`, …).
    #[prop(into)]
    request: Signal<(Method, String)>,
    /// The body, pretty-printed, with secrets already replaced by placeholders.
    #[prop(into)]
    json: Signal<String>,
) -> impl IntoView {
    let token = match kind {
        BackendKind::Kopernik => "$KOPERNIK_TOKEN",
        _ => "$QOVERY_TOKEN",
    };
    let auth = berth_api::http::authorization(&kind, token);
    let curl = Memo::new(move |_| {
        let (method, url) = request.get();
        // A base URL that is a path on this site is said in full, so the line works in a shell.
        let url = if url.starts_with('/') {
            let origin = web_sys::window()
                .and_then(|w| w.location().origin().ok())
                .unwrap_or_default();
            format!("{origin}{url}")
        } else {
            url
        };
        format!(
            "curl -X {} '{url}' \\\n  -H 'Authorization: {auth}' \\\n  -H 'Content-Type: application/json' \\\n  -d '{}'",
            method.as_str(),
            json.get().replace('\'', "'\\''")
        )
    });
    let copied = RwSignal::new(false);
    let copy = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.navigator().clipboard().write_text(&curl.get_untracked());
            copied.set(true);
        }
    };
    view! {
        <section class="berth-panel" aria-labelledby="berth-preview">
            <h2 id="berth-preview">"Preview"</h2>
            <style>{crate::components::details::DETAILS_CSS}</style>
            <div class="berth-detail-grid">
                <div>
                    <h3>"Request body"</h3>
                    <pre class="berth-raw" data-preview="json" tabindex="0" aria-label="Request body">{move || json.get()}</pre>
                </div>
                <div>
                    <h3>"As curl"</h3>
                    <pre class="berth-raw" data-preview="curl" tabindex="0" aria-label="As curl">{move || curl.get()}</pre>
                    <button type="button" class="berth-btn berth-btn-small" on:click=copy>
                        {move || if copied.get() { "Copied" } else { "Copy as curl" }}
                    </button>
                </div>
            </div>
        </section>
    }
}
