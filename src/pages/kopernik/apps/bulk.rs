//! Deleting the selected container apps: one confirmation (typed count, the attached-volumes
//! policy asked once), then one delete request per app, each Action handed to the root pending
//! store as the single delete does. Apps whose request failed stay selected, with their errors.

use berth_api::config::Connection;
use berth_api::kopernik::{ActionState, AttachedVolumesDeletePolicy};
use leptos::prelude::*;

use super::delete::VolumePolicy;
use super::AppRow;
use crate::api;
use crate::components::bulk_bar::{Batch, BulkBar};
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
                        Err(e) => failed.push(format!("{name}: {}", api::describe(&e))),
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
    let ask = Callback::new(move |_| {
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
    });
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
    let batch = Signal::derive(move || {
        asking.with(|a| {
            a.as_ref().map(|list| Batch {
                verb: "Delete",
                names: list.iter().map(|(_, name)| name.clone()).collect(),
                typed: true,
            })
        })
    });
    view! {
        <BulkBar
            selection=selection
            label="Selected container apps"
            noun="container app(s)"
            actions=vec![("delete", "Delete")]
            on_action=ask
            asking=batch
            on_confirm=confirm
            on_cancel=cancel
            busy=busy
            error=error
        >
            <VolumePolicy policy=policy group="berth-bulk-volume-policy" legend="Attached volumes (for every app)"/>
        </BulkBar>
    }
}
