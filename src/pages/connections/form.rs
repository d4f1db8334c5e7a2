use berth_api::config::{BackendKind, Connection};
use leptos::prelude::*;

use crate::components::field::TextField;
use crate::state::connections::{bound, Connections, Entry};

/// Edits one connection. Errors appear at their field; nothing typed is lost on an error.
#[component]
pub fn ConnectionForm(
    index: Option<usize>,
    entry: Option<Entry>,
    on_done: Callback<()>,
) -> impl IntoView {
    let conns = expect_context::<Connections>();
    let start = entry.clone().unwrap_or(Entry {
        conn: Connection {
            id: String::new(),
            kind: BackendKind::Qovery,
            label: String::new(),
            base_url: String::new(),
            token: None,
        },
        remember: false,
    });
    let label = RwSignal::new(start.conn.label.clone());
    let id = RwSignal::new(start.conn.id.clone());
    let kind = RwSignal::new(start.conn.kind.to_string());
    let base_url = RwSignal::new(start.conn.base_url.clone());
    let token = RwSignal::new(start.conn.token.clone().unwrap_or_default());
    let remember = RwSignal::new(start.remember);
    let errors = RwSignal::new(Vec::<berth_api::FieldError>::new());
    let error_at = move |path: &'static str| {
        Signal::derive(move || {
            errors.with(|e| e.iter().find(|x| x.path == path).map(|x| x.message.clone()))
        })
    };
    // A token goes only to the base URL it was given for: changing the base URL empties the token
    // field (once), so the token for the new one is typed in.
    let first_url = start.conn.base_url.clone();
    let had_token = start.conn.token.is_some();
    Effect::new(move |cleared: Option<bool>| {
        let moved = base_url.with(|u| bound(u) != bound(&first_url));
        if had_token && moved && cleared != Some(true) {
            token.set(String::new());
            return true;
        }
        cleared.unwrap_or(false)
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = token.get_untracked();
        let entry = Entry {
            conn: Connection {
                id: id.get_untracked().trim().to_string(),
                kind: BackendKind::from_wire(&kind.get_untracked()),
                label: label.get_untracked().trim().to_string(),
                base_url: base_url.get_untracked().trim().to_string(),
                token: (!t.is_empty()).then_some(t),
            },
            remember: remember.get_untracked(),
        };
        match conns.save(index, entry) {
            Ok(()) => on_done.run(()),
            Err(e) => errors.set(e),
        }
    };
    let title = if index.is_some() {
        "Edit connection"
    } else {
        "New connection"
    };
    view! {
        <form class="berth-panel berth-form" on:submit=save aria-label=title novalidate>
            <style>{crate::components::form::FORM_CSS}</style>
            <h2>{title}</h2>
            <div class="berth-grid">
                <TextField id="conn-label" label="Label" value=label error=error_at("connection.label") placeholder="Production"/>
                <div class="berth-field">
                    <label for="conn-kind">"Kind"</label>
                    <select id="conn-kind" prop:value=move || kind.get() on:change=move |ev| kind.set(event_target_value(&ev))>
                        <option value="qovery">"Qovery"</option>
                        <option value="kopernik">"Kopernik"</option>
                    </select>
                </div>
                <TextField id="conn-id" label="Id" value=id error=error_at("connection.id") hint="Appears in page addresses, e.g. /q/<id>."/>
                <TextField id="conn-url" label="Base URL" value=base_url error=error_at("connection.base_url") placeholder="https://api.qovery.com"/>
                <TextField id="conn-token" label="Token" kind="password" value=token error=error_at("connection.token") hint="Sent only to the base URL it was entered for: changing the base URL clears it."/>
                <div class="berth-field berth-check-field">
                    <input id="conn-remember" type="checkbox" prop:checked=move || remember.get() on:change=move |ev| remember.set(event_target_checked(&ev))/>
                    <label for="conn-remember">"Remember on this device"</label>
                </div>
            </div>
            {move || errors.with(|e| e.iter().find(|x| x.path == "connection").map(|x| view! { <p class="berth-field-error" role="alert">{x.message.clone()}</p> }))}
            <div class="berth-actions">
                <button type="submit" class="berth-btn berth-btn-primary">"Save"</button>
                <button type="button" class="berth-btn berth-btn-quiet" on:click=move |_| on_done.run(())>"Cancel"</button>
            </div>
        </form>
    }
}
