//! Which containers of the list need attention: restarted, killed or crash-looping in the last
//! hour. One events request for the whole list (the environment's cluster), never one per row,
//! read again at most once a minute as the list refreshes, through the connection's request gate
//! like every request.

use std::collections::BTreeMap;

use berth_api::attention::{attention_by_container, Attention};
use berth_api::config::Connection;
use berth_api::events::EventsQuery;
use berth_api::window::Window;
use leptos::prelude::*;

use super::ContainerRow;
use crate::api;
use crate::state::clock::now_ms;
use crate::state::task::Tasks;

/// How long a read of the events stands for the list.
const FRESH_MS: f64 = 60_000.0;

/// The marks by container id.
pub(super) fn use_attention(
    conn: StoredValue<Connection>,
    env: Memo<String>,
    rows: RwSignal<Vec<ContainerRow>>,
) -> RwSignal<BTreeMap<String, Attention>> {
    let marks = RwSignal::new(BTreeMap::new());
    let tasks = Tasks::new();
    // The environment's cluster once read, and when the events were last read for it.
    let cluster = StoredValue::new(None::<(String, String)>);
    let read_at = StoredValue::new(None::<(String, f64)>);
    Effect::new(move |_| {
        let e = env.get();
        let ids: Vec<String> = rows.with(|r| r.iter().map(|x| x.c.id.clone()).collect());
        if ids.is_empty() {
            return;
        }
        let now = now_ms();
        if read_at
            .get_value()
            .is_some_and(|(at_env, at)| at_env == e && now - at < FRESH_MS)
        {
            return;
        }
        read_at.set_value(Some((e.clone(), now)));
        let c = conn.get_value();
        let known = cluster.get_value().filter(|(for_env, _)| *for_env == e);
        tasks.spawn(async move {
            let cluster_id = match known {
                Some((_, id)) => id,
                None => {
                    let Some(id) = api::qovery::environment(&c, &e)
                        .await
                        .ok()
                        .and_then(|x| x.cluster_id)
                    else {
                        return;
                    };
                    cluster.try_set_value(Some((e.clone(), id.clone())));
                    id
                }
            };
            let query = EventsQuery::for_window(Window::Hour, now);
            // Without the events (no right to read them, an older API) the list simply has no
            // marks; its rows are what matters.
            if let Ok(events) = api::cluster::events(&c, &cluster_id, &query).await {
                let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
                marks.try_set(attention_by_container(&events, &refs, now));
            }
        });
    });
    marks
}
