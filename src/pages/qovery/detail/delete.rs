//! Deleting the container the page shows: confirmed by typing its name.

use berth_api::config::Connection;
use berth_api::qovery::ServiceAction;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use super::actions::subject;
use super::Loaded;
use crate::api;
use crate::chunks::{chunk_view, lazy_screen, ChunkError};
use crate::components::confirm::ConfirmByName;
use crate::components::link::base;
use crate::routes::AppPath;

/// What the dialog reads of the page, as context: a chunk's entry takes no arguments. Busy and
/// error belong to the page, so a delete under way still moves a page that is shown.
#[derive(Clone, Copy)]
pub struct DeleteProps {
    conn: StoredValue<Connection>,
    data: RwSignal<Option<Loaded>>,
    confirming: RwSignal<bool>,
    busy: RwSignal<bool>,
    error: RwSignal<Option<String>>,
}

#[cfg(test)]
use leptos::wasm_split::SplitLoaderError;

lazy_screen!(qovery_delete, delete_view, delete_preload, DeleteConfirm);

/// The dialog, while `confirming`; its code is a chunk fetched when it first opens.
#[component]
pub(super) fn DeleteDialog(
    conn: StoredValue<Connection>,
    data: RwSignal<Option<Loaded>>,
    confirming: RwSignal<bool>,
) -> impl IntoView {
    let props = DeleteProps {
        conn,
        data,
        confirming,
        busy: RwSignal::new(false),
        error: RwSignal::new(None),
    };
    move || {
        confirming.get().then(|| {
            provide_context(props);
            chunk_view(delete_view)
        })
    }
}

/// The chunk's entry: the confirmation by name, and the delete it starts.
#[component]
fn DeleteConfirm() -> impl IntoView {
    let Some(DeleteProps {
        conn,
        data,
        confirming,
        busy: delete_busy,
        error: delete_error,
    }) = use_context::<DeleteProps>()
    else {
        return ().into_any();
    };
    let navigate = use_navigate();
    // The delete outlives the page; only a page still shown moves the user, back to the
    // environment's list when it can be found, else to the picker.
    let confirm_delete = Callback::new(move |_| {
        let Some(subject) = subject(data) else {
            return;
        };
        let c = conn.get_value();
        let env = data.with_untracked(|d| {
            d.as_ref()
                .and_then(|d| d.0.environment.as_ref().map(|e| e.id.clone()))
        });
        let navigate = navigate.clone();
        let on_done = move |answer: crate::ops::qovery::Answer| match answer {
            Err(message) => {
                delete_error.try_set(Some(message));
                delete_busy.try_set(false);
            }
            Ok(_) => leptos::task::spawn_local(async move {
                let target = after_delete(&c, env).await.to_path();
                if delete_busy.try_set(false).is_none() {
                    navigate(&base().href(&target), Default::default());
                }
            }),
        };
        delete_error.set(None);
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
    let name = data
        .with_untracked(|d| d.as_ref().map(|d| d.0.name.clone()))
        .unwrap_or_default();
    view! {
        <ConfirmByName
            title=format!("Delete container {name}?")
            name=name
            busy=delete_busy
            error=delete_error
            on_confirm=confirm_delete
            on_cancel=Callback::new(move |_| confirming.set(false))
        >
            <p>"The container and its configuration are removed from the environment. This cannot be undone."</p>
        </ConfirmByName>
    }
    .into_any()
}

/// Where the page goes after its container was deleted: its environment's list when the
/// environment can be read, else the picker.
async fn after_delete(c: &Connection, env: Option<String>) -> AppPath {
    let picker = AppPath::QoveryPicker {
        conn: c.id.clone(),
        org: None,
        project: None,
    };
    let Some(e) = env else {
        return picker;
    };
    match api::qovery::environment(c, &e).await {
        Ok(env) => match (env.organization, env.project) {
            (Some(o), Some(p)) => AppPath::QoveryContainers {
                conn: c.id.clone(),
                org: o.id,
                project: p.id,
                env: e,
            },
            _ => picker,
        },
        Err(_) => picker,
    }
}
