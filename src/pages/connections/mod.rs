//! Connections and tokens: list, edit, add, remove, reset to `config.json`.

mod form;

use leptos::prelude::*;

use crate::state::connections::Connections;
use form::ConnectionForm;

#[component]
pub fn ConnectionsPage() -> impl IntoView {
    let conns = expect_context::<Connections>();
    // Which row is open in the editor: Some(Some(i)) edits row i, Some(None) adds a new one.
    let editing = RwSignal::new(None::<Option<usize>>);
    view! {
        <section class="berth-page">
            <h1>"Connections"</h1>
            <p class="berth-muted">
                "Tokens stay in this tab (sessionStorage) unless you tick “remember on this device”. "
                "They are never put in a URL or a log."
            </p>
            {move || conns.load_note.get().map(|n| view! { <p class="berth-panel berth-warning" role="status">{n}</p> })}
            <table class="berth-table" aria-label="Connections">
                <thead>
                    <tr>
                        <th scope="col">"Label"</th>
                        <th scope="col">"Kind"</th>
                        <th scope="col">"Id"</th>
                        <th scope="col">"Base URL"</th>
                        <th scope="col">"Token"</th>
                        <th scope="col"><span class="berth-sr">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>
                    <For
                        each=move || conns.entries.get().into_iter().enumerate()
                        key=|(i, e)| (*i, e.conn.kind.to_string(), e.conn.id.clone(), e.conn.label.clone(), e.conn.base_url.clone(), e.conn.token.is_some(), e.remember)
                        children=move |(i, e)| {
                            let token = match (&e.conn.token, e.remember) {
                                (None, _) => "none",
                                (Some(_), true) => "set · remembered on this device",
                                (Some(_), false) => "set · this tab only",
                            };
                            view! {
                                <tr data-conn=e.conn.id.clone()>
                                    <td>{e.conn.label.clone()}</td>
                                    <td>{e.conn.kind.to_string()}</td>
                                    <td><code>{e.conn.id.clone()}</code></td>
                                    <td><code>{e.conn.base_url.clone()}</code></td>
                                    <td>{token}</td>
                                    <td class="berth-row-actions">
                                        <button class="berth-btn berth-btn-quiet" on:click=move |_| editing.set(Some(Some(i)))>"Edit"</button>
                                        <button class="berth-btn berth-btn-quiet berth-danger" on:click=move |_| { editing.set(None); conns.remove(i) }>"Remove"</button>
                                    </td>
                                </tr>
                            }
                        }
                    />
                </tbody>
            </table>
            <div class="berth-actions">
                <button class="berth-btn" on:click=move |_| editing.set(Some(None))>"Add a connection"</button>
                <button class="berth-btn berth-btn-quiet" on:click=move |_| { editing.set(None); conns.reset() }>"Reset to defaults"</button>
            </div>
            {move || editing.get().map(|index| {
                let entry = index.and_then(|i| conns.entries.with_untracked(|l| l.get(i).cloned()));
                view! { <ConnectionForm index=index entry=entry on_done=Callback::new(move |_| editing.set(None))/> }
            })}
        </section>
    }
}
