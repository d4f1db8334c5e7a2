//! The jq filter over the provider's apps: applied by the server, kept in the URL, with examples.

use leptos::prelude::*;

use crate::state::url_query::UrlQuery;

/// Styles only this part uses: they travel in its chunk, not in the first screen's stylesheet.
const JQ_CSS: &str = ".berth .berth-jq{display:flex;gap:8px;align-items:flex-start;flex-wrap:wrap}.berth .berth-jq input{min-width:320px;font-family:var(--b-mono);font-size:13px}.berth .berth-jq .berth-field-error{flex-basis:100%}";

/// Example filters offered beside the jq input.
const EXAMPLES: [(&str, &str); 5] = [
    ("Running", ".status == \"active\""),
    ("Name starts with api", ".name | test(\"^api\")"),
    ("Created from a template", ".templateId != null"),
    ("In us-east-1", ".regionUid == \"us-east-1\""),
    ("Has a public IPv4", "(.machine.ipv4 | length) > 0"),
];

/// The filter's input (`jq`, the applied one, is the URL's `jq`); its error is the server's 400.
#[component]
pub(super) fn JqFilter(
    jq: Memo<String>,
    jq_error: Memo<Option<String>>,
    url: UrlQuery,
) -> impl IntoView {
    let jq_draft = RwSignal::new(jq.get_untracked());
    Effect::new(move |_| jq_draft.set(jq.get()));
    let apply = move |value: String| {
        url.set("jq", value.trim().to_string());
    };
    view! {
        <style>{JQ_CSS}</style>
        <form class="berth-jq" role="search" on:submit=move |ev| { ev.prevent_default(); apply(jq_draft.get_untracked()); }>
            <label for="berth-jq" class="berth-sr">"jq filter"</label>
            <input
                id="berth-jq"
                class="berth-input"
                placeholder="jq filter, applied by the server, e.g. .status == \"active\""
                spellcheck="false"
                autocomplete="off"
                prop:value=move || jq_draft.get()
                on:input=move |ev| jq_draft.set(event_target_value(&ev))
                aria-invalid=move || jq_error.get().is_some().then_some("true")
                aria-describedby="berth-jq-error"
            />
            <button type="submit" class="berth-btn">"Apply"</button>
            <select
                class="berth-select"
                aria-label="Example filters"
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    if !v.is_empty() {
                        jq_draft.set(v.clone());
                        apply(v);
                    }
                }
            >
                <option value="">"Examples…"</option>
                {EXAMPLES.iter().map(|(label, code)| view! { <option value=*code>{*label}</option> }).collect_view()}
            </select>
            <Show when=move || !jq.get().is_empty()>
                <button type="button" class="berth-btn berth-btn-quiet" on:click=move |_| { jq_draft.set(String::new()); apply(String::new()); }>"Clear filter"</button>
            </Show>
            <p id="berth-jq-error" class="berth-field-error" role="status">{move || jq_error.get()}</p>
        </form>
    }
}
