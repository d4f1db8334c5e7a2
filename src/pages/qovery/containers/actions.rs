//! The rows' operations (deploy, stop, restart…): started from a row, tracked per row, and what
//! each answer changes in the row.

use std::collections::HashMap;

use berth_api::config::Connection;
use berth_api::qovery::ServiceAction;
use leptos::prelude::*;

use super::ContainerRow;

/// The rows' operations under way, their last errors, and how a row starts one.
#[derive(Clone, Copy)]
pub(super) struct RowActions {
    pub busy: RwSignal<HashMap<String, ServiceAction>>,
    pub errors: RwSignal<HashMap<String, String>>,
    pub run: Callback<(String, ServiceAction)>,
}

/// An operation's subject: the row `id` as the list shows it.
pub(super) fn subject(
    rows: RwSignal<Vec<ContainerRow>>,
    id: &str,
) -> Option<crate::ops::qovery::Subject> {
    rows.with_untracked(|rows| {
        rows.iter()
            .find(|r| r.c.id == id)
            .map(|r| crate::ops::qovery::Subject {
                id: r.c.id.clone(),
                name: r.c.name.clone(),
                state: r.state.clone(),
                last_deployment: r.last_deployment.clone(),
            })
    })
}

pub(super) fn use_row_actions(
    conn: StoredValue<Connection>,
    rows: RwSignal<Vec<ContainerRow>>,
) -> RowActions {
    let busy = RwSignal::new(HashMap::<String, ServiceAction>::new());
    let row_errors = RwSignal::new(HashMap::<String, String>::new());
    // What the row shows of an operation's answer: written only while the page is there.
    let answered = move |id: String, action: ServiceAction| {
        move |answer: crate::ops::qovery::Answer| {
            match answer {
                Ok(Some(status)) if action != ServiceAction::Delete => {
                    rows.try_update(|rows| {
                        if let Some(r) = rows.iter_mut().find(|r| r.c.id == id) {
                            *r = r.with_state(status.state);
                        }
                    });
                }
                Ok(_) => {}
                Err(message) => {
                    row_errors.try_update(|m| {
                        m.insert(id.clone(), message);
                    });
                }
            }
            busy.try_update(|b| {
                b.remove(&id);
            });
        }
    };
    let run_action = Callback::new(move |(id, action): (String, ServiceAction)| {
        let Some(subject) = subject(rows, &id) else {
            return;
        };
        row_errors.update(|e| {
            e.remove(&id);
        });
        let started = crate::ops::qovery::act(
            conn.get_value(),
            subject,
            action,
            None,
            answered(id.clone(), action),
        );
        match started {
            Ok(()) => busy.update(|b| {
                b.insert(id, action);
            }),
            Err(refused) => row_errors.update(|e| {
                e.insert(id, refused.to_string());
            }),
        }
    });
    RowActions {
        busy,
        errors: row_errors,
        run: run_action,
    }
}
