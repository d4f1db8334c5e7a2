//! Saving a container's own variables and secrets: what a save sends (only the changes, one
//! request each), the rules a row must meet, and the table after the save. The save is an
//! operation: started once (Save is refused while one runs), it outlives the tab, and a change
//! whose answer was lost is settled by the re-read instead of being reported as failed.

use berth_api::config::Connection;
use berth_api::variables::{EnvironmentVariable, EnvironmentVariableRequest, Secret};
use leptos::task::spawn_local;

use crate::api::qovery::VarKind;
use crate::api::{self, ApiError};

/// One own variable or secret as the table edits it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EditedVar {
    /// Saved ones have their id; `saved_key`/`saved_value` are what the server holds.
    pub id: Option<String>,
    pub secret: bool,
    pub key: String,
    /// For a saved secret: empty unless the user typed a new value.
    pub value: String,
    pub saved_key: String,
    pub saved_value: String,
}

impl EditedVar {
    fn from_variable(v: &EnvironmentVariable) -> EditedVar {
        let value = v.value.clone().unwrap_or_default();
        EditedVar {
            id: Some(v.id.clone()),
            secret: false,
            key: v.key.clone(),
            value: value.clone(),
            saved_key: v.key.clone(),
            saved_value: value,
        }
    }

    fn from_secret(s: &Secret) -> EditedVar {
        EditedVar {
            id: Some(s.id.clone()),
            secret: true,
            key: s.key.clone(),
            saved_key: s.key.clone(),
            ..EditedVar::default()
        }
    }

    pub fn kind(&self) -> VarKind {
        if self.secret {
            VarKind::Secret
        } else {
            VarKind::Variable
        }
    }

