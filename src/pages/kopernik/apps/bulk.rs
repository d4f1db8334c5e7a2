//! Deleting the selected container apps: one confirmation (typed count, the attached-volumes
//! policy asked once), then one delete request per app, each Action handed to the root pending
//! store as the single delete does. Apps whose request failed stay selected, with their errors.

use berth_api::config::Connection;
use berth_api::kopernik::{ActionState, AttachedVolumesDeletePolicy};
use leptos::prelude::*;

use super::AppRow;
use crate::api;
use crate::components::confirm::ConfirmByName;
use crate::state::pending::{model, PendingKind, PendingStore};
use crate::state::selection::Selection;

/// The server answers at once: each delete is then followed by the pending store.
const WAIT_SECS: u32 = 0;

#[component]
pub fn BulkDelete(
    selection: Selection,
    rows: RwSignal<Vec<AppRow>>,
    conn: StoredValue<Connection>,
    provider: StoredValue<String>,
    notice: RwSignal<Option<String>>,
) -> impl IntoView {
    let store = use_context::<PendingStore>();
    let asking = RwSignal::new(None::<Vec<(String, String)>>);
    let policy = RwSignal::new(AttachedVolumesDeletePolicy::Retain);
    let error = RwSignal::new(None::<String>);
    // Not cancelled when the page goes: every delete sent is tracked to its end.
    #[allow(clippy::type_complexity)]
    let send = Action::new_local(
        move |(c, p, apps, pol): &(
            Connection,
            String,
            Vec<(String, String)>,
            AttachedVolumesDeletePolicy,
        )| {
            let (c, p, apps, pol) = (c.clone(), p.clone(), apps.clone(), pol.clone());
            async move {
                let answers = futures::future::join_all(apps.iter().map(|(uid, _)| {
                    api::kopernik::delete_container_app(&c, &p, uid, &pol, WAIT_SECS)
                }))
                .await;
                let mut failed = Vec::new();
                let (mut gone, mut going) = (Vec::new(), Vec::new());
                let now = crate::state::clock::now_ms();
                for ((uid, name), answer) in apps.iter().zip(answers) {
                    match answer {
                        Ok(resp) => {
                            if let Some(s) = store {
                                s.add(model::from_kopernik(
                                    &c.id,
                                    &p,
                                    PendingKind::Delete,
                                    name,
                                    &resp.action,
                                    now,
                                ));
                            }
                            match resp.action.state {
                                ActionState::Success => gone.push(uid.clone()),
                                ref s if s.is_failure() => failed.push(format!(
                                    "{name}: {}",
                                    resp.action.reason.as_deref().unwrap_or("no reason given")
                                )),
                                _ => going.push(uid.clone()),
                            }
                        }
                        Err(e) => failed.push(format!(
                            "{name}: {} ({})",
                            e.message,
                            e.status
                                .map(|s| format!("HTTP {s}"))
                                .unwrap_or_else(|| "no answer".into())
                        )),
                    }
                }
                rows.try_update(|r| {
                    r.retain(|x| !gone.contains(&x.app.uid));
                    for x in r.iter_mut().filter(|x| going.contains(&x.app.uid)) {
                        let mut app = x.app.clone();
                        app.status = "deleting".into();
                        *x = AppRow::new(app);
                    }
                });
                let sent = gone.len() + going.len();
                selection
                    .ids
                    .try_update(|s| s.retain(|x| !gone.contains(x) && !going.contains(x)));
                if failed.is_empty() {
                    asking.try_set(None);
                    notice.try_set(Some(format!(
                        "Deleting {sent} container app(s): followed under Actions."
                    )));
                } else {
                    error.try_set(Some(format!(
                        "{} of {} deletes failed (the others were sent): {}",
                        failed.len(),
                        apps.len(),
                        failed.join("; ")
                    )));
                    // What was sent is gone from the dialog; what failed may be retried.
                    asking.try_update(|a| {
                        if let Some(list) = a {
                            list.retain(|(u, _)| !gone.contains(u) && !going.contains(u));
                        }
                    });
                }
            }
        },
    );
    let busy = send.pending();
    let ask = move |_| {
        error.set(None);
        let ids = selection.ids.get_untracked();
        let list = rows.with_untracked(|r| {
            r.iter()
                .filter(|x| ids.contains(&x.app.uid))
                .map(|x| (x.app.uid.clone(), x.app.name.clone()))
                .collect::<Vec<_>>()
        });
        if !list.is_empty() {
            asking.set(Some(list));
        }
    };
    let confirm = Callback::new(move |_| {
        if let Some(list) = asking.get_untracked() {
            error.set(None);
            send.dispatch_local((
                conn.get_value(),
                provider.get_value(),
                list,
                policy.get_untracked(),
            ));
        }
    });
    let cancel = Callback::new(move |_| asking.set(None));
    let radio = move |value: AttachedVolumesDeletePolicy, label: &'static str, danger: bool| {
        let v = value.clone();
        view! {
            <label class="berth-radio" class:berth-danger=danger>
                <input
                    type="radio"
                    name="berth-bulk-volume-policy"
                    value=value.as_str().to_string()
                    prop:checked=move || policy.get() == v
                    on:change=move |_| policy.set(value.clone())
                />
                {label}
            </label>
        }
    };
    view! {
        <Show when=move || !selection.is_empty()>
            <div class="berth-bulk-bar" role="region" aria-label="Selected container apps">
                <strong class="berth-bulk-count" role="status">{move || format!("{} selected", selection.len())}</strong>
                <button type="button" class="berth-btn berth-btn-small berth-danger" data-bulk="delete" disabled=move || busy.get() on:click=ask>"Delete"</button>
                <button type="button" class="berth-btn berth-btn-small berth-btn-quiet" on:click=move |_| { selection.clear(); error.set(None); }>"Clear"</button>
            </div>
        </Show>
        {move || asking.with(Option::is_none).then(|| error.get()).flatten().map(|m| view! {
            <p class="berth-panel berth-error" role="alert" data-bulk-error="">{m}</p>
        })}
        {move || asking.get().map(|list| {
            let n = list.len();
            let names = list.into_iter().map(|(_, name)| view! { <li>{name}</li> }).collect_view();
            view! {
                <ConfirmByName
                    title=format!("Delete {n} container app(s)?")
                    name=n.to_string()
                    busy=busy
                    error=error
                    on_confirm=confirm
                    on_cancel=cancel
                >
                    <ul class="berth-bulk-names">{names}</ul>
                    <fieldset class="berth-fieldset">
                        <legend>"Attached volumes (for every app)"</legend>
                        {radio(AttachedVolumesDeletePolicy::Retain, "Keep the volumes (retain)", false)}
                        {radio(AttachedVolumesDeletePolicy::Delete, "Delete the volumes and their data", true)}
                    </fieldset>
                </ConfirmByName>
            }
        })}
    }
}
