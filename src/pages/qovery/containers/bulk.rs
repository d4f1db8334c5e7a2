//! Acting on the selected containers at once: a bar with the count, Deploy / Restart / Stop /
//! Delete and Clear; one confirmation for the batch (typed for a delete), one request
//! (`/environment/{id}/service/...`, all or nothing), then each container tracked by the root
//! pending store like a single action. An action is offered only when every selected row's state
//! allows it; otherwise the bar says which rows block it.

use berth_api::config::Connection;
use berth_api::qovery::{ServiceAction, State, Status};
use leptos::prelude::*;

use super::ContainerRow;
use crate::api;
use crate::components::confirm::ConfirmByName;
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

fn describe(e: &api::ApiError) -> String {
    format!(
        "{} ({})",
        e.message,
        e.status
            .map(|s| format!("HTTP {s}"))
            .unwrap_or_else(|| "no answer".into())
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
                            describe(&e)
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
    let hidden = move || {
        shown.with(|v| {
            selection
                .ids
                .with(|s| s.iter().filter(|id| !v.contains(id)).count())
        })
    };
    let count = move || match (selection.len(), hidden()) {
        (n, 0) => format!("{n} selected"),
        (n, h) => format!("{n} selected ({h} not shown by the search or filter)"),
    };
    view! {
        <Show when=move || !selection.is_empty()>
            <div class="berth-bulk-bar" role="region" aria-label="Selected containers">
                <strong class="berth-bulk-count" role="status">{count}</strong>
                {ACTIONS.into_iter().map(|(action, label)| view! {
                    <button
                        type="button"
                        class="berth-btn berth-btn-small"
                        class:berth-danger=action == ServiceAction::Delete
                        data-bulk=action.label()
                        disabled=move || busy.get()
                        on:click=move |_| ask(action)
                    >
                        {label}
                    </button>
                }).collect_view()}
                <button type="button" class="berth-btn berth-btn-small berth-btn-quiet" on:click=move |_| { selection.clear(); blocked.set(None); error.set(None); }>"Clear"</button>
            </div>
        </Show>
        {move || blocked.get().map(|m| view! { <p class="berth-panel berth-notice" role="alert" data-bulk-blocked="">{m}</p> })}
        {move || (asking.with(Option::is_none)).then(|| error.get()).flatten().map(|m| view! {
            <p class="berth-panel berth-error" role="alert" data-bulk-error="">{m}</p>
        })}
        {move || asking.get().map(|(action, list)| {
            let names = list.iter().map(|p| view! { <li>{p.name.clone()}</li> }).collect_view();
            let n = list.len();
            if action == ServiceAction::Delete {
                view! {
                    <ConfirmByName
                        title=format!("Delete {n} container(s)?")
                        name=n.to_string()
                        busy=busy
                        error=error
                        on_confirm=confirm
                        on_cancel=cancel
                    >
                        <ul class="berth-bulk-names">{names}</ul>
                        <p>"The containers and their configuration are removed from the environment. This cannot be undone."</p>
                    </ConfirmByName>
                }.into_any()
            } else {
                let verb = ACTIONS.iter().find(|(a, _)| *a == action).map(|(_, l)| *l).unwrap_or("Confirm");
                view! {
                    <ConfirmBatch
                        title=format!("{verb} {n} container(s)?")
                        confirm_label=format!("{verb} {n}")
                        busy=busy
                        error=error
                        on_confirm=confirm
                        on_cancel=cancel
                    >
                        <ul class="berth-bulk-names">{names}</ul>
                    </ConfirmBatch>
                }.into_any()
            }
        })}
    }
}

/// A plain confirmation for a batch: what it acts on, confirm or cancel. It cannot be dismissed
/// while its request is in flight.
#[component]
pub fn ConfirmBatch(
    #[prop(into)] title: String,
    #[prop(into)] confirm_label: String,
    #[prop(into)] busy: Signal<bool>,
    #[prop(into)] error: Signal<Option<String>>,
    on_confirm: Callback<()>,
    on_cancel: Callback<()>,
    children: Children,
) -> impl IntoView {
    let button = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(el) = button.get() {
            let _ = el.focus();
        }
    });
    view! {
        <div class="berth-modal-backdrop">
            <div
                class="berth-modal"
                role="dialog"
                aria-modal="true"
                aria-labelledby="berth-batch-title"
                on:keydown=move |ev| if ev.key() == "Escape" && !busy.get_untracked() { on_cancel.run(()) }
            >
                <h2 id="berth-batch-title">{title}</h2>
                {children()}
                {move || error.get().map(|e| view! { <p class="berth-field-error" role="alert">{e}</p> })}
                {move || busy.get().then(|| view! {
                    <p class="berth-muted berth-small" role="status">"Sent. If you leave this page, the outcome is shown under Actions."</p>
                })}
                <div class="berth-actions">
                    <button
                        node_ref=button
                        type="button"
                        class="berth-btn berth-btn-primary"
                        data-action="confirm"
                        disabled=move || busy.get()
                        on:click=move |_| on_confirm.run(())
                    >
                        {confirm_label}
                    </button>
                    <button
                        type="button"
                        class="berth-btn berth-btn-quiet"
                        data-action="cancel"
                        disabled=move || busy.get()
                        on:click=move |_| if !busy.get_untracked() { on_cancel.run(()) }
                    >
                        "Cancel"
                    </button>
                </div>
            </div>
        </div>
    }
}
