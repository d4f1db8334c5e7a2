//! The form's submit: an edit checked against the copy it was made over, the container created
//! or saved, its variables set, then (on request) deployed; and what the form shows of it.

use berth_api::error::reason_to_errors;
use berth_api::qovery::ServiceAction;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use super::conflict::{self, BeforePut};
use super::draft::QDraft;
use super::kept::KeptDraft;
use super::{back_to, var_rows, Context};
use crate::api;
use crate::components::form::{focus_summary, Form};
use crate::components::link::base;
use crate::components::submit_error::SubmitError;
use crate::ops::qovery::create::{self, Saved};
use crate::state::pending::PendingKind;
use crate::state::storage::{self, Area};

/// What the form shows of a submit, and the submit itself.
#[derive(Clone, Copy)]
pub(super) struct Submit {
    pub top_error: RwSignal<Option<SubmitError>>,
    /// What the submit is doing now.
    pub step: RwSignal<Option<&'static str>>,
    /// A container created, then not deployed: the user stays here and gets a link to it.
    pub created: RwSignal<Option<String>>,
    /// The server's copy when Save found it changed: nothing is sent until the user chooses.
    pub theirs: RwSignal<Option<QDraft>>,
    pub busy: Memo<bool>,
    /// Checks the form and sends it; `true`: deploy once saved.
    pub save: Callback<bool>,
}

