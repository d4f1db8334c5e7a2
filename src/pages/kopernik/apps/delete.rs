//! Deleting a container app: the attached-volumes policy, the typed name, and the Action's outcome.
//!
//! The delete is an operation (`ops::kopernik::delete`): it outlives the dialog and its Action is
//! followed by the root pending store, so leaving the page mid-request still tracks it under
//! Actions; the dialog hears the answer only while it is there.

use berth_api::config::Connection;
use berth_api::kopernik::{Action as KAction, ActionState, AttachedVolumesDeletePolicy};
use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::components::confirm::ConfirmByName;
use crate::ops::kopernik::App;
use crate::state::pending::Outcome;

/// How long the server may take before answering with the Action still running.
const WAIT_SECS: u32 = 10;

/// What the dialog does with an answer: close with the operation's outcome (the one every action
/// has: `Some(Success)` deleted, `None` still running when the wait ended), or stay open with an
/// error.
fn read(result: &Result<KAction, ApiError>) -> Result<Option<Outcome>, String> {
    match result {
        Ok(action) => match &action.state {
            ActionState::Success => Ok(Some(Outcome::Success)),
            s if s.is_failure() => Err(format!(
                "The delete {}: {}",
                if *s == ActionState::Failed {
                    "failed"
                } else {
                    "was rolled back"
                },
                action.reason.as_deref().unwrap_or("no reason given")
            )),
            _ => Ok(None),
        },
        Err(e) => Err(api::describe(e)),
    }
}

/// What becomes of an app's attached volumes: kept (the default) or deleted with it.
#[component]
pub(super) fn VolumePolicy(
    policy: RwSignal<AttachedVolumesDeletePolicy>,
    /// The radio group's name, unique in the page.
    #[prop(default = "berth-volume-policy")]
    group: &'static str,
    #[prop(default = "Attached volumes")] legend: &'static str,
) -> impl IntoView {
    let radio = move |value: AttachedVolumesDeletePolicy, label: &'static str, danger: bool| {
        let v = value.clone();
        view! {
            <label class="berth-radio" class:berth-danger=danger>
                <input
                    type="radio"
                    name=group
                    value=value.as_str().to_string()
                    prop:checked=move || policy.get() == v
                    on:change=move |_| policy.set(value.clone())
                />
                {label}
            </label>
        }
    };
    view! {
        <style>".berth .berth-fieldset{border:1px solid var(--b-border);border-radius:6px;padding:8px 12px;margin:12px 0 0}.berth .berth-fieldset legend{font-size:13px;padding:0 4px}"</style>
        <fieldset class="berth-fieldset">
            <legend>{legend}</legend>
            {radio(AttachedVolumesDeletePolicy::Retain, "Keep the volumes (retain)", false)}
            {radio(AttachedVolumesDeletePolicy::Delete, "Delete the volumes and their data", true)}
        </fieldset>
    }
}

#[component]
pub fn DeleteApp(
    conn: Connection,
    provider: String,
    uid: String,
    name: String,
    on_done: Callback<Option<Outcome>>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let policy = RwSignal::new(AttachedVolumesDeletePolicy::Retain);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let app = App {
        uid,
        name: name.clone(),
    };
    let confirm = Callback::new(move |_| {
        error.set(None);
        let on_done = move |mut answers: Vec<(App, Result<Option<KAction>, ApiError>)>| {
            busy.try_set(false);
            // A 404: the app was already gone, which is what a delete is for.
            let result = match answers.pop() {
                Some((_, Ok(Some(a)))) => read(&Ok(a)),
                Some((_, Ok(None))) => Ok(Some(Outcome::Success)),
                Some((_, Err(e))) => read(&Err(e)),
                None => Ok(None),
            };
            match result {
                Ok(outcome) => {
                    on_done.try_run(outcome);
                }
                Err(message) => {
                    error.try_set(Some(message));
                }
            }
        };
        let started = crate::ops::kopernik::delete(
            conn.clone(),
            provider.clone(),
            vec![app.clone()],
            policy.get_untracked(),
            WAIT_SECS,
            on_done,
        );
        match started {
            Ok(()) => busy.set(true),
            Err(refused) => error.set(Some(refused.to_string())),
        }
    });
    view! {
        <ConfirmByName
            title=format!("Delete container app {name}?")
            name=name.clone()
            busy=busy
            error=error
            on_confirm=confirm
            on_cancel=on_cancel
        >
            <VolumePolicy policy=policy/>
        </ConfirmByName>
    }
}

/// The list's dialog for the app being deleted (`deleting`: its uid and name), while there is
/// one; what came of it shows in the list's `notice`.
#[component]
pub(super) fn DeleteDialog(
    conn: StoredValue<Connection>,
    provider: StoredValue<String>,
    rows: RwSignal<Vec<super::AppRow>>,
    deleting: RwSignal<Option<(String, String)>>,
    notice: RwSignal<Option<String>>,
) -> impl IntoView {
    view! {
        {move || deleting.get().map(|(uid, name)| {
            let removed = uid.clone();
            view! {
                <DeleteApp
                    conn=conn.get_value()
                    provider=provider.get_value()
                    uid=uid
                    name=name.clone()
                    on_cancel=Callback::new(move |_| deleting.set(None))
                    on_done=Callback::new(move |outcome: Option<Outcome>| {
                        match outcome {
                            Some(Outcome::Success) => {
                                rows.update(|r| r.retain(|x| x.app.uid != removed));
                                notice.set(Some(format!("{name} was deleted.")));
                            }
                            _ => {
                                rows.update(|r| if let Some(x) = r.iter_mut().find(|x| x.app.uid == removed) {
                                    let mut app = x.app.clone();
                                    app.status = "deleting".into();
                                    *x = super::AppRow::new(app);
                                });
                                notice.set(Some(format!("Deleting {name}: still running on the provider.")));
                            }
                        }
                        deleting.set(None);
                    })
                />
            }
        })}
    }
}
