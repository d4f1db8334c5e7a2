//! A container's variables and secrets: its own in an editable table (add, change, remove, paste
//! `KEY=VALUE` lines, a secret toggle for new rows), the inherited ones (project, environment,
//! built-in) read-only. "Save" sends only what changed, one request per variable, and says which
//! failed; a secret's value is never shown (the API never returns it) and is sent only when typed.

use berth_api::config::Connection;
use berth_api::variables::{EnvironmentVariable, EnvironmentVariableRequest, Secret};
use leptos::prelude::*;

use crate::api::qovery::VarKind;
use crate::api::{self, ApiError};
use crate::components::edit_table::EditTable;
use crate::components::error_panel::ErrorPanel;

/// One own variable or secret as the table edits it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct VarRow {
    /// Saved ones have their id; `saved_key`/`saved_value` are what the server holds.
    pub id: Option<String>,
    pub secret: bool,
    pub key: String,
    /// For a saved secret: empty unless the user typed a new value.
    pub value: String,
    pub saved_key: String,
    pub saved_value: String,
}

impl VarRow {
    fn from_variable(v: &EnvironmentVariable) -> VarRow {
        let value = v.value.clone().unwrap_or_default();
        VarRow {
            id: Some(v.id.clone()),
            secret: false,
            key: v.key.clone(),
            value: value.clone(),
            saved_key: v.key.clone(),
            saved_value: value,
        }
    }

    fn from_secret(s: &Secret) -> VarRow {
        VarRow {
            id: Some(s.id.clone()),
            secret: true,
            key: s.key.clone(),
            saved_key: s.key.clone(),
            ..VarRow::default()
        }
    }

    fn kind(&self) -> VarKind {
        if self.secret {
            VarKind::Secret
        } else {
            VarKind::Variable
        }
    }

    fn changed(&self) -> bool {
        self.key != self.saved_key
            || if self.secret {
                !self.value.is_empty()
            } else {
                self.value != self.saved_value
            }
    }
}

/// What a save sends.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Delete {
        kind: VarKind,
        id: String,
        key: String,
    },
    Update {
        kind: VarKind,
        id: String,
        body: EnvironmentVariableRequest,
    },
    Create {
        kind: VarKind,
        body: EnvironmentVariableRequest,
    },
}

/// The requests that turn the server's rows into `rows` (`removed`: saved rows the user took
/// out): deletes first (a key removed and added again is free by then), then edits, then new ones.
/// A saved secret whose value was not retyped keeps its value (the PUT carries none).
pub fn plan(rows: &[VarRow], removed: &[VarRow]) -> Vec<Change> {
    let mut out: Vec<Change> = removed
        .iter()
        .filter_map(|r| {
            r.id.clone().map(|id| Change::Delete {
                kind: r.kind(),
                id,
                key: r.saved_key.clone(),
            })
        })
        .collect();
    let body = |r: &VarRow| EnvironmentVariableRequest {
        key: r.key.trim().to_string(),
        value: (!r.secret || !r.value.is_empty()).then(|| r.value.clone()),
        ..Default::default()
    };
    for r in rows.iter().filter(|r| r.id.is_some() && r.changed()) {
        if let Some(id) = r.id.clone() {
            out.push(Change::Update {
                kind: r.kind(),
                id,
                body: body(r),
            });
        }
    }
    for r in rows.iter().filter(|r| r.id.is_none()) {
        out.push(Change::Create {
            kind: r.kind(),
            body: body(r),
        });
    }
    out
}

/// Each row's errors (key, value) by the rules the server applies; keys must be unique among the
/// container's own variables and secrets.
pub fn check(rows: &[VarRow]) -> Vec<(Option<String>, Option<String>)> {
    rows.iter()
        .enumerate()
        .map(|(i, r)| {
            let key = r.key.trim();
            let taken = |k: &str| {
                rows.iter()
                    .enumerate()
                    .any(|(j, o)| j != i && o.key.trim() == k)
            };
            let mut errors =
                berth_api::rules::qovery_variable(key, Some(&r.value), None, None, taken);
            if r.id.is_none() && r.secret && r.value.is_empty() {
                errors.push(berth_api::error::FieldError::new(
                    "value",
                    "a new secret needs a value",
                ));
            }
            let of = |p: &str| {
                errors
                    .iter()
                    .find(|e| e.path == p)
                    .map(|e| e.message.clone())
            };
            (of("key"), of("value"))
        })
        .collect()
}

