//! What a container's instances write (`GET /container/{id}/log`): followed while the tab is open
//! (polled every 2 s, paused in a hidden tab by `use_poll`), new lines appended and at most
//! [`KEEP`] kept, the newest; search with highlight, a filter by instance, wrap, download.

use std::time::Duration;

use berth_api::config::Connection;
use berth_api::logs::{merge_new, ContainerLog};
use leptos::prelude::*;

use crate::api;
use crate::components::error_panel::ErrorPanel;
use crate::components::log_view::{DownloadLines, LogLine, LogView, CAPPED, KEEP, LOG_CSS};
use crate::state::live::Live;
use crate::state::poll::use_poll;
use crate::state::task::Tasks;

const FOLLOW_EVERY: Duration = Duration::from_secs(2);
const PAUSED_EVERY: Duration = Duration::from_secs(3600);

fn line(l: &ContainerLog) -> LogLine {
    LogLine {
        time: l.created_at.clone(),
        source: l.pod_name.clone().unwrap_or_default(),
        level: Default::default(),
        text: l.message.clone(),
    }
}

#[component]
pub fn AppLogs(
    conn: StoredValue<Connection>,
    id: String,
    name: String,
    /// The instance shown at first (`?pod=`: the Health tab's "last lines of this instance").
    #[prop(optional)]
    pod: String,
) -> impl IntoView {
    let id = StoredValue::new(id);
    let raw = RwSignal::new(Vec::<ContainerLog>::new());
    let lines = RwSignal::new(Vec::<LogLine>::new());
    let follow = RwSignal::new(true);
    let query = RwSignal::new(String::new());
    let pod = RwSignal::new(pod);
    let wrap = RwSignal::new(false);
    // The cap left older lines out.
    let capped = RwSignal::new(false);
    let live = Live::new();
    let tasks = Tasks::new();
    let load = move || {
        if !live.begin() {
            return;
        }
        let (c, id) = (conn.get_value(), id.get_value());
        tasks.spawn(async move {
            let result = api::qovery::container_log(&c, &id).await;
            let Some(fresh) = live.finish(result) else {
                return;
            };
            // `lines` mirrors `raw` one to one: what the cap drops from the front of one, it
            // drops from the other, so following a busy log converts only the new lines.
            let Some((merged, added)) = raw.try_update(|have| {
                let m = merge_new(have, fresh, KEEP);
                let new = &have[have.len().saturating_sub(m.added)..];
                (m, new.iter().map(line).collect::<Vec<_>>())
            }) else {
                return;
            };
            if merged.cut > 0 {
                capped.try_set(true);
            }
            if merged.added > 0 || merged.dropped > 0 {
                lines.try_update(|l| {
                    l.drain(..merged.dropped.min(l.len()));
                    l.extend(added);
                });
            }
        });
    };
    load();
    use_poll(
        Signal::derive(move || {
            if follow.get() {
                FOLLOW_EVERY
            } else {
                PAUSED_EVERY
            }
        }),
        move || live.strain(),
        move || {
            if follow.get_untracked() {
                load();
            }
        },
    );
    // Resuming reads at once rather than on the next tick.
    Effect::new(move |prev: Option<bool>| {
        let now = follow.get();
        if prev == Some(false) && now {
            load();
        }
        now
    });
    let pods = Memo::new(move |_| {
        let mut p: Vec<String> =
            raw.with(|r| r.iter().filter_map(|l| l.pod_name.clone()).collect());
        p.sort();
        p.dedup();
        p
    });
    let shown = Memo::new(move |_| {
        let (q, p) = (query.get(), pod.get());
        lines.with(|all| {
            all.iter()
                .enumerate()
                .filter(|(_, l)| p.is_empty() || l.source == p)
                .filter(|(_, l)| q.is_empty() || !berth_api::logs::find_all(&l.text, &q).is_empty())
                .map(|(i, _)| i)
                .collect::<Vec<_>>()
        })
    });
    let count = move || {
        let (n, m) = (lines.with(Vec::len), shown.with(Vec::len));
        if n == m {
            format!("{n} lines")
        } else {
            format!("{m} of {n} lines")
        }
    };
    let file = format!("{name}.log");
    view! {
        <style>{LOG_CSS}</style>
        <section class="berth-panel" aria-label="Application logs">
            <h2>"Application logs"</h2>
            <div class="berth-log-tools">
                <input type="search" placeholder="Search the log" aria-label="Search the log"
                    prop:value=move || query.get() on:input=move |ev| query.set(event_target_value(&ev))/>
                <select aria-label="Instance" on:change=move |ev| pod.set(event_target_value(&ev))>
                    <option value="" selected=move || pod.get().is_empty()>"All instances"</option>
                    <For each=move || pods.get() key=|p| p.clone() children=move |p| {
                        let (v, text) = (p.clone(), p.clone());
                        view! { <option value=p selected=move || pod.get() == v>{text}</option> }
                    }/>
                </select>
                <label><input type="checkbox" prop:checked=move || wrap.get()
                    on:change=move |ev| wrap.set(event_target_checked(&ev))/>" Wrap lines"</label>
                <button type="button" class="berth-btn berth-btn-small" aria-pressed=move || (!follow.get()).to_string()
                    on:click=move |_| follow.update(|f| *f = !*f)>
                    {move || if follow.get() { "Pause" } else { "Follow" }}
                </button>
                <DownloadLines file=file lines=lines shown=shown/>
                <span class="berth-muted" aria-live="polite">
                    {count}{move || capped.get().then_some(CAPPED)}
                    {move || (!follow.get()).then_some(" · paused")}
                </span>
            </div>
            {move || live.error.get().map(|e| view! { <ErrorPanel error=e on_retry=move |_| load() stale=true/> })}
            <LogView label="Application log lines" lines=lines.into() shown=shown query=query wrap=wrap
                follow=follow loaded=Signal::derive(move || live.loaded_at.get().is_some())
                reading="Reading the log…" nothing="The container has written nothing yet."/>
        </section>
    }
}

/// The Logs tab (its own chunk): the page's container, filtered to `?pod=` when the link names one.
#[component]
pub fn LogsPanel() -> impl IntoView {
    let Some(p) = use_context::<crate::pages::qovery::detail::TabProps>() else {
        return ().into_any();
    };
    let pod = p
        .url
        .all_untracked()
        .into_iter()
        .find_map(|(k, v)| (k == "pod").then_some(v))
        .unwrap_or_default();
    view! { <AppLogs conn=p.conn id=p.id() name=p.name() pod=pod/> }.into_any()
}
