//! The create form's Variables section: the rows of `var_rows` in an editable table, with a
//! paste box for `KEY=VALUE` lines.

use leptos::prelude::*;

use super::draft::QDraft;
use super::var_rows::{merge, VarRow};
use crate::components::edit_table::EditTable;
use crate::components::form::{Cell, Form};

#[component]
pub fn Variables(form: Form, draft: RwSignal<QDraft>) -> impl IntoView {
    // A pasted row is secret or not by its key and value, like a typed one.
    let add_pasted = Callback::new(move |pairs: Vec<(String, String)>| {
        let rows = pairs
            .into_iter()
            .map(|(key, value)| VarRow::guessed(key, value))
            .collect();
        draft.update(|d| merge(&mut d.vars, rows));
    });
    let var = move |i: usize| {
        Signal::derive(move || draft.with(|d| d.vars.get(i).cloned().unwrap_or_default()))
    };
    view! {
        <section class="berth-panel" aria-labelledby="q-variables">
            <h2 id="q-variables">"Variables"</h2>
            <p class="berth-hint" id="q-variables-hint">
                "Set on the container right after it is created, in one import, before any deploy. "
                "Secret values are sent once and never shown again; they are not kept in the draft, so after a reload you type them again."
            </p>
            <EditTable
                caption="Variables"
                headers=vec!["Key", "Value", "Secret"]
                len=Signal::derive(move || draft.with(|d| d.vars.len()))
                add_label="Add a variable"
                on_add=Callback::new(move |_| draft.update(|d| d.vars.push(VarRow::default())))
                on_remove=Callback::new(move |i: usize| draft.update(|d| if i < d.vars.len() { d.vars.remove(i); }))
                row=Callback::new(move |i: usize| {
                    let v = var(i);
                    let edit = move |f: fn(&mut VarRow, String)| Callback::new(move |x: String| draft.update(|d| if let Some(r) = d.vars.get_mut(i) { f(r, x) }));
                    let key = view! {
                        <Cell form=form path={format!("variables[{i}].key")}
                            label={format!("Variable {} key", i + 1)}
                            value={Signal::derive(move || v.get().key)}
                            on_input={edit(|r, x| r.key = x)}
                            placeholder="KEY"/>
                    };
                    let value = view! {
                        <Cell form=form path={format!("variables[{i}].value")}
                            label={format!("Variable {} value", i + 1)}
                            value={Signal::derive(move || v.get().value)}
                            on_input={edit(|r, x| r.value = x)}
                            kind={Signal::derive(move || if v.get().is_secret() { "password" } else { "text" })}/>
                    };
                    view! {
                        {key}{value}
                        <td><input type="checkbox" aria-label=format!("Variable {} is secret", i + 1) prop:checked=move || v.get().is_secret()
                            on:change=move |ev| draft.update(|d| if let Some(r) = d.vars.get_mut(i) { r.secret = Some(event_target_checked(&ev)) })/></td>
                    }.into_any()
                })
            />
            <crate::components::env_paste::EnvPaste on_pairs=add_pasted/>
        </section>
    }
}
