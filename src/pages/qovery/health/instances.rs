//! The container's instances: state, restarts, age and the latest reason.

use berth_api::diagnosis::{Instance, Tone};
use leptos::prelude::*;

use crate::components::state_chip::Chip;
use crate::ops::words;
use crate::state::clock::ago;

fn chip_tone(t: Tone) -> words::Tone {
    match t {
        Tone::Ok => words::Tone::Ok,
        Tone::Neutral => words::Tone::Neutral,
        Tone::Warning => words::Tone::Busy,
        Tone::Error => words::Tone::Error,
    }
}

#[component]
pub fn Instances(list: Vec<Instance>, now: f64) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="berth-muted">"No instance was seen in this time range."</p> }
            .into_any();
    }
    view! {
        <table class="berth-table" aria-label="Instances">
            <thead><tr>
                <th scope="col">"Instance"</th><th scope="col">"State"</th><th scope="col" class="num">"Restarts"</th>
                <th scope="col">"Seen since"</th><th scope="col">"Latest reason"</th>
            </tr></thead>
            <tbody>{list.into_iter().map(|i| {
                let since = i.first_seen_ms.map(|t| ago(now - t)).unwrap_or_else(|| "—".into());
                let last = i.last_at_ms.map(|t| format!(" ({})", ago(now - t))).unwrap_or_default();
                view! {
                    <tr data-pod=i.pod.clone()>
                        <td><code>{i.pod.clone()}</code></td>
                        <td><Chip label=i.state.label() tone=chip_tone(i.state.tone())/></td>
                        <td class="num">{i.restarts}</td>
                        <td>{since}</td>
                        <td>
                            {i.last_reason.map(|r| view! { <strong>{r}</strong> })}{last}
                            {i.last_message.map(|m| view! { <div class="berth-muted berth-small">{m}</div> })}
                        </td>
                    </tr>
                }
            }).collect_view()}</tbody>
        </table>
    }
    .into_any()
}
