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
    let text = pretty(&value.to_string());
    view! {
        <details class="berth-panel">
            <summary>"Raw JSON"</summary>
            <pre class="berth-raw" data-raw-json="">{text}</pre>
        </details>
    }
}

/// Compact JSON (as `Value::to_string` writes it) laid out as `serde_json::to_string_pretty`
/// would: the compact writer is in the first screen already, the pretty one would add its own
/// copy of the serializer to every page that shows raw JSON.
fn pretty(compact: &str) -> String {
    let mut out = String::with_capacity(compact.len() * 2);
    let mut depth = 0usize;
    let (mut in_string, mut escaped) = (false, false);
    let mut chars = compact.chars().peekable();
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.extend(std::iter::repeat_n("  ", depth));
    };
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                let close = if c == '{' { '}' } else { ']' };
                if chars.peek() == Some(&close) {
                    out.push(close);
                    chars.next();
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            _ => out.push(c),
        }
    }
    out
}

pub fn yes_no(v: Option<bool>) -> String {
    match v {
        Some(true) => "yes".into(),
        Some(false) => "no".into(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn pretty_lays_out_json_as_serde_json_does() {
        for v in [
            json!({}),
            json!([]),
            json!(null),
            json!("a \"quoted\" {text}, with: [brackets]\\"),
            json!({"a": 1, "b": [1, 2, {"c": null, "d": []}], "e": {}, "f": "x:y,z", "g": -1.5e-9}),
            json!([[[]], [{}], {"k": [true, false]}]),
            json!({"unicode": "é ✓ \u{0001}", "big": u64::MAX}),
        ] {
            let want = serde_json::to_string_pretty(&v).unwrap_or_default();
            assert_eq!(super::pretty(&v.to_string()), want, "{v}");
        }
    }
}
