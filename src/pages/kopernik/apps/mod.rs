//! Container apps of a Kopernik provider: a tab per provider, server-side jq and page size in the
//! URL, "load more" with `nextToken`, search / sort / status filter on the loaded rows, in the
//! table shell's virtual list, so 100,000 loaded apps stay responsive.

mod bulk;
mod creating;
mod delete;
mod jq;
mod row;

use berth_api::config::{BackendKind, Connection};
use std::time::Duration;

use berth_api::kopernik::{BrokenItem, ProviderId};
use leptos::prelude::*;

use crate::routes::AppPath;
use crate::state::live_list::{use_live_list, ListSource, LiveList, Load};
use crate::state::poll::pace;
use crate::state::rows::page_slot;
use crate::state::selection::Selection;
use crate::state::table::list_shape;
use crate::state::virtual_rows::VirtualRows;

use crate::api::{self, ApiError};
use crate::components::link::base;
use crate::components::live_table::LiveTable;
use crate::components::state_chip::Chip;
use crate::components::table_tools::{
    use_table_query_in, use_visible_rows, SearchBox, SortHeader, StatusFilter,
};
use crate::ops::words::{kopernik_tone, Tone};
use crate::pages::{connected, param};
use crate::state::table::{Row, TableQuery};
use crate::state::url_query::use_url_query;
use creating::use_creating;
pub use delete::DeleteApp;
use delete::DeleteDialog;
pub use row::AppRow;

/// In this screen's chunk, not the first screen's stylesheet.
const PAGER_CSS: &str = ".berth .berth-pager{display:flex;align-items:center;gap:8px;margin-top:12px;flex-wrap:wrap}.berth .berth-optimistic td{color:var(--b-muted);font-style:italic}";
const PAGE_SIZES: [u32; 5] = [25, 50, 100, 500, 1000];
const DEFAULT_PAGE_SIZE: u32 = 50;

#[component]
pub fn KopernikApps() -> impl IntoView {
    connected(BackendKind::Kopernik, |c| view! { <Apps conn=c/> })
}

#[component]
fn Apps(conn: Connection) -> impl IntoView {
    let provider = param("provider");
    let conn_id = conn.id.clone();
    let tabs = ProviderId::ALL
        .iter()
        .map(|p| {
            let p = p.to_string();
            let current = {
                let p = p.clone();
                move || (provider.get() == p).then_some("page")
            };
            view! {
                <li><a href=base().href(&AppPath::KopernikApps { conn: conn_id.clone(), provider: p.clone() }.to_path()) aria-current=current class="berth-tab">{p.clone()}</a></li>
            }
        })
        .collect_view();
    view! {
        <section class="berth-page">
            <h1>"Kopernik · container apps"</h1>
            <ul class="berth-tabs" role="list">{tabs}</ul>
            {move || {
                let p = provider.get();
                match ProviderId::from_wire(&p) {
                    ProviderId::Unknown(_) => view! {
                        <div class="berth-panel berth-error" role="alert">
                            <p>"Unknown provider " <code>{p}</code> ": choose akamai, aws or digitalocean."</p>
                        </div>
                    }.into_any(),
                    _ => view! { <AppTable conn=conn.clone() provider=p/> }.into_any(),
                }
            }}
        </section>
    }
}

/// The apps of one provider under a jq filter, `max` per request, page after page.
#[derive(Clone, Copy)]
struct ProviderApps {
    conn: StoredValue<Connection>,
    provider: StoredValue<String>,
    jq: Memo<String>,
    max: Memo<u32>,
}

/// What the pages loaded so far brought beside their apps.
#[derive(Clone, Default)]
struct Pages {
    count: usize,
    next: Option<String>,
    /// Items the server sent that could not be read: error rows, never a failed page.
    broken: Vec<BrokenItem>,
}