pub(super) fn use_submit(ctx: StoredValue<Context>, kept: KeptDraft, form: Form) -> Submit {
    let KeptDraft {
        draft, opened, key, ..
    } = kept;
    let (limits, editing) = ctx.with_value(|c| (c.limits, c.existing.is_some()));
    let theirs = RwSignal::new(None::<QDraft>);
    let top_error = RwSignal::new(None::<SubmitError>);
    let step = RwSignal::new(None::<&'static str>);
    let created = RwSignal::new(None::<String>);
    // Read here: the save runs in a task, outside the component's owner.
    let store = use_context::<crate::state::pending::PendingStore>();
    let navigate = use_navigate();
    // Not cancelled when the page goes: a create or save that reached the server must finish,
    // and its deploy must be tracked. So the task reads no signal and writes only through `try_`
    // (nothing happens on a page that is gone), and moves the user only if they are still here.
    #[allow(clippy::type_complexity)]
    let submit = Action::new_local(
        move |(req, deploy, snapshot): &(berth_api::qovery::ContainerRequest, bool, QDraft)| {
            let (req, deploy, snapshot) = (req.clone(), *deploy, snapshot.clone());
            let c = ctx.get_value();
            // An edit is checked against the copy it was made over before anything is sent.
            let check = c
                .existing
                .as_ref()
                .map(|(id, _)| (id.clone(), opened.get_untracked(), draft.get_untracked()));
            let draft_key = key.get_value();
            let navigate = navigate.clone();
            async move {
                if let Some((id, opened, mine)) = check {
                    match api::qovery::container(&c.conn, &id).await {
                        Ok((now, _)) => {
                            let now = QDraft::from_container(&now);
                            if conflict::before_put(&opened, &now, &mine) == BeforePut::Review {
                                theirs.try_set(Some(now));
                                return;
                            }
                        }
                        Err(e) => {
                            let mut err = SubmitError::of(&e);
                            err.text = format!("Nothing was sent: the container could not be read again to check that nobody changed it meanwhile. {}", err.text);
                            top_error.try_set(Some(err));
                            return;
                        }
                    }
                }
                let existing = c.existing.as_ref().map(|(id, _)| id.clone());
                // A container this form already created (its variables failed) is not created again.
                let saved = match snapshot.created.clone() {
                    Some((id, name)) if existing.is_none() => Ok(Saved { id, name }),
                    _ => create::save_container(&c.conn, &c.env, existing.as_deref(), &req).await,
                };
                match saved {
                    Ok(saved) => {
                        step.try_set(Some("Setting the variables…"));
                        let failed = create::import_variables(
                            &c.conn,
                            &saved.id,
                            var_rows::import_request(&snapshot.vars),
                        )
                        .await;
                        step.try_set(None);
                        if !failed.is_empty() {
                            variables_failed(
                                store, &c.conn.id, &saved, &failed, snapshot, &draft_key, draft,
                                created, top_error,
                            );
                            return;
                        }
                        let deployed = if deploy {
                            let subject = crate::ops::qovery::Subject {
                                id: saved.id.clone(),
                                name: saved.name.clone(),
                                state: None,
                                last_deployment: None,
                            };
                            crate::ops::qovery::act_now(
                                store,
                                &c.conn,
                                subject,
                                ServiceAction::Deploy,
                                None,
                            )
                            .await
                            .map(|_| ())
                        } else {
                            Ok(())
                        };
                        // Still on this page (its signals live)?
                        let here = created.try_get_untracked().is_some();
                        match deployed {
                            Ok(()) => {
                                storage::remove(Area::Session, &draft_key);
                                if here {
                                    navigate(&base().href(&back_to(&c)), Default::default());
                                }
                            }
                            // The failure is shown where the user is, with the draft kept; a
                            // user who left gets it as a failed action (toast, actions page).
                            Err(why) if !here => crate::ops::qovery::record_failed(
                                store,
                                &c.conn.id,
                                &saved.id,
                                &saved.name,
                                PendingKind::Deploy,
                                format!("the deploy request failed: {why}"),
                            ),
                            Err(why) => {
                                created.try_set(Some(saved.id.clone()));
                                top_error.try_set(Some(SubmitError::text(format!(
                                    "{} was created, but its deploy failed: {why}. Your draft is kept; open the container to deploy it.",
                                    saved.name,
                                ))));
                            }
                        }
                    }
                    Err(e) if matches!(e.status, Some(400) | Some(409)) => {
                        let (fields, top) = reason_to_errors(&e.message);
                        form.server.try_set(fields);
                        let top = top.unwrap_or_else(|| "The server refused the request; the fields it named are marked. Your input is kept.".into());
                        top_error.try_set(Some(SubmitError::text(top)));
                    }
                    // A refused token included: the user stays on the form, with a link to fix it.
                    Err(e) => {
                        top_error.try_set(Some(SubmitError::of(&e)));
                    }
                }
            }
        },
    );
    let busy = submit.pending();
    let save = move |deploy: bool| {
        form.show_all.set(true);
        top_error.set(None);
        theirs.set(None);
        let (req, errs) = draft.with_untracked(|d| d.request(&limits));
        if !errs.is_empty() {
            focus_summary();
            return;
        }
        step.set(Some(if draft.with_untracked(|d| d.created.is_some()) {
            "Setting the variables…"
        } else if editing {
            "Saving…"
        } else {
            "Creating the container…"
        }));
        submit.dispatch_local((req, deploy, draft.get_untracked()));
    };
    Submit {
        top_error,
        step,
        created,
        theirs,
        busy,
        save: Callback::new(save),
    }
}

/// Some variables were not set on the created container: they stay in the form (and its draft)
/// with the container's id, so Create sends only them; nothing is deployed. A user who left
/// finds them in the draft, and the failure under Actions.
#[allow(clippy::too_many_arguments)]
fn variables_failed(
    store: Option<crate::state::pending::PendingStore>,
    conn: &str,
    saved: &Saved,
    failed: &[(String, String)],
    mut snapshot: QDraft,
    draft_key: &str,
    draft: RwSignal<QDraft>,
    created: RwSignal<Option<String>>,
    top_error: RwSignal<Option<SubmitError>>,
) {
    let keys: Vec<&str> = failed.iter().map(|(k, _)| k.as_str()).collect();
    let list = failed
        .iter()
        .map(|(k, why)| format!("{k} ({why})"))
        .collect::<Vec<_>>()
        .join(", ");
    let text = format!(
        "{} was created, but {} variable(s) were not set: {list}. They stay in the form: fix them and press Create again to set only them (the container is not created again). Nothing was deployed.",
        saved.name,
        failed.len()
    );
    let made = Some((saved.id.clone(), saved.name.clone()));
    if created.try_set(Some(saved.id.clone())).is_none() {
        // Still on the form: it shows the rows left and why.
        draft.try_update(|d| {
            d.vars.retain(|v| keys.contains(&v.key.as_str()));
            d.created = made;
        });
        top_error.try_set(Some(SubmitError::text(text)));
        return;
    }
    snapshot.vars.retain(|v| keys.contains(&v.key.as_str()));
    snapshot.created = made;
    if let Ok(t) = serde_json::to_string(&snapshot) {
        let _ = storage::set(Area::Session, draft_key, &t);
    }
    crate::ops::qovery::record_failed(
        store,
        conn,
        &saved.id,
        &saved.name,
        PendingKind::Create,
        format!("variables not set: {list}"),
    );
}
