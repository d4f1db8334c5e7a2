//! Acting on the selected containers at once: the bulk bar with Deploy / Restart / Stop / Delete;
//! one confirmation for the batch (typed for a delete), one request
//! (`/environment/{id}/service/...`, all or nothing), then each container tracked by the root
//! pending store like a single action. An action is offered only when every selected row's state
//! allows it; otherwise the bar says which rows block it.

use berth_api::config::Connection;
use berth_api::qovery::ServiceAction;
use leptos::prelude::*;

use super::ContainerRow;
use crate::components::bulk_bar::{self, Batch};
use crate::ops::qovery::Subject;
use crate::ops::words::qovery_state;
use crate::state::selection::Selection;

const ACTIONS: [(ServiceAction, &str); 4] = [
    (ServiceAction::Deploy, "Deploy"),
    (ServiceAction::Restart, "Restart"),
    (ServiceAction::Stop, "Stop"),
    (ServiceAction::Delete, "Delete"),
];

/// The selected containers as the list showed them when the batch was asked for.
fn picked(rows: &[ContainerRow], ids: &[String]) -> Vec<Subject> {
    rows.iter()
        .filter(|r| ids.contains(&r.c.id))
        .map(|r| Subject {
            id: r.c.id.clone(),
            name: r.c.name.clone(),
            state: r.state.clone(),
            last_deployment: r.last_deployment.clone(),
        })
        .collect()
}

/// The picked rows whose state does not allow `action`: "worker (deployment error)".
fn blockers(action: ServiceAction, picked: &[Subject]) -> Vec<String> {
    picked
        .iter()
        .filter(|p| !p.state.as_ref().is_some_and(|s| action.allowed_in(s)))
        .map(|p| {
            let state = p
                .state
                .as_ref()
                .map(|s| crate::text::lower(&qovery_state(s).0))
                .unwrap_or_else(|| "unknown state".into());
            format!("{} ({state})", p.name)
        })
        .collect()
}

#[component]
pub fn BulkBar(
    selection: Selection,
    rows: RwSignal<Vec<ContainerRow>>,
    /// The ids the table shows (after search and filter), in its order.
    shown: Memo<Vec<String>>,
    conn: StoredValue<Connection>,
    env: Memo<String>,
    /// Called once a batch was accepted (the list reloads).
    on_sent: Callback<()>,
) -> impl IntoView {
    let asking = RwSignal::new(None::<(ServiceAction, Vec<Subject>)>);
    let blocked = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    // A note about blocking rows is about the selection it was made for.
    Effect::new(move |_| {
        selection.ids.track();
        blocked.set(None);
    });
    let busy = RwSignal::new(false);
    // The batch outlives the page (ops::qovery::bulk); the bar hears its answer while it is there.
    let send = move |c: Connection, env: String, action: ServiceAction, picked: Vec<Subject>| {
        let ids: Vec<String> = picked.iter().map(|p| p.id.clone()).collect();
        let on_done = move |result: Result<(), String>| {
            match result {
                Ok(()) => {
                    if action == ServiceAction::Delete {
                        rows.try_update(|r| r.retain(|x| !ids.contains(&x.c.id)));
                    }
                    selection.ids.try_update(|s| s.retain(|x| !ids.contains(x)));
                    asking.try_set(None);
                    on_sent.try_run(());
                }
                // The selection stays: the user may retry or change it.
                Err(message) => {
                    error.try_set(Some(message));
                }
            }
            busy.try_set(false);
        };
        match crate::ops::qovery::bulk(c, env, action, picked, on_done) {
            Ok(()) => busy.set(true),
            Err(refused) => error.set(Some(refused.to_string())),
        }
    };
    let ask = move |action: ServiceAction| {
        error.set(None);
        let ids = selection.ids.get_untracked();
        let list = rows.with_untracked(|r| picked(r, &ids));
        let no = blockers(action, &list);
        if no.is_empty() {
            blocked.set(None);
            asking.set(Some((action, list)));
        } else {
            blocked.set(Some(format!(
                "Cannot {} the selection: not available for {}. Unselect them or wait for them to settle.",
                action.label(),
                no.join(", ")
            )));
        }
    };
    let confirm = Callback::new(move |_| {
        if let Some((action, list)) = asking.get_untracked() {
            error.set(None);
            send(conn.get_value(), env.get_untracked(), action, list);
        }
    });
    let cancel = Callback::new(move |_| {
        asking.set(None);
    });
    let hidden = Signal::derive(move || {
        shown.with(|v| {
            selection
                .ids
                .with(|s| s.iter().filter(|id| !v.contains(id)).count())
        })
    });
    let batch = Signal::derive(move || {
        asking.with(|a| {
            a.as_ref().map(|(action, list)| Batch {
                verb: ACTIONS
                    .iter()
                    .find(|(a, _)| a == action)
                    .map(|(_, l)| *l)
                    .unwrap_or("Confirm"),
                names: list.iter().map(|p| p.name.clone()).collect(),
                typed: *action == ServiceAction::Delete,
            })
        })
    });
    view! {
        <bulk_bar::BulkBar
            selection=selection
            label="Selected containers"
            noun="container(s)"
            actions=ACTIONS.iter().map(|(a, l)| (a.label(), *l)).collect()
            hidden=hidden
            on_action=Callback::new(move |i: usize| ask(ACTIONS[i].0))
            blocked=blocked
            asking=batch
            on_confirm=confirm
            on_cancel=cancel
            busy=busy
            error=error
        >
            <p>"The containers and their configuration are removed from the environment. This cannot be undone."</p>
        </bulk_bar::BulkBar>
    }
}
