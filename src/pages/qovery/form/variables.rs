//! The create form's variables and secrets: a row each (key, value, secret), checked by the
//! berth-api rules as the user types, sent with one `/environmentVariable/import` after the
//! container is created. A secret's value is never written to the draft in sessionStorage; a row
//! the user has not ticked or unticked is secret when its key or value looks like one.

use berth_api::rules::{qovery_variable, variable_key};
use berth_api::secrets;
use berth_api::variables::{ImportVariable, VariableImportRequest, VariableScope};
use berth_api::FieldError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize, Serializer};

use super::draft::QDraft;
use crate::components::edit_table::EditTable;
use crate::components::form::{Cell, Form};

/// One variable of the form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct VarRow {
    pub key: String,
    #[serde(default)]
    pub value: String,
    /// What the user chose; `None` until they tick or untick the box, and then the key and value
    /// decide (see [`berth_api::secrets::is_secret`]). Drafts stored with a plain `true`/`false`
    /// still read, as a choice.
    #[serde(default)]
    pub secret: Option<bool>,
}

impl VarRow {
    /// A new row the user has not ticked or unticked.
    pub fn guessed(key: String, value: String) -> Self {
        VarRow {
            key,
            value,
            secret: None,
        }
    }

    /// Masked, sent as a secret and never stored.
    pub fn is_secret(&self) -> bool {
        self.secret
            .unwrap_or_else(|| secrets::is_secret(&self.key, &self.value))
    }
}

/// Stored without a secret's value, and then marked secret: a restored row asks for the value
/// again, even one that was secret only by the value it no longer has.
impl Serialize for VarRow {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let secret = self.is_secret();
        let mut st = s.serialize_struct("VarRow", 3)?;
        st.serialize_field("key", &self.key)?;
        st.serialize_field("value", if secret { "" } else { &self.value })?;
        st.serialize_field("secret", &if secret { Some(true) } else { self.secret })?;
        st.end()
    }
}

/// Every rule of the rows, at `variables[i].key` / `.value`: the key's form, unique in the form,
/// the value's length, and a secret's value present (it is not kept in the draft).
pub fn errors(vars: &[VarRow]) -> Vec<FieldError> {
    let mut out = Vec::new();
    for (i, v) in vars.iter().enumerate() {
        let taken = |k: &str| vars.iter().enumerate().any(|(j, o)| j < i && o.key == k);
        for e in qovery_variable(&v.key, Some(&v.value), None, None, taken) {
            out.push(FieldError::new(
                format!("variables[{i}].{}", e.path),
                e.message,
            ));
        }
        if v.is_secret() && v.value.is_empty() && variable_key(&v.key).is_none() {
            out.push(FieldError::new(
                format!("variables[{i}].value"),
                "enter the secret's value (secret values are not kept in the draft)",
            ));
        }
    }
    out
}

/// The one import request of the rows (container scope; a key taken there fails, not replaced).
pub fn import_request(vars: &[VarRow]) -> VariableImportRequest {
    VariableImportRequest {
        overwrite: false,
        vars: vars
            .iter()
            .map(|v| ImportVariable {
                name: v.key.clone(),
                value: v.value.clone(),
                scope: VariableScope::Container,
                is_secret: v.is_secret(),
            })
            .collect(),
    }
}

/// Adds `rows` to `vars`: a key already there takes the new value, and keeps the user's choice
/// of secret unless the new row is chosen secret.
pub fn merge(vars: &mut Vec<VarRow>, rows: Vec<VarRow>) {
    for r in rows {
        match vars.iter_mut().find(|v| v.key == r.key) {
            Some(v) => {
                v.value = r.value;
                if r.secret == Some(true) {
                    v.secret = Some(true);
                }
            }
            None => vars.push(r),
        }
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_values_are_never_stored() {
        let rows = vec![
            VarRow {
                key: "A".into(),
                value: "1".into(),
                secret: Some(false),
            },
            VarRow {
                key: "S".into(),
                value: "hunter2".into(),
                secret: Some(true),
            },
        ];
        let text = serde_json::to_string(&rows).unwrap_or_default();
        assert!(text.contains("\"1\""));
        assert!(!text.contains("hunter2"), "{text}");
    }

    #[test]
    fn rules_apply_at_the_row() {
        let rows = vec![
            VarRow {
                key: "A".into(),
                value: "1".into(),
                secret: Some(false),
            },
            VarRow {
                key: "A".into(),
                value: "2".into(),
                secret: Some(false),
            },
            VarRow {
                key: "1x".into(),
                value: String::new(),
                secret: Some(false),
            },
            VarRow {
                key: "S".into(),
                value: String::new(),
                secret: Some(true),
            },
        ];
        let paths: Vec<String> = errors(&rows).into_iter().map(|e| e.path).collect();
        assert_eq!(
            paths,
            ["variables[1].key", "variables[2].key", "variables[3].value"]
        );
    }
}
