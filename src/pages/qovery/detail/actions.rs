//! What the page's operations do: deploy, stop, restart… started from its toolbar, tracked, and
//! what each answer changes on the page.

use berth_api::config::Connection;
use berth_api::qovery::ServiceAction;
use leptos::prelude::*;

use super::Loaded;

/// The operation under way, its last error, and how the page starts one.
#[derive(Clone, Copy)]
pub(super) struct Actions {
    pub busy: RwSignal<Option<ServiceAction>>,
    pub error: RwSignal<Option<String>>,
    /// Delete was chosen: the dialog asks for the name.
    pub confirming: RwSignal<bool>,
    pub on_action: Callback<ServiceAction>,
    pub on_deploy_tag: Callback<String>,
}

/// Operations act on the container the page shows (its loaded id, never a route id whose data
/// has not arrived yet), with what it shows as their baseline.
pub(super) fn subject(data: RwSignal<Option<Loaded>>) -> Option<crate::ops::qovery::Subject> {
    data.with_untracked(|d| {
        d.as_ref().map(|d| crate::ops::qovery::Subject {
            id: d.0.id.clone(),
            name: d.0.name.clone(),
            state: Some(d.2.state.clone()),
            last_deployment: d.2.last_deployment_date.clone(),
        })
    })
}

pub(super) fn use_actions(
    conn: StoredValue<Connection>,
    data: RwSignal<Option<Loaded>>,
) -> Actions {
    let busy = RwSignal::new(None::<ServiceAction>);
    let action_error = RwSignal::new(None::<String>);
    let confirming = RwSignal::new(false);
    // What the page shows of an operation's answer: written only while the page is there.
    let answered = move |id: String| {
        move |answer: crate::ops::qovery::Answer| {
            match answer {
                Ok(Some(status)) => {
                    data.try_update(|d| {
                        if let Some(d) = d.as_mut().filter(|d| d.0.id == id) {
                            d.2 = status;
                        }
                    });
                }
                Ok(None) => {}
                Err(message) => {
                    action_error.try_set(Some(message));
                }
            }
            busy.try_set(None);
        }
    };
    let start = move |action: ServiceAction, tag: Option<String>| {
        let Some(subject) = subject(data) else {
            return;
        };
        action_error.set(None);
        let on_done = answered(subject.id.clone());
        match crate::ops::qovery::act(conn.get_value(), subject, action, tag, on_done) {
            Ok(()) => busy.set(Some(action)),
            Err(refused) => action_error.set(Some(refused.to_string())),
        }
    };
    // Another tag: the same tracking as a deploy, with the tag in the body.
    let on_deploy_tag = Callback::new(move |tag: String| start(ServiceAction::Deploy, Some(tag)));
    let on_action = Callback::new(move |action: ServiceAction| {
        if action == ServiceAction::Delete {
            confirming.set(true);
            return;
        }
        start(action, None);
    });
    Actions {
        busy,
        error: action_error,
        confirming,
        on_action,
        on_deploy_tag,
    }
}
