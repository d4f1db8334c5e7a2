//! Deleting the selected container apps: one confirmation (typed count, the attached-volumes
//! policy asked once), then one delete request per app (`ops::kopernik::delete`), each Action
//! followed by the root pending store. Apps whose request failed stay selected, with their errors.

use berth_api::config::Connection;
use berth_api::kopernik::{Action as KAction, ActionState, AttachedVolumesDeletePolicy};
use leptos::prelude::*;

use super::delete::VolumePolicy;
use super::AppRow;
use crate::api::{self, ApiError};
use crate::components::bulk_bar::{Batch, BulkBar};
use crate::ops::kopernik::App;
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
    let asking = RwSignal::new(None::<Vec<(String, String)>>);
    let policy = RwSignal::new(AttachedVolumesDeletePolicy::Retain);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    // Every delete sent is tracked to its end by the ops layer, whether the page stays or not;
    // the bar hears the answers while it is there.
    let on_done = move |answers: Vec<(App, Result<Option<KAction>, ApiError>)>| {
        let total = answers.len();
        let mut failed = Vec::new();
        let (mut gone, mut going) = (Vec::new(), Vec::new());
        for (app, answer) in answers {
            match answer {
                Ok(Some(a)) if a.state.is_failure() => failed.push(format!(
                    "{}: {}",
                    app.name,
                    a.reason.as_deref().unwrap_or("no reason given")
                )),
                Ok(Some(a)) if a.state != ActionState::Success => going.push(app.uid),
                Ok(_) => gone.push(app.uid),
                Err(e) => failed.push(format!("{}: {}", app.name, api::describe(&e))),
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
                "{} of {total} deletes failed (the others were sent): {}",
                failed.len(),
                failed.join("; ")
            )));
            // What was sent is gone from the dialog; what failed may be retried.
            asking.try_update(|a| {
                if let Some(list) = a {
                    list.retain(|(u, _)| !gone.contains(u) && !going.contains(u));
                }
            });
        }
        busy.try_set(false);
    };
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
            let apps = list
                .into_iter()
                .map(|(uid, name)| App { uid, name })
                .collect();
            let started = crate::ops::kopernik::delete(
                conn.get_value(),
                provider.get_value(),
                apps,
                policy.get_untracked(),
                WAIT_SECS,
                on_done,
            );
            match started {
                Ok(()) => busy.set(true),
                Err(refused) => error.set(Some(refused.to_string())),
            }
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
