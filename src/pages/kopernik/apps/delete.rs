//! Deleting a container app: the attached-volumes policy, the typed name, and the Action's outcome.

use berth_api::config::Connection;
use berth_api::kopernik::{ActionState, AttachedVolumesDeletePolicy};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::components::confirm::ConfirmByName;

/// How long the server may take before answering with the Action still running.
const WAIT_SECS: u32 = 10;

/// What became of a delete the user confirmed.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Deleted,
    /// The Action was still going when the wait ended.
    Running,
}

#[component]
pub fn DeleteApp(
    conn: Connection,
    provider: String,
    uid: String,
    name: String,
    on_done: Callback<Outcome>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let policy = RwSignal::new(AttachedVolumesDeletePolicy::Retain);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let store = use_context::<crate::state::pending::PendingStore>();
    let app_name = name.clone();
    let confirm = Callback::new(move |_| {
        busy.set(true);
        error.set(None);
        let (c, p, u, pol) = (
            conn.clone(),
            provider.clone(),
            uid.clone(),
            policy.get_untracked(),
        );
        let app_name = app_name.clone();
        spawn_local(async move {
            let result = api::kopernik::delete_container_app(&c, &p, &u, &pol, WAIT_SECS).await;
            if let (Ok(resp), Some(s)) = (&result, store) {
                let now = crate::state::clock::now_ms();
                s.add(crate::state::pending::model::from_kopernik(
                    &c.id,
                    &p,
                    "delete",
                    &app_name,
                    &resp.action,
                    now,
                ));
            }
            match result {
                Ok(resp) => match resp.action.state {
                    ActionState::Success => on_done.run(Outcome::Deleted),
                    s if s.is_failure() => error.set(Some(format!(
                        "The delete {}: {}",
                        if s == ActionState::Failed {
                            "failed"
                        } else {
                            "was rolled back"
                        },
                        resp.action
                            .reason
                            .unwrap_or_else(|| "no reason given".into())
                    ))),
                    _ => on_done.run(Outcome::Running),
                },
                Err(e) => error.set(Some(format!(
                    "{} ({})",
                    e.message,
                    e.status
                        .map(|s| format!("HTTP {s}"))
                        .unwrap_or_else(|| "no answer".into())
                ))),
            }
            busy.set(false);
        });
    });
    let radio = move |value: AttachedVolumesDeletePolicy, label: &'static str, danger: bool| {
        let v = value.clone();
        view! {
            <label class="berth-radio" class:berth-danger=danger>
                <input
                    type="radio"
                    name="berth-volume-policy"
                    value=value.as_str().to_string()
                    prop:checked=move || policy.get() == v
                    on:change=move |_| policy.set(value.clone())
                />
                {label}
            </label>
        }
    };
    view! {
        <ConfirmByName
            title=format!("Delete container app {name}?")
            name=name.clone()
            busy=busy
            error=error
            on_confirm=confirm
            on_cancel=on_cancel
        >
            <fieldset class="berth-fieldset">
                <legend>"Attached volumes"</legend>
                {radio(AttachedVolumesDeletePolicy::Retain, "Keep the volumes (retain)", false)}
                {radio(AttachedVolumesDeletePolicy::Delete, "Delete the volumes and their data", true)}
            </fieldset>
        </ConfirmByName>
    }
}