/// The own and inherited variables and secrets of a container.
async fn read(
    c: &Connection,
    id: &str,
) -> Result<(Vec<VarRow>, Vec<(String, String, String)>), ApiError> {
    let vars = api::qovery::variables(c, id).await?;
    let secrets = api::qovery::secrets(c, id).await?;
    let mut own: Vec<VarRow> = Vec::new();
    let mut inherited = Vec::new();
    for v in &vars {
        if v.scope.is_service_scope() {
            own.push(VarRow::from_variable(v));
        } else {
            inherited.push((
                v.key.clone(),
                v.value.clone().unwrap_or_default(),
                v.scope.to_string(),
            ));
        }
    }
    for s in &secrets {
        if s.scope.is_service_scope() {
            own.push(VarRow::from_secret(s));
        } else {
            inherited.push((s.key.clone(), "•••••• (secret)".into(), s.scope.to_string()));
        }
    }
    own.sort_by(|a, b| a.key.cmp(&b.key));
    inherited.sort();
    Ok((own, inherited))
}

/// The table after a save, from the server's rows (`own`): every change that failed stays as the
/// user left it (an edit over its saved row, a new row, a removal still to send), so a failed save
/// loses nothing typed and Save tries again. New rows the server has no key for (typed while the
/// save ran) stay too. Answers the rows and the removals still pending.
pub fn after_save(
    local: &[VarRow],
    removed: &[VarRow],
    failed: &[Change],
    own: Vec<VarRow>,
) -> (Vec<VarRow>, Vec<VarRow>) {
    let update_failed = |id: &str| {
        failed
            .iter()
            .any(|c| matches!(c, Change::Update { id: x, .. } if x == id))
    };
    let delete_failed = |id: &str| {
        failed
            .iter()
            .any(|c| matches!(c, Change::Delete { id: x, .. } if x == id))
    };
    let create_failed = |key: &str| {
        failed
            .iter()
            .any(|c| matches!(c, Change::Create { body, .. } if body.key == key.trim()))
    };
    let pending: Vec<VarRow> = removed
        .iter()
        .filter(|r| r.id.as_deref().is_some_and(delete_failed))
        .cloned()
        .collect();
    let mut rows: Vec<VarRow> = own
        .into_iter()
        .filter(|o| !pending.iter().any(|d| d.id == o.id))
        .map(|o| {
            let edit =
                o.id.as_deref()
                    .filter(|id| update_failed(id))
                    .and_then(|id| local.iter().find(|l| l.id.as_deref() == Some(id)));
            match edit {
                Some(l) => VarRow {
                    key: l.key.clone(),
                    value: l.value.clone(),
                    ..o
                },
                None => o,
            }
        })
        .collect();
    let kept: Vec<VarRow> = local
        .iter()
        .filter(|l| {
            l.id.is_none()
                && (create_failed(&l.key) || !rows.iter().any(|o| o.saved_key == l.key.trim()))
        })
        .cloned()
        .collect();
    rows.extend(kept);
    (rows, pending)
}

/// Sends `changes` one by one; answers those that failed, each with "KEY: why".
async fn apply(c: &Connection, id: &str, changes: Vec<Change>) -> Vec<(Change, String)> {
    let mut failed = Vec::new();
    for ch in changes {
        let (key, result) = match &ch {
            Change::Delete { kind, id: var, key } => (
                key.clone(),
                api::qovery::delete_variable(c, id, *kind, var).await,
            ),
            Change::Update {
                kind,
                id: var,
                body,
            } => (
                body.key.clone(),
                api::qovery::save_variable(c, id, *kind, Some(var), body).await,
            ),
            Change::Create { kind, body } => (
                body.key.clone(),
                api::qovery::save_variable(c, id, *kind, None, body).await,
            ),
        };
        if let Err(e) = result {
            failed.push((ch, format!("{key}: {}", e.message)));
        }
    }
    failed
}

