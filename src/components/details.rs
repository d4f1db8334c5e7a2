//! Read-only views of a resource: labelled fields in groups, and the raw JSON as the API sent it.

use leptos::prelude::*;

/// Styles only this part uses: they travel in its chunk, not in the first screen's stylesheet. Rendered once by each page that shows fields, raw JSON or a preview.
pub const DETAILS_CSS: &str = ".berth .berth-fields{display:grid;grid-template-columns:max-content 1fr;gap:6px 20px;margin:0}.berth .berth-fields dt{color:var(--b-muted);font-size:13px}.berth .berth-fields dd{margin:0;overflow-wrap:anywhere}.berth .berth-detail-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(360px,1fr));gap:var(--b-space)}.berth .berth-raw{max-height:480px;overflow:auto;font-family:var(--b-mono);font-size:12px;white-space:pre;margin:0}";

/// A titled group of `label: value` lines; empty values show as "—".
#[component]
pub fn FieldGroup(
    #[prop(into)] title: String,
    fields: Vec<(&'static str, String)>,
    /// Times (RFC 3339), after the fields: relative, with the exact time on hover.
    #[prop(optional)]
    times: Vec<(&'static str, Option<String>)>,
) -> impl IntoView {
    let aria = title.clone();
    view! {
        <section class="berth-panel" aria-label=aria>
            <h2>{title}</h2>
            <dl class="berth-fields">
                {fields.into_iter().map(|(k, v)| {
                    let v = if v.trim().is_empty() { "—".to_string() } else { v };
                    view! { <dt>{k}</dt><dd>{v}</dd> }
                }).collect_view()}
                {times.into_iter().map(|(k, t)| view! {
                    <dt>{k}</dt>
                    <dd>{match t.filter(|t| !t.trim().is_empty()) {
                        Some(t) => view! { <super::when::When iso=t/> }.into_any(),
                        None => "—".into_any(),
                    }}</dd>
                }).collect_view()}
            </dl>
        </section>
    }
}

/// The raw JSON, pretty-printed, as text.
#[component]
pub fn RawJson(value: serde_json::Value) -> impl IntoView {
    let text = serde_json::to_string_pretty(&value).unwrap_or_else(|_| value.to_string());
    view! {
        <details class="berth-panel">
            <summary>"Raw JSON"</summary>
            <pre class="berth-raw" data-raw-json="">{text}</pre>
        </details>
    }
}

pub fn yes_no(v: Option<bool>) -> String {
    match v {
        Some(true) => "yes".into(),
        Some(false) => "no".into(),
        None => String::new(),
    }
}
