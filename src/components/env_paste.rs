//! "Paste KEY=VALUE lines": a `.env` file's lines added to an env table at once; lines that are
//! not `KEY=VALUE` are named by number and stay in the box.

use leptos::prelude::*;

#[component]
pub fn EnvPaste(
    /// The pairs read, in order (the table adds them, or replaces the value of a key it has).
    on_pairs: Callback<Vec<(String, String)>>,
) -> impl IntoView {
    let paste = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<String>::new());
    let add = move |_| {
        let (pairs, bad) = berth_api::variables::parse_env_lines(&paste.get_untracked());
        on_pairs.run(pairs);
        if bad.is_empty() {
            paste.set(String::new());
        }
        errors.set(bad);
    };
    view! {
        <style>{crate::components::paste::PASTE_CSS}</style>
        <details class="berth-paste">
            <summary>"Paste KEY=VALUE lines"</summary>
            <textarea aria-label="KEY=VALUE lines" rows="4" prop:value=move || paste.get() on:input=move |ev| paste.set(event_target_value(&ev))></textarea>
            <button type="button" class="berth-btn berth-btn-small" on:click=add>"Add these variables"</button>
            {move || errors.get().into_iter().map(|e| view! { <p class="berth-field-error">{e}</p> }).collect_view()}
        </details>
    }
}