#[component]
pub fn Variables(
    conn: StoredValue<Connection>,
    id: String,
    /// Something was saved: the container's status changes (it needs a redeploy).
    on_saved: Callback<()>,
) -> impl IntoView {
    let id = StoredValue::new(id);
    let rows = RwSignal::new(Vec::<VarRow>::new());
    let removed = RwSignal::new(Vec::<VarRow>::new());
    let inherited = RwSignal::new(Vec::<(String, String, String)>::new());
    let load_error = RwSignal::new(None::<ApiError>);
    let loaded = RwSignal::new(false);
    let saving = RwSignal::new(false);
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
    // Not cancelled with the page: a save that started runs to its end.
    let save = Action::new_local(move |changes: &Vec<Change>| {
        let changes = changes.clone();
        let (c, id) = (conn.get_value(), id.get_value());
        async move {
            let n = changes.len();
            let failed = apply(&c, &id, changes).await;
            let ok = n - failed.len();
            saved_note.try_set((ok > 0).then(|| {
                format!(
                    "{ok} change{} saved. Redeploy the container to apply {}.",
                    if ok == 1 { "" } else { "s" },
                    if ok == 1 { "it" } else { "them" }
                )
            }));
            let (failed, messages): (Vec<Change>, Vec<String>) = failed.into_iter().unzip();
            failures.try_set(messages);
            saving.try_set(false);
            if ok > 0 {
                on_saved.run(());
            }
            // Read back what the server holds now, with what failed kept as the user left it.
            if let Ok((own, inh)) = read(&c, &id).await {
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
        }
    });
    let on_save = move |_| {
        shown_errors.set(true);
        if errors.with_untracked(|e| e.iter().any(|(k, v)| k.is_some() || v.is_some())) {
            return;
        }
        let changes = rows.with_untracked(|r| removed.with_untracked(|d| plan(r, d)));
        if changes.is_empty() {
            return;
        }
        saving.set(true);
        failures.set(Vec::new());
        saved_note.set(None);
        save.dispatch_local(changes);
    };
    let add_pasted = Callback::new(move |pairs: Vec<(String, String)>| {
        rows.update(|r| {
            for (k, v) in pairs {
                match r.iter_mut().find(|x| x.key == k) {
                    Some(x) => x.value = v,
                    None => r.push(VarRow {
                        key: k,
                        value: v,
                        ..VarRow::default()
                    }),
                }
            }
        });
    });
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
        <section class="berth-panel" aria-label="Variables">
            <h2>"Variables and secrets"</h2>
            {move || load_error.get().map(|e| view! { <ErrorPanel error=e on_retry=move |_| load() stale=loaded.get()/> })}
            <p class="berth-muted">"Variables of this container. A secret's value is sent to Qovery and never shown again: leave it empty to keep it."</p>
            <EditTable
                caption="Container variables"
                headers=vec!["Key", "Value", "Secret"]
                len=Signal::derive(move || rows.with(Vec::len))
                add_label="Add a variable"
                on_add=Callback::new(move |_| rows.update(|r| r.push(VarRow::default())))
                on_remove=Callback::new(move |i: usize| {
                    let gone = rows.try_update(|r| (i < r.len()).then(|| r.remove(i))).flatten();
                    if let Some(g) = gone.filter(|g| g.id.is_some()) {
                        removed.update(|d| d.push(g));
                    }
                })
                row=Callback::new(move |i: usize| {
                    let get = move |f: fn(&VarRow) -> String| rows.with(|r| r.get(i).map(f).unwrap_or_default());
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
            <crate::components::env_paste::EnvPaste on_pairs=add_pasted/>
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
            {move || {
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
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn saved(key: &str, value: &str, secret: bool) -> VarRow {
        VarRow {
            id: Some(format!("id-{key}")),
            secret,
            key: key.into(),
            value: if secret { String::new() } else { value.into() },
            saved_key: key.into(),
            saved_value: if secret { String::new() } else { value.into() },
        }
    }

    #[test]
    fn a_save_sends_only_what_changed_deletes_first() {
        let mut edited = saved("MODE", "dev", false);
        edited.value = "prod".into();
        let untouched = saved("LEVEL", "info", false);
        let secret_kept = saved("TOKEN", "", true);
        let mut secret_new = saved("PASSWORD", "", true);
        secret_new.value = "s3cret".into();
        let new = VarRow {
            key: "NEW".into(),
            value: "1".into(),
            ..VarRow::default()
        };
        let gone = saved("OLD", "x", false);
        let rows = [edited, untouched, secret_kept, secret_new, new];
        let plan = plan(&rows, &[gone]);
        assert_eq!(plan.len(), 4, "{plan:?}");
        assert!(matches!(&plan[0], Change::Delete { key, .. } if key == "OLD"));
        assert!(
            matches!(&plan[1], Change::Update { body, kind: VarKind::Variable, .. } if body.value.as_deref() == Some("prod"))
        );
        assert!(
            matches!(&plan[2], Change::Update { body, kind: VarKind::Secret, .. } if body.value.as_deref() == Some("s3cret"))
        );
        assert!(matches!(&plan[3], Change::Create { body, .. } if body.key == "NEW"));
    }

    #[test]
    fn after_a_save_what_failed_stays_as_the_user_left_it() {
        let mut edited_ok = saved("MODE", "dev", false);
        edited_ok.value = "prod".into();
        let mut edited_bad = saved("LEVEL", "info", false);
        edited_bad.value = "loud".into();
        let new_ok = VarRow {
            key: "NEW".into(),
            value: "1".into(),
            ..VarRow::default()
        };
        let new_bad = VarRow {
            key: "BAD".into(),
            value: "2".into(),
            ..VarRow::default()
        };
        let (gone_ok, gone_bad) = (saved("OLD", "x", false), saved("STUCK", "y", false));
        let local = [edited_ok, edited_bad, new_ok, new_bad];
        let removed = [gone_ok, gone_bad.clone()];
        let all = plan(&local, &removed);
        let failed: Vec<Change> = all
            .into_iter()
            .filter(|c| match c {
                Change::Delete { key, .. } => key == "STUCK",
                Change::Update { body, .. } | Change::Create { body, .. } => {
                    body.key == "LEVEL" || body.key == "BAD"
                }
            })
            .collect();
        assert_eq!(failed.len(), 3, "{failed:?}");
        // What the server holds after the save: MODE and NEW saved, LEVEL and STUCK unchanged.
        let own = vec![
            saved("LEVEL", "info", false),
            saved("MODE", "prod", false),
            saved("NEW", "1", false),
            saved("STUCK", "y", false),
        ];
        let (rows, pending) = after_save(&local, &removed, &failed, own);
        let keys: Vec<(&str, &str)> = rows
            .iter()
            .map(|r| (r.key.as_str(), r.value.as_str()))
            .collect();
        assert_eq!(
            keys,
            [
                ("LEVEL", "loud"),
                ("MODE", "prod"),
                ("NEW", "1"),
                ("BAD", "2")
            ]
        );
        // The failed edit is still an edit (Save sends it again), the failed removal still pending.
        assert!(rows[0].changed() && rows[0].id.is_some());
        assert!(!rows[1].changed());
        assert_eq!(pending, std::slice::from_ref(&gone_bad));
        let again = plan(&rows, &pending);
        assert_eq!(again.len(), 3, "{again:?}");
    }

    #[test]
    fn a_renamed_secret_keeps_its_value() {
        let mut s = saved("TOKEN", "", true);
        s.key = "API_TOKEN".into();
        let plan = plan(&[s], &[]);
        assert!(
            matches!(&plan[0], Change::Update { body, .. } if body.key == "API_TOKEN" && body.value.is_none())
        );
    }

    #[test]
    fn errors_name_the_row_and_the_field() {
        let rows = [
            VarRow {
                key: "A".into(),
                value: "1".into(),
                ..VarRow::default()
            },
            VarRow {
                key: "A".into(),
                value: "2".into(),
                ..VarRow::default()
            },
            VarRow {
                key: "1BAD".into(),
                ..VarRow::default()
            },
            VarRow {
                key: "S".into(),
                secret: true,
                ..VarRow::default()
            },
            saved("KEPT", "", true),
        ];
        let e = check(&rows);
        assert!(
            e[0].0
                .as_deref()
                .is_some_and(|m| m.contains("already used")),
            "{e:?}"
        );
        assert!(e[1].0.is_some());
        assert!(
            e[2].0
                .as_deref()
                .is_some_and(|m| m.contains("must start with a letter")),
            "{e:?}"
        );
        assert_eq!(e[3].1.as_deref(), Some("a new secret needs a value"));
        assert_eq!(e[4], (None, None), "a saved secret may stay empty");
    }
}
