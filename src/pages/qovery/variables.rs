//! A container's Variables tab: its own variables and secrets in an editable table (add, change,
//! remove, paste `KEY=VALUE` lines, a secret toggle for new rows), the inherited ones (project,
//! environment, built-in) read-only. What a save sends and how it runs belong to
//! `ops::qovery::variables`; the table is read-only while a save runs, so nothing typed meanwhile
//! can be overwritten by its result.

use berth_api::config::Connection;
use leptos::prelude::*;

use crate::api::ApiError;
use crate::components::edit_table::EditTable;
use crate::components::error_panel::ErrorPanel;
use crate::ops::qovery::variables::{self as vars, after_save, check, plan, read, EditedVar};

#[component]
pub fn VariablesTab(
    conn: StoredValue<Connection>,
    id: String,
    /// The container's name, for the toast that reports a save the tab did not live to see.
    name: String,
    /// Something was saved: the container's status changes (it needs a redeploy).
    on_saved: Callback<()>,
) -> impl IntoView {
    let id = StoredValue::new(id);
    let name = StoredValue::new(name);
    let rows = RwSignal::new(Vec::<EditedVar>::new());
    let removed = RwSignal::new(Vec::<EditedVar>::new());
    let inherited = RwSignal::new(Vec::<(String, String, String)>::new());
    let load_error = RwSignal::new(None::<ApiError>);
    let loaded = RwSignal::new(false);
    let failures = RwSignal::new(Vec::<String>::new());
    let saved_note = RwSignal::new(None::<String>);
    let errors = Memo::new(move |_| rows.with(|r| check(r)));
    let shown_errors = RwSignal::new(false);
    let tasks = crate::state::task::Tasks::new();
    let load = move || {
        let (c, id) = (conn.get_value(), id.get_value());
        tasks.spawn(async move {
            match read(&c, &id).await {
                Ok((own, inh)) => {
                    rows.try_set(own);
                    removed.try_set(Vec::new());
                    inherited.try_set(inh);
                    load_error.try_set(None);
                    loaded.try_set(true);
                }
                Err(e) => {
                    load_error.try_set(Some(e));
                }
            }
        });
    };
    load();
    let dirty = Memo::new(move |_| {
        removed.with(|r| !r.is_empty())
            || rows.with(|r| r.iter().any(|x| x.id.is_none() || x.changed()))
    });
    // The save is an operation: it outlives the tab and is refused while one runs (here or in a
    // tab opened again). The table stays read-only until it ended and was read back.
    let saving = Memo::new(move |_| conn.with_value(|c| id.with_value(|i| vars::saving(&c.id, i))));
    let on_save = move |_| {
        shown_errors.set(true);
        if errors.with_untracked(|e| e.iter().any(|(k, v)| k.is_some() || v.is_some())) {
            return;
        }
        let changes = rows.with_untracked(|r| removed.with_untracked(|d| plan(r, d)));
        if changes.is_empty() {
            return;
        }
        failures.set(Vec::new());
        saved_note.set(None);
        let on_done = move |saved: vars::Saved| {
            let ok = saved.ok;
            saved_note.try_set((ok > 0).then(|| {
                format!(
                    "{ok} change{} saved. Redeploy the container to apply {}.",
                    if ok == 1 { "" } else { "s" },
                    if ok == 1 { "it" } else { "them" }
                )
            }));
            let (failed, messages): (Vec<_>, Vec<String>) = saved.failed.into_iter().unzip();
            failures.try_set(messages);
            // What the server holds now, with what failed kept as the user left it.
            if let Some((own, inh)) = saved.read {
                let gone = removed.try_get_untracked().unwrap_or_default();
                let mut pending = Vec::new();
                rows.try_update(|r| {
                    let (next, still) = after_save(r, &gone, &failed, own);
                    *r = next;
                    pending = still;
                });
                removed.try_set(pending);
                inherited.try_set(inh);
            }
            if ok > 0 {
                on_saved.try_run(());
            }
        };
        let started = vars::save(
            conn.get_value(),
            id.get_value(),
            name.get_value(),
            changes,
            on_done,
        );
        if let Err(refused) = started {
            failures.set(vec![refused.to_string()]);
        }
    };
    let add_pasted = Callback::new(move |pairs: Vec<(String, String)>| {
        rows.update(|r| vars::paste(r, pairs));
    });
    view! {
        <section class="berth-panel" aria-label="Variables">
            <h2>"Variables and secrets"</h2>
            {move || load_error.get().map(|e| view! { <ErrorPanel error=e on_retry=move |_| load() stale=loaded.get()/> })}
            <p class="berth-muted">"Variables of this container. A secret's value is sent to Qovery and never shown again: leave it empty to keep it."</p>
            // Read-only while a save runs: its result replaces the rows.
            <fieldset class="berth-plain" prop:disabled=move || saving.get() aria-busy=move || saving.get().to_string()>
            <VariablesTable rows=rows removed=removed errors=errors shown_errors=shown_errors/>
            <crate::components::env_paste::EnvPaste on_pairs=add_pasted/>
            </fieldset>
            <div class="berth-toolbar">
                <button type="button" class="berth-btn berth-btn-primary" on:click=on_save
                    prop:disabled=move || saving.get() || !dirty.get()>
                    {move || if saving.get() { "Saving…" } else { "Save variables" }}
                </button>
                <button type="button" class="berth-btn berth-btn-quiet" on:click=move |_| load()
                    prop:disabled=move || saving.get() || !dirty.get()>"Discard changes"</button>
            </div>
            {move || saved_note.get().map(|n| view! { <p class="berth-panel" role="status">{n}</p> })}
            {move || {
                let f = failures.get();
                (!f.is_empty()).then(|| view! {
                    <div class="berth-panel berth-error" role="alert">
                        <p>"These were not saved (they are kept in the table):"</p>
                        <ul>{f.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul>
                    </div>
                })
            }}
            <h3>"Inherited"</h3>
            <InheritedVariables inherited=inherited/>
        </section>
    }
}

/// The container's own variables, a row each; a row's errors show once a save was tried.
#[component]
fn VariablesTable(
    rows: RwSignal<Vec<EditedVar>>,
    /// Saved rows removed from the table: deleted by the next save.
    removed: RwSignal<Vec<EditedVar>>,
    /// Each row's key and value errors.
    errors: Memo<Vec<(Option<String>, Option<String>)>>,
    shown_errors: RwSignal<bool>,
) -> impl IntoView {
    let field = move |i: usize, which: usize| {
        Signal::derive(move || {
            if !shown_errors.get() {
                return None;
            }
            errors.with(|e| {
                e.get(i)
                    .and_then(|(k, v)| if which == 0 { k.clone() } else { v.clone() })
            })
        })
    };
    view! {
        <EditTable
            caption="Container variables"
            headers=vec!["Key", "Value", "Secret"]
            len=Signal::derive(move || rows.with(Vec::len))
            add_label="Add a variable"
            on_add=Callback::new(move |_| rows.update(|r| r.push(EditedVar::default())))
            on_remove=Callback::new(move |i: usize| {
                let gone = rows.try_update(|r| (i < r.len()).then(|| r.remove(i))).flatten();
                if let Some(g) = gone.filter(|g| g.id.is_some()) {
                    removed.update(|d| d.push(g));
                }
            })
            row=Callback::new(move |i: usize| {
                let get = move |f: fn(&EditedVar) -> String| rows.with(|r| r.get(i).map(f).unwrap_or_default());
                let is_secret = move || rows.with(|r| r.get(i).is_some_and(|x| x.secret));
                let saved = move || rows.with(|r| r.get(i).is_some_and(|x| x.id.is_some()));
                let (key_error, value_error) = (field(i, 0), field(i, 1));
                view! {
                    <td>
                        <input type="text" placeholder="KEY" aria-label=format!("Variable {} key", i + 1)
                            aria-invalid=move || key_error.get().is_some().to_string()
                            prop:value=move || get(|x| x.key.clone())
                            on:input=move |ev| rows.update(|r| if let Some(x) = r.get_mut(i) { x.key = event_target_value(&ev) })/>
                        <p class="berth-field-error">{move || key_error.get()}</p>
                    </td>
                    <td>
                        <input type=move || if is_secret() { "password" } else { "text" }
                            aria-label=format!("Variable {} value", i + 1)
                            placeholder=move || if is_secret() && saved() { "unchanged" } else { "" }
                            autocomplete="off"
                            aria-invalid=move || value_error.get().is_some().to_string()
                            prop:value=move || get(|x| x.value.clone())
                            on:input=move |ev| rows.update(|r| if let Some(x) = r.get_mut(i) { x.value = event_target_value(&ev) })/>
                        <p class="berth-field-error">{move || value_error.get()}</p>
                    </td>
                    <td>
                        <input type="checkbox" aria-label=format!("Variable {} is secret", i + 1)
                            prop:checked=is_secret prop:disabled=saved
                            title=move || if saved() { "A saved variable keeps its kind: remove it and add it again to change it" } else { "" }
                            on:change=move |ev| rows.update(|r| if let Some(x) = r.get_mut(i) { x.secret = event_target_checked(&ev) })/>
                    </td>
                }.into_any()
            })
        />
    }
}

/// The variables the container inherits (project, environment, built-in), read-only.
#[component]
fn InheritedVariables(inherited: RwSignal<Vec<(String, String, String)>>) -> impl IntoView {
    move || {
        let inh = inherited.get();
        if inh.is_empty() {
            return view! { <p class="berth-muted">"None from the project or the environment."</p> }.into_any();
        }
        view! {
            <table class="berth-table" aria-label="Inherited variables">
                <thead><tr><th>"Key"</th><th>"Value"</th><th>"From"</th></tr></thead>
                <tbody>{inh.into_iter().map(|(k, v, s)| view! {
                    <tr><td><code>{k}</code></td><td><code>{v}</code></td><td>{s.to_ascii_lowercase()}</td></tr>
                }).collect_view()}</tbody>
            </table>
        }.into_any()
    }
}

/// The Variables tab (its own chunk).
#[component]
pub fn VariablesPanel() -> impl IntoView {
    let Some(p) = use_context::<crate::pages::qovery::detail::TabProps>() else {
        return ().into_any();
    };
    view! { <VariablesTab conn=p.conn id=p.id() name=p.name() on_saved=p.refresh/> }.into_any()
}