    pub fn changed(&self) -> bool {
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
pub fn plan(rows: &[EditedVar], removed: &[EditedVar]) -> Vec<Change> {
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
    let body = |r: &EditedVar| EnvironmentVariableRequest {
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
pub fn check(rows: &[EditedVar]) -> Vec<(Option<String>, Option<String>)> {
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
pub async fn read(
    c: &Connection,
    id: &str,
) -> Result<(Vec<EditedVar>, Vec<(String, String, String)>), ApiError> {
    let vars = api::qovery::variables(c, id).await?;
    let secrets = api::qovery::secrets(c, id).await?;
    let mut own: Vec<EditedVar> = Vec::new();
    let mut inherited = Vec::new();
    for v in &vars {
        if v.scope.is_service_scope() {
            own.push(EditedVar::from_variable(v));
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
            own.push(EditedVar::from_secret(s));
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
    local: &[EditedVar],
    removed: &[EditedVar],
    failed: &[Change],
    own: Vec<EditedVar>,
) -> (Vec<EditedVar>, Vec<EditedVar>) {
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
    let pending: Vec<EditedVar> = removed
        .iter()
        .filter(|r| r.id.as_deref().is_some_and(delete_failed))
        .cloned()
        .collect();
    let mut rows: Vec<EditedVar> = own
        .into_iter()
        .filter(|o| !pending.iter().any(|d| d.id == o.id))
        .map(|o| {
            let edit =
                o.id.as_deref()
                    .filter(|id| update_failed(id))
                    .and_then(|id| local.iter().find(|l| l.id.as_deref() == Some(id)));
            match edit {
                Some(l) => EditedVar {
                    key: l.key.clone(),
                    value: l.value.clone(),
                    ..o
                },
                None => o,
            }
        })
        .collect();
    let kept: Vec<EditedVar> = local
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

/// Sends `changes` one by one; answers those that failed, each with "KEY: why" and whether its
/// answer was lost (it may have happened). A delete answered 404 is done: the variable is gone.
async fn apply(c: &Connection, id: &str, changes: Vec<Change>) -> Vec<(Change, String, bool)> {
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
        match result {
            Err(e) if e.status == Some(404) && matches!(ch, Change::Delete { .. }) => {}
            Err(e) => {
                let lost = crate::ops::answer_lost(&e);
                failed.push((ch, format!("{key}: {}", e.message), lost));
            }
            Ok(_) => {}
        }
    }
    failed
}

/// Pasted `KEY=VALUE` lines into the table: a key already there takes the new value; a new key
/// is a new row, secret when its name or value looks like one (`berth_api::secrets`), so a
/// pasted password is never sent as a plain variable unless the user unticks it.
pub fn paste(rows: &mut Vec<EditedVar>, pairs: Vec<(String, String)>) {
    for (key, value) in pairs {
        let secret = berth_api::secrets::is_secret(&key, &value);
        match rows.iter_mut().find(|x| x.key == key) {
            Some(x) => {
                // A saved row keeps its kind (the API cannot change it); a new one may become secret.
                x.secret = x.secret || (x.id.is_none() && secret);
                x.value = value;
            }
            None => rows.push(EditedVar {
                key,
                value,
                secret,
                ..EditedVar::default()
            }),
        }
    }
}

/// An inherited variable as the tab lists it: key, value (masked for a secret), scope.
pub type Inherited = (String, String, String);

/// How a save ended, for the tab (if it is still open) and the toast.
#[derive(Clone, Debug, Default)]
pub struct Saved {
    pub ok: usize,
    /// The changes that did not happen, each with "KEY: why".
    pub failed: Vec<(Change, String)>,
    /// What the server holds after the save (own rows, inherited), when it could be read.
    pub read: Option<(Vec<EditedVar>, Vec<Inherited>)>,
}

fn key(conn: &str, id: &str) -> String {
    format!("q:{conn}:{id}:variables")
}

/// Whether a save of the container's variables is running (reactive).
pub fn saving(conn: &str, id: &str) -> bool {
    crate::ops::is_sending(crate::ops::store(), &key(conn, id))
}

/// Sends `changes`, then reads the variables back; `on_done` hears the result once both ended
/// (the save counts as running until then, so a second Save cannot send the same changes
/// again). Lost answers are settled by that read. Refused while a save of the same container runs.
pub fn save(
    conn: Connection,
    id: String,
    name: String,
    changes: Vec<Change>,
    on_done: impl FnOnce(Saved) + 'static,
) -> Result<(), crate::ops::Refused> {
    let store = crate::ops::store();
    let sending = crate::ops::begin(
        store,
        vec![key(&conn.id, &id)],
        &format!("The variables of {name}"),
    )?;
    spawn_local(async move {
        let _sending = sending;
        let n = changes.len();
        let failed = apply(&conn, &id, changes).await;
        let read = read(&conn, &id).await.ok();
        let failed = match &read {
            Some((own, _)) => settle_lost(failed, own),
            None => failed.into_iter().map(|(c, m, _)| (c, m)).collect(),
        };
        let saved = Saved {
            ok: n - failed.len(),
            failed,
            read,
        };
        if let Some(s) = store {
            s.notify(summary(&name, &saved), !saved.failed.is_empty());
        }
        on_done(saved);
    });
    Ok(())
}

/// The toast of a save: said even when the tab is gone.
pub fn summary(name: &str, saved: &Saved) -> String {
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    match saved.failed.len() {
        0 => format!(
            "Variables of {name}: {} change{} saved",
            saved.ok,
            plural(saved.ok)
        ),
        f => format!(
            "Variables of {name}: {} saved, {f} not saved ({})",
            saved.ok,
            saved
                .failed
                .iter()
                .map(|(_, m)| m.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        ),
    }
}

/// The failures that really failed: a change whose answer was lost counts as done when the
/// server's rows (`own`, read after the save) show it done.
pub fn settle_lost(
    failed: Vec<(Change, String, bool)>,
    own: &[EditedVar],
) -> Vec<(Change, String)> {
    failed
        .into_iter()
        .filter(|(change, _, lost)| !*lost || !shows_done(change, own))
        .map(|(c, m, _)| (c, m))
        .collect()
}

fn shows_done(change: &Change, own: &[EditedVar]) -> bool {
    match change {
        Change::Delete { id, .. } => !own.iter().any(|o| o.id.as_deref() == Some(id.as_str())),
        Change::Create { kind, body } => own
            .iter()
            .any(|o| o.kind() == *kind && o.saved_key == body.key),
        Change::Update { id, body, .. } => own.iter().any(|o| {
            o.id.as_deref() == Some(id.as_str())
                && o.saved_key == body.key
                && (o.secret || Some(&o.saved_value) == body.value.as_ref())
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn saved(key: &str, value: &str, secret: bool) -> EditedVar {
        EditedVar {
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
        let new = EditedVar {
            key: "NEW".into(),
            value: "1".into(),
            ..EditedVar::default()
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
        let new_ok = EditedVar {
            key: "NEW".into(),
            value: "1".into(),
            ..EditedVar::default()
        };
        let new_bad = EditedVar {
            key: "BAD".into(),
            value: "2".into(),
            ..EditedVar::default()
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
            EditedVar {
                key: "A".into(),
                value: "1".into(),
                ..EditedVar::default()
            },
            EditedVar {
                key: "A".into(),
                value: "2".into(),
                ..EditedVar::default()
            },
            EditedVar {
                key: "1BAD".into(),
                ..EditedVar::default()
            },
            EditedVar {
                key: "S".into(),
                secret: true,
                ..EditedVar::default()
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

    #[test]
    fn pasted_secrets_are_marked_secret() {
        let mut rows = vec![saved("MODE", "dev", false)];
        paste(
            &mut rows,
            vec![
                ("MODE".into(), "prod".into()),
                ("DB_PASS".into(), "hunter2".into()),
                ("APIKEY".into(), "k".into()),
                (
                    "DATABASE_URL".into(),
                    "postgres://app:hunter2@db/app".into(),
                ),
                ("LOG_LEVEL".into(), "info".into()),
            ],
        );
        let secret: Vec<(&str, bool)> = rows.iter().map(|r| (r.key.as_str(), r.secret)).collect();
        assert_eq!(
            secret,
            [
                ("MODE", false),
                ("DB_PASS", true),
                ("APIKEY", true),
                ("DATABASE_URL", true),
                ("LOG_LEVEL", false)
            ]
        );
        assert_eq!(rows[0].value, "prod");
        let plan = plan(&rows, &[]);
        let secrets = plan
            .iter()
            .filter(|c| {
                matches!(
                    c,
                    Change::Create {
                        kind: VarKind::Secret,
                        ..
                    }
                )
            })
            .count();
        assert_eq!(secrets, 3, "{plan:?}");
    }

    #[test]
    fn a_lost_change_the_server_shows_done_is_not_a_failure() {
        let new = EditedVar {
            key: "NEW".into(),
            value: "1".into(),
            ..EditedVar::default()
        };
        let other = EditedVar {
            key: "OTHER".into(),
            value: "2".into(),
            ..EditedVar::default()
        };
        let mut edited = saved("MODE", "dev", false);
        edited.value = "prod".into();
        let gone = saved("OLD", "x", false);
        let changes = plan(&[new, other, edited], &[gone]);
        assert_eq!(changes.len(), 4, "{changes:?}");
        // Every answer was lost; the server shows NEW created, MODE updated and OLD deleted, but
        // not OTHER: only OTHER failed.
        let failed: Vec<(Change, String, bool)> = changes
            .into_iter()
            .map(|c| (c, "lost".to_string(), true))
            .collect();
        let own = vec![saved("MODE", "prod", false), saved("NEW", "1", false)];
        let left = settle_lost(failed.clone(), &own);
        assert_eq!(left.len(), 1, "{left:?}");
        assert!(matches!(&left[0].0, Change::Create { body, .. } if body.key == "OTHER"));
        // A failure that was answered (not lost) stays a failure whatever the server shows.
        let answered: Vec<(Change, String, bool)> =
            failed.into_iter().map(|(c, m, _)| (c, m, false)).collect();
        assert_eq!(settle_lost(answered, &own).len(), 4);
    }
}
