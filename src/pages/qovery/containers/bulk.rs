//! Acting on the selected containers at once: the bulk bar with Deploy / Restart / Stop / Delete;
//! one confirmation for the batch (typed for a delete), one request
//! (`/environment/{id}/service/...`, all or nothing), then each container tracked by the root
//! pending store like a single action. An action is offered only when every selected row's state
//! allows it; otherwise the bar says which rows block it.

use berth_api::config::Connection;
use berth_api::qovery::{ServiceAction, State, Status};
use leptos::prelude::*;

use super::ContainerRow;
use crate::api;
use crate::components::bulk_bar::{self, Batch};
use crate::components::state_chip::qovery_label;
use crate::state::pending::{model, Pending, PendingKind, PendingStore};
use crate::state::selection::Selection;

const ACTIONS: [(ServiceAction, &str); 4] = [
    (ServiceAction::Deploy, "Deploy"),
    (ServiceAction::Restart, "Restart"),
    (ServiceAction::Stop, "Stop"),
    (ServiceAction::Delete, "Delete"),
];

/// A selected container as the list showed it when the batch was asked for.
#[derive(Clone, Debug, PartialEq)]
pub struct Picked {
    id: String,
    name: String,
    state: Option<State>,
    last_deployment: Option<String>,
}

fn picked(rows: &[ContainerRow], ids: &[String]) -> Vec<Picked> {
    rows.iter()
        .filter(|r| ids.contains(&r.c.id))
        .map(|r| Picked {
            id: r.c.id.clone(),
            name: r.c.name.clone(),
            state: r.state.clone(),
            last_deployment: r.last_deployment.clone(),
        })
        .collect()
}

/// The picked rows whose state does not allow `action`: "worker (deployment error)".
fn blockers(action: ServiceAction, picked: &[Picked]) -> Vec<String> {
    picked
        .iter()
        .filter(|p| !p.state.as_ref().is_some_and(|s| action.allowed_in(s)))
        .map(|p| {
            let state = p
                .state
                .as_ref()
                .map(|s| crate::text::lower(&qovery_label(s).0))
                .unwrap_or_else(|| "unknown state".into());
            format!("{} ({state})", p.name)
        })
        .collect()
}

/// The pending entry of one container of an accepted batch, from the state the list showed.
fn entry(conn: &str, action: ServiceAction, p: &Picked, now: f64) -> Pending {
    if action == ServiceAction::Delete {
        return model::from_qovery_delete(conn, &p.id, &p.name, p.state.as_ref(), now);
    }
    let status = Status {
        id: p.id.clone(),
        state: p
            .state
            .clone()
            .unwrap_or_else(|| State::from_wire("UNKNOWN")),
        service_deployment_status: None,
        status_details: None,
        last_deployment_date: p.last_deployment.clone(),
        is_part_last_deployment: None,
        deployment_requests_count: None,
        deployment_request_id: None,
    };
    model::from_qovery(
        conn,
        &p.id,
        PendingKind::of(action),
        &p.name,
        &status,
        p.state.as_ref(),
        now,
    )
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
    let store = use_context::<PendingStore>();
    let asking = RwSignal::new(None::<(ServiceAction, Vec<Picked>)>);
    let blocked = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    // A note about blocking rows is about the selection it was made for.
    Effect::new(move |_| {
        selection.ids.track();
        blocked.set(None);
    });
    // Not cancelled when the page goes: a batch the server accepted is tracked to its end.
    #[allow(clippy::type_complexity)]
    let send = Action::new_local(
        move |(c, env, action, picked): &(Connection, String, ServiceAction, Vec<Picked>)| {
            let (c, env, action, picked) = (c.clone(), env.clone(), *action, picked.clone());
            async move {
                let ids: Vec<String> = picked.iter().map(|p| p.id.clone()).collect();
                match api::qovery::bulk(&c, &env, action, &ids).await {
                    Ok(()) => {
                        if let Some(s) = store {
                            let now = crate::state::clock::now_ms();
                            for p in &picked {
                                s.add(entry(&c.id, action, p, now));
                            }
                        }
                        if action == ServiceAction::Delete {
                            rows.try_update(|r| r.retain(|x| !ids.contains(&x.c.id)));
                        }
                        selection.ids.try_update(|s| s.retain(|x| !ids.contains(x)));
                        asking.try_set(None);
                        on_sent.try_run(());
                    }
                    // The selection stays: the user may retry or change it.
                    Err(e) => {
                        error.try_set(Some(format!(
                            "Could not {} {} container(s): {}",
                            action.label(),
                            ids.len(),
                            api::describe(&e)
                        )));
                    }
                }
            }
        },
    );
    let busy = send.pending();
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
            send.dispatch_local((conn.get_value(), env.get_untracked(), action, list));
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
