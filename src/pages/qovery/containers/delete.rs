//! Deleting a container from the list: confirmed by typing its name.

use berth_api::config::Connection;
use berth_api::qovery::ServiceAction;
use leptos::prelude::*;

use super::actions::subject;
use super::ContainerRow;
use crate::components::confirm::ConfirmByName;

/// The dialog for the row being deleted (`deleting`: its id and name), while there is one.
#[component]
pub(super) fn DeleteDialog(
    conn: StoredValue<Connection>,
    rows: RwSignal<Vec<ContainerRow>>,
    deleting: RwSignal<Option<(String, String)>>,
) -> impl IntoView {
    let delete_error = RwSignal::new(None::<String>);
    let delete_busy = RwSignal::new(false);
    let confirm_delete = Callback::new(move |_| {
        let Some((id, _)) = deleting.get_untracked() else {
            return;
        };
        let Some(subject) = subject(rows, &id) else {
            return;
        };
        delete_error.set(None);
        let gone = id.clone();
        let on_done = move |answer: crate::ops::qovery::Answer| {
            match answer {
                Ok(_) => {
                    rows.try_update(|r| r.retain(|x| x.c.id != gone));
                    deleting.try_set(None);
                }
                Err(message) => {
                    delete_error.try_set(Some(message));
                }
            }
            delete_busy.try_set(false);
        };
        match crate::ops::qovery::act(
            conn.get_value(),
            subject,
            ServiceAction::Delete,
            None,
            on_done,
        ) {
            Ok(()) => delete_busy.set(true),
            Err(refused) => delete_error.set(Some(refused.to_string())),
        }
    });
    view! {
        {move || deleting.get().map(|(_, name)| view! {
            <ConfirmByName
                title=format!("Delete container {name}?")
                name=name.clone()
                busy=delete_busy
                error=delete_error
                on_confirm=confirm_delete
                on_cancel=Callback::new(move |_| { deleting.set(None); delete_error.set(None); })
            >
                <p>"The container and its configuration are removed from the environment. This cannot be undone."</p>
            </ConfirmByName>
        })}
    }
}