impl ProviderApps {
    /// The page after `last` (the first when `last` is empty), added to it.
    fn page(&self, (jq, max): (String, u32), mut last: Pages) -> Load<AppRow, Pages> {
        let (c, p) = (self.conn.get_value(), self.provider.get_value());
        Box::pin(async move {
            let token = last.next.take();
            let page =
                api::kopernik::container_apps(&c, &p, token.as_deref(), Some(max), Some(&jq))
                    .await?;
            last.count += 1;
            last.next = page.next_token.filter(|t| !t.is_empty());
            last.broken.extend(page.broken);
            Ok((page.resources.into_iter().map(AppRow::new).collect(), last))
        })
    }
}

impl ListSource for ProviderApps {
    type Key = (String, u32);
    type Row = AppRow;
    type Extra = Pages;

    fn key(&self) -> (String, u32) {
        (self.jq.get(), self.max.get())
    }

    /// Walks again as many pages as were loaded, so a poll keeps what "Load more" added.
    fn load(&self, key: (String, u32), last: Pages) -> Load<AppRow, Pages> {
        let this = *self;
        Box::pin(async move {
            let (mut rows, mut got) = this.page(key.clone(), Pages::default()).await?;
            while got.count < last.count && got.next.is_some() {
                let (more, with) = this.page(key.clone(), got).await?;
                rows.extend(more);
                got = with;
            }
            Ok((rows, got))
        })
    }

    fn more(&self, key: (String, u32), last: &Pages) -> Option<Load<AppRow, Pages>> {
        last.next.as_ref()?;
        Some(self.page(key, last.clone()))
    }

    /// Fast while an app is on its way somewhere.
    fn interval(&self, rows: &[AppRow]) -> Duration {
        pace(
            rows.iter()
                .any(|r| kopernik_tone(&r.app.status) == Tone::Busy),
        )
    }
}

