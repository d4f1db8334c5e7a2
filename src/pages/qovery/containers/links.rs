//! Each publicly reachable container's link, for an "Open" in its row.

use std::collections::HashMap;

use berth_api::config::Connection;
use leptos::prelude::*;

use super::ContainerRow;
use crate::api;

/// The links by container id: `None` while being read or when none opens in a browser.
pub(super) fn use_open_links(
    conn: StoredValue<Connection>,
    rows: RwSignal<Vec<ContainerRow>>,
) -> RwSignal<HashMap<String, Option<String>>> {
    // Each publicly reachable container's link, read once (`/link`): an "Open" in its row.
    let links = RwSignal::new(HashMap::<String, Option<String>>::new());
    let link_tasks = crate::state::task::Tasks::new();
    Effect::new(move |_| {
        let wanted: Vec<String> = rows.with(|r| {
            r.iter()
                .filter(|x| x.c.ports.iter().flatten().any(|p| p.publicly_accessible))
                .map(|x| x.c.id.clone())
                .filter(|id| links.with_untracked(|l| !l.contains_key(id)))
                .collect()
        });
        for id in wanted {
            links.update(|l| {
                l.insert(id.clone(), None);
            });
            let c = conn.get_value();
            link_tasks.spawn(async move {
                if let Ok(found) = api::qovery::links(&c, &id).await {
                    let url = found
                        .iter()
                        .filter(|l| berth_api::links::openable(&l.url).is_some())
                        .min_by_key(|l| (!l.is_default, !l.is_qovery_domain))
                        .map(|l| l.url.clone());
                    links.try_update(|m| {
                        m.insert(id, url);
                    });
                }
            });
        }
    });
    links
}
