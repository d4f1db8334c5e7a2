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
use crate::state::url_query::{use_url_query, UrlQuery};

/// How long a read of the events stands for the list.
const FRESH_MS: f64 = 60_000.0;

/// The marks by container id, and the filter on them.
#[derive(Clone, Copy)]
pub(super) struct Marks {
    by_id: RwSignal<BTreeMap<String, Attention>>,
    /// "Needs attention" (`?attention=1`): only the rows with a mark.
    only: Memo<bool>,
    url: UrlQuery,
}

impl Marks {
    /// Why the container `id` needs attention, if it does.
    pub fn of(self, id: String) -> Signal<Option<String>> {
        Signal::derive(move || self.by_id.with(|m| m.get(&id).map(|a| a.text.clone())))
    }

    /// `visible` (places in `rows`), only the marked ones while the filter is on.
    pub fn filter(
        self,
        rows: RwSignal<Vec<ContainerRow>>,
        visible: Memo<Vec<usize>>,
    ) -> Memo<Vec<usize>> {
        Memo::new(move |_| {
            let v = visible.get();
            if !self.only.get() {
                return v;
            }
            self.by_id.with(|m| {
                rows.with(|r| {
                    v.into_iter()
                        .filter(|i| r.get(*i).is_some_and(|x| m.contains_key(&x.c.id)))
                        .collect()
                })
            })
        })
    }
}

/// "Needs attention (2)", a checkbox kept in the URL.
#[component]
pub(super) fn AttentionFilter(marks: Marks) -> impl IntoView {
    view! {
        <label class="berth-check-row" title="Restarted, killed or crash-looping in the last hour">
            <input type="checkbox" data-attention-filter="" prop:checked=move || marks.only.get()
                on:change=move |ev| marks.url.set("attention", if event_target_checked(&ev) { "1".into() } else { String::new() })/>
            {move || format!("Needs attention ({})", marks.by_id.with(|m| m.len()))}
        </label>
    }
}

pub(super) fn use_attention(
    conn: StoredValue<Connection>,
    env: Memo<String>,
    rows: RwSignal<Vec<ContainerRow>>,
) -> Marks {
    let marks = RwSignal::new(BTreeMap::new());
    let url = use_url_query();
    let only = Memo::new(move |_| url.get("attention").is_some_and(|v| v == "1"));
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
            if let Ok(raw) = api::cluster::events(&c, &cluster_id, &query).await {
                let events = berth_api::events::collapse(raw, Window::Hour.range(now).from_ms);
                let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
                marks.try_set(attention_by_container(&events, &refs, now));
            }
        });
    });
    Marks {
        by_id: marks,
        only,
        url,
    }
}