#[component]
fn AppTable(conn: Connection, provider: String) -> impl IntoView {
    let conn = StoredValue::new(conn);
    let provider = StoredValue::new(provider);
    // One query for the filter, the page size and the table tools: they share the URL.
    let url = use_url_query();
    let jq = Memo::new(move |_| url.get("jq").unwrap_or_default());
    let max = Memo::new(move |_| {
        url.get("max")
            .and_then(|m| m.parse::<u32>().ok())
            .filter(|m| PAGE_SIZES.contains(m))
            .unwrap_or(DEFAULT_PAGE_SIZE)
    });

    // Polled like the Qovery list; a new filter or size starts over (older loads cancelled, their
    // answers never land), and leaving the page or switching provider cancels them all.
    let list = use_live_list(ProviderApps {
        conn,
        provider,
        jq,
        max,
    });
    let (rows, live) = (list.rows, list.live);
    // A 400 about the filter belongs at the filter input, not over the table.
    let is_jq = |e: &ApiError| e.status == Some(400) && e.message.starts_with("jq");
    let jq_error = Memo::new(move |_| {
        live.error
            .with(|e| e.as_ref().filter(|e| is_jq(e)).map(|e| e.message.clone()))
    });
    let table_error = Signal::derive(move || live.error.get().filter(|e| !is_jq(e)));
    let broken = Memo::new(move |_| list.extra.with(|x| x.broken.clone()));
    let has_next = Memo::new(move |_| list.extra.with(|x| x.next.is_some()));
    let creating = use_creating(conn, provider, rows);

    let (query, set_query) = use_table_query_in(url);
    let visible = use_visible_rows(rows, query);
    // Broken items are rows too: a page of only unreadable apps is not "empty".
    let shape = Memo::new(move |_| {
        list_shape(
            live.loaded_at.with(Option::is_some),
            live.error.with(Option::is_some),
            rows.with(Vec::is_empty) && broken.with(Vec::is_empty),
        )
    });
    let before = Signal::derive(move || broken.with(Vec::len) + creating.with(Vec::len));
    let window = VirtualRows::new(visible, before);
    // A new search, filter or sort starts from the first row (a poll keeps the place).
    Effect::new(move |first: Option<()>| {
        query.track();
        if first.is_some() {
            window.to_top();
        }
    });
    let statuses = Signal::derive(move || {
        let mut s: Vec<String> = rows.with(|r| r.iter().map(|x| x.app.status.clone()).collect());
        s.sort();
        s.dedup();
        s.into_iter().map(|x| (x.clone(), x)).collect()
    });

    let deleting = RwSignal::new(None::<(String, String)>);
    let notice = RwSignal::new(None::<String>);
    // Kept across polls by uid; an app gone from the list leaves the selection.
    let selection = Selection::new();
    Effect::new(move |_| {
        rows.with(|r| {
            // Nothing selected (the usual case): a poll of 10,000 rows costs nothing here.
            if selection.ids.with_untracked(Vec::is_empty) {
                return;
            }
            let present = r.iter().map(|x| x.app.uid.as_str()).collect();
            selection.keep_only(&present);
        })
    });
    let shown = move || shown_uids(visible, rows);
    let conn_id = conn.with_value(|c| c.id.clone());
    let new_href = StoredValue::new(
        AppPath::KopernikNew {
            conn: conn_id,
            provider: provider.get_value(),
        }
        .to_path(),
    );
    view! {
        <jq::JqFilter jq=jq jq_error=jq_error url=url/>
        <LiveTable
            label="Container apps"
            live=live
            error=table_error
            shape=shape
            on_refresh=list.callback()
            tools=move || view! {
                <SearchBox query=query set=set_query label="Search loaded apps"/>
                <StatusFilter query=query set=set_query options=statuses/>
                <select
                    class="berth-select"
                    aria-label="Apps per request"
                    prop:value=move || max.get().to_string()
                    on:change=move |ev| url.set("max", event_target_value(&ev))
                >
                    {PAGE_SIZES.iter().map(|n| view! { <option value=n.to_string()>{format!("{n} per request")}</option> }).collect_view()}
                </select>
            }
            action=move || view! {
                <a class="berth-btn berth-btn-primary" href=base().href(&new_href.get_value())>"New container app"</a>
            }
            notices=move || view! {
                <bulk::BulkDelete selection=selection rows=rows conn=conn provider=provider notice=notice/>
                {move || notice.get().map(|n| view! { <p class="berth-panel berth-notice" role="status">{n}</p> })}
                // The filter's error is at its input; say here why no row shows.
                <Show when=move || jq_error.with(Option::is_some)>
                    <div class="berth-panel berth-empty" data-jq-blocked="">
                        <p>"No apps shown: the server could not run this filter. Fix it above, or clear it to list every app."</p>
                    </div>
                </Show>
            }
            empty=move || {
                let empty = move || if jq.with(String::is_empty) { "No container apps on this provider yet." } else { "No container app matches this filter." };
                view! {
                    <p>{empty}</p>
                    <a class="berth-btn berth-btn-primary" href=base().href(&new_href.get_value())>"Create a container app"</a>
                }
            }
            head=move || view! { <AppsHead query=query set_query=set_query selection=selection rows=rows visible=visible/> }
            window=window
            before=move || view! { <PendingRows broken=broken creating=creating/> }
            rows=move || view! {
                <For
                    each=move || 0..window.shown.with(Vec::len)
                    key=|slot| *slot
                    children=move |slot| {
                        let row = page_slot(rows, window.shown, slot);
                        view! { <AppLine row=row at=slot window=window conn_id=conn.with_value(|c| c.id.clone()) deleting=deleting selection=selection shown=shown/> }
                    }
                />
            }
            footer=move || view! { <AppsPager list=list visible=visible has_next=has_next/> }
        />
        <DeleteDialog conn=conn provider=provider rows=rows deleting=deleting notice=notice/>
    }
}

/// The uids the table shows, in order: computed on a click, not on every keystroke.
fn shown_uids(visible: Memo<Vec<usize>>, rows: RwSignal<Vec<AppRow>>) -> Vec<String> {
    visible.with_untracked(|v| {
        rows.with_untracked(|r| {
            v.iter()
                .filter_map(|i| r.get(*i).map(|x| x.app.uid.clone()))
                .collect::<Vec<_>>()
        })
    })
}

