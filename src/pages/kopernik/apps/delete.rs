//! Deleting a container app: the attached-volumes policy, the typed name, and the Action's outcome.
//!
//! The delete outlives the dialog: its Action is handed to the root pending store inside the task,
//! before anything else, so leaving the page mid-request still tracks it under Actions. The task
//! reads no signal; the dialog reads the result from the action's value.

use berth_api::config::Connection;
use berth_api::kopernik::{Action as KAction, ActionState, AttachedVolumesDeletePolicy};
use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::components::confirm::ConfirmByName;
use crate::state::pending::{model, Outcome, PendingKind, PendingStore};

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
    let store = use_context::<PendingStore>();
    let app_name = name.clone();
    let remove = Action::new_local(move |policy: &AttachedVolumesDeletePolicy| {
        let (c, p, u, n, pol) = (
            conn.clone(),
            provider.clone(),
            uid.clone(),
            app_name.clone(),
            policy.clone(),
        );
        async move {
            let result = api::kopernik::delete_container_app(&c, &p, &u, &pol, WAIT_SECS).await;
            if let (Ok(resp), Some(s)) = (&result, store) {
                let now = crate::state::clock::now_ms();
                s.add(model::from_kopernik(
                    &c.id,
                    &p,
                    PendingKind::Delete,
                    &n,
                    &resp.action,
                    now,
                ));
            }
            result.map(|r| r.action)
        }
    });
    let busy = remove.pending();
    let error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let answer = remove.value().with(|v| v.as_ref().map(read));
        match answer {
            Some(Ok(outcome)) => on_done.run(outcome),
            Some(Err(message)) => error.set(Some(message)),
            None => {}
        }
    });
    let confirm = Callback::new(move |_| {
        error.set(None);
        remove.dispatch(policy.get_untracked());
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