/// The header row: select all shown, and the sortable columns.
#[component]
fn AppsHead(
    query: Memo<TableQuery>,
    set_query: Callback<TableQuery>,
    selection: Selection,
    rows: RwSignal<Vec<AppRow>>,
    visible: Memo<Vec<usize>>,
) -> impl IntoView {
    let all_shown = move || {
        !selection.is_empty()
            && visible.with(|v| {
                !v.is_empty()
                    && rows.with(|r| {
                        v.iter()
                            .filter_map(|i| r.get(*i))
                            .all(|x| selection.has(&x.app.uid))
                    })
            })
    };
    view! {
        <tr aria-rowindex="1">
            <th scope="col" class="berth-select-cell">
                <input
                    type="checkbox"
                    aria-label="Select all shown container apps"
                    prop:checked=all_shown
                    on:change=move |ev| selection.set(&shown_uids(visible, rows), event_target_checked(&ev))
                />
            </th>
            <SortHeader query=query set=set_query col="name" label="Name"/>
            <SortHeader query=query set=set_query col="status" label="Status"/>
            <SortHeader query=query set=set_query col="image" label="Image"/>
            <SortHeader query=query set=set_query col="template" label="Template"/>
            <SortHeader query=query set=set_query col="type" label="Machine type"/>
            <SortHeader query=query set=set_query col="region" label="Region"/>
            <th scope="col">"IPs"</th>
            <SortHeader query=query set=set_query col="created" label="Created"/>
            <th scope="col"><span class="berth-sr">"Actions"</span></th>
        </tr>
    }
}

/// Body rows above the window: items the server sent that could not be read, and creates on
/// their way.
#[component]
fn PendingRows(broken: Memo<Vec<BrokenItem>>, creating: Memo<Vec<String>>) -> impl IntoView {
    view! {
        {move || broken.get().into_iter().map(|b| {
            let what = b.uid.clone().map(|u| format!("App {u}")).unwrap_or_else(|| format!("Item {}", b.index + 1));
            view! {
                <tr class="berth-broken" data-broken=b.index.to_string()>
                    <td colspan="10" class="berth-field-error">{what}" could not be read: "{b.error}</td>
                </tr>
            }
        }).collect_view()}
        {move || creating.get().into_iter().map(|name| {
            let attr = name.clone();
            view! {
                <tr class="berth-optimistic" data-creating=attr>
                    <td></td>
                    <td>{name}</td>
                    <td><span class="berth-chip berth-chip-busy">"creating"</span></td>
                    <td colspan="7" class="berth-muted berth-small">"The provider is creating the machine; the row fills in when it exists."</td>
                </tr>
            }
        }).collect_view()}
    }
}

/// Under the table: how many rows show, and "Load more" while the server has more.
#[component]
fn AppsPager(
    list: LiveList<ProviderApps>,
    visible: Memo<Vec<usize>>,
    has_next: Memo<bool>,
) -> impl IntoView {
    let (rows, live) = (list.rows, list.live);
    view! {
        <style>{PAGER_CSS}</style>
        <div class="berth-pager">
            <span class="berth-muted berth-count">{move || {
                let (n, total) = (visible.with(Vec::len), rows.with(Vec::len));
                format!("{n} shown · {total} loaded")
            }}</span>
            <span class="berth-spacer"></span>
            <Show when=move || has_next.get()>
                <button class="berth-btn" disabled=move || live.loading.get() on:click=move |_| list.more()>
                    {move || if live.loading.get() { "Loading…" } else { "Load more" }}
                </button>
            </Show>
        </div>
    }
}

/// One slot of the page: it shows whichever app its position holds now. Its cells are one
/// render effect over the row, not one per cell (the age has its own, moved by the clock): a
/// search or a sort rewrites 50 slots, and effects were most of that time in Chrome's profiler.
/// Rebuilt in place, the elements stay, and only text that changed is written.
#[component]
fn AppLine(
    row: Memo<Option<AppRow>>,
    /// Its slot in the window, and the window.
    at: usize,
    window: VirtualRows,
    conn_id: String,
    deleting: RwSignal<Option<(String, String)>>,
    selection: Selection,
    shown: impl Fn() -> Vec<String> + Copy + 'static,
) -> impl IntoView {
    let base = base();
    let clock = use_context::<crate::state::clock::Clock>();
    let store = use_context::<crate::state::pending::PendingStore>();
    let cells = move || {
        row.with(|r| {
            r.as_ref().map(|r| {
                let href = base.href(
                    &AppPath::KopernikDetail {
                        conn: conn_id.clone(),
                        provider: r.app.provider_uid.clone(),
                        uid: r.app.uid.clone(),
                    }
                    .to_path(),
                );
                let status = r.status().to_string();
                let tone = kopernik_tone(&status);
                let tracked = store
                    .and_then(|s| s.running_for(&r.app.uid))
                    .map(|p| p.kind.as_str());
                view! {
                    <td><a href=href>{r.app.name.clone()}</a></td>
                    <td>
                        <Chip label=status tone=tone/>
                        {tracked.map(|k| { let title = format!("{k} in progress"); view! { <span class="berth-tracked" title=title>" ⟳ "{k}</span> } })}
                    </td>
                    <td><code>{r.image()}</code></td>
                    <td>{r.app.template_id.clone().unwrap_or_else(|| "—".into())}</td>
                    <td>{r.app.machine.machine_type_uid.clone()}</td>
                    <td>{r.app.region_uid.clone()}</td>
                    <td><code class="berth-small">{r.ips()}</code></td>
                }
            })
        })
    };
    // Its own effect: the clock ticks each second, and that must not rebuild the whole row.
    let created = move || match row.with(|r| r.as_ref().and_then(AppRow::created)) {
        Some(t) => {
            crate::state::clock::ago(clock.map(|c| c.0.get()).unwrap_or(t * 1000.0) - t * 1000.0)
        }
        None => "—".to_string(),
    };
    let attr = move |f: fn(&AppRow) -> String| move || row.with(|r| r.as_ref().map(f));
    let on_delete = move |_| {
        if let Some(target) =
            row.with_untracked(|r| r.as_ref().map(|r| (r.app.uid.clone(), r.app.name.clone())))
        {
            deleting.set(Some(target));
        }
    };
    view! {
        <tr
            data-uid=attr(|r| r.app.uid.clone())
            data-status=attr(|r| r.status().to_string())
            data-pos=move || window.pos(at).to_string()
            aria-rowindex=move || window.row_index(window.pos(at)).to_string()
            tabindex=move || window.tab_index(window.pos(at))
        >
            <td class="berth-select-cell">
                <input
                    type="checkbox"
                    aria-label=move || row.with(|r| format!("Select {}", r.as_ref().map(|r| r.app.name.as_str()).unwrap_or_default()))
                    prop:checked=move || row.with(|r| r.as_ref().is_some_and(|r| selection.has(&r.app.uid)))
                    on:click=move |ev| {
                        if let Some(uid) = row.with_untracked(|r| r.as_ref().map(|r| r.app.uid.clone())) {
                            selection.click(&uid, event_target_checked(&ev), ev.shift_key(), &shown());
                        }
                    }
                />
            </td>
            {cells}
            <td class="berth-small">{created}</td>
            <td class="berth-row-actions">
                {move || row.with(|r| r.as_ref().and_then(|r| r.app.address().map(|url| {
                    let label = format!("Open {} ({url})", r.app.name);
                    view! { <a class="berth-btn berth-btn-small" href=url target="_blank" rel="noopener noreferrer" aria-label=label data-open="">"Open"</a> }
                })))}
                <button class="berth-btn berth-btn-small berth-danger" data-action="delete" on:click=on_delete>"Delete"</button>
            </td>
        </tr>
    }
}
