//! The containers of a Qovery environment: live states, search / sort / filter in the URL, row
//! actions allowed by state, delete by typed name. Refreshing never blanks the table.

mod actions;
mod attention;
mod bulk;
mod delete;
mod links;
mod row;

use std::collections::HashMap;
use std::time::Duration;

use berth_api::config::{BackendKind, Connection};
use berth_api::qovery::{ContainerResponse, EnvironmentStatuses, ServiceAction, State};
use leptos::prelude::*;

use crate::routes::AppPath;
use crate::state::rows::RowsById;
use crate::state::table::list_shape;
use crate::state::virtual_rows::VirtualRows;

use crate::api;
use crate::components::link::base;
use crate::components::link::Link;
use crate::components::live_table::LiveTable;
use crate::components::service_actions::ServiceActions;
use crate::components::state_chip::Chip;
use crate::components::table_tools::{
    use_table_query, use_visible_rows, SearchBox, SortHeader, StatusFilter,
};
use crate::ops::words::qovery_state;
use crate::pages::{connected, param};
use crate::state::live_list::{use_live_list, ListSource, Load};
use crate::state::poll::pace;
use crate::state::selection::Selection;
use crate::state::table::{Row, TableQuery};
use actions::{use_row_actions, RowActions};
use links::use_open_links;
pub use row::ContainerRow;

#[component]
pub fn QoveryContainers() -> impl IntoView {
    connected(BackendKind::Qovery, |c| view! { <Containers conn=c/> })
}

/// The containers of one environment, with their states.
#[derive(Clone, Copy)]
struct EnvContainers {
    conn: StoredValue<Connection>,
    env: Memo<String>,
}

impl ListSource for EnvContainers {
    type Key = String;
    type Row = ContainerRow;
    type Extra = ();

    fn key(&self) -> String {
        self.env.get()
    }

    fn load(&self, env: String, _: ()) -> Load<ContainerRow, ()> {
        let c = self.conn.get_value();
        Box::pin(async move {
            let containers = api::qovery::containers::<ContainerResponse>(&c, &env).await?;
            let statuses = api::qovery::statuses::<EnvironmentStatuses>(&c, &env).await?;
            let rows = containers
                .into_iter()
                .map(|ct| {
                    let st = statuses.containers.iter().find(|s| s.id == ct.id);
                    ContainerRow::new(
                        ct,
                        st.map(|s| s.state.clone()),
                        st.and_then(|s| s.last_deployment_date.clone()),
                    )
                })
                .collect();
            Ok((rows, ()))
        })
    }

    fn interval(&self, rows: &[ContainerRow]) -> Duration {
        pace(
            rows.iter()
                .any(|x| x.state.as_ref().is_some_and(State::is_transitional)),
        )
    }
}

#[component]
fn Containers(conn: Connection) -> impl IntoView {
    let env = param("env");
    let (org, project) = (param("org"), param("project"));
    let conn = StoredValue::new(conn);
    // Environment A's late answer never lands on B: a new environment cancels A's loads.
    let list = use_live_list(EnvContainers { conn, env });
    let (rows, live) = (list.rows, list.live);

    let env_info = LocalResource::new(move || {
        let c = conn.get_value();
        let e = env.get();
        async move { api::qovery::environment(&c, &e).await.ok() }
    });
    let (query, set_query) = use_table_query();
    let marks = attention::use_attention(conn, env, rows);
    let visible = marks.filter(rows, use_visible_rows(rows, query));
    let by_id = RowsById::new(rows);
    let shown = Memo::new(move |_| visible.with(|v| by_id.ids(v)));
    let window = VirtualRows::new(visible, Signal::derive(|| 0));
    let in_window = Memo::new(move |_| window.shown.with(|v| by_id.ids(v)));
    // Each row's place among those shown (rows are keyed by id; their place moves with a sort).
    let places = Memo::new(move |_| {
        shown.with(|v| {
            v.iter()
                .enumerate()
                .map(|(i, id)| (id.clone(), i))
                .collect::<HashMap<_, _>>()
        })
    });
    Effect::new(move |first: Option<()>| {
        query.track();
        if first.is_some() {
            window.to_top();
        }
    });
    // Kept across polls by id; an id gone from the list leaves the selection.
    let selection = Selection::new();
    Effect::new(move |_| {
        rows.with(|r| {
            // Nothing selected (the usual case): a poll of 10,000 rows costs nothing here.
            if selection.ids.with_untracked(Vec::is_empty) {
                return;
            }
            let present = r.iter().map(|x| x.c.id.as_str()).collect();
            selection.keep_only(&present);
        })
    });
    let shape = Memo::new(move |_| {
        list_shape(
            live.loaded_at.with(Option::is_some),
            live.error.with(Option::is_some),
            rows.with(Vec::is_empty),
        )
    });
    let status_options = Signal::derive(move || {
        let mut states: Vec<String> = rows.with(|r| {
            r.iter()
                .filter_map(|x| x.state.as_ref().map(|s| s.to_string()))
                .collect()
        });
        states.sort();
        states.dedup();
        states
            .into_iter()
            .map(|s| (s.clone(), qovery_state(&State::from_wire(&s)).0))
            .collect()
    });

    let RowActions {
        busy,
        errors: row_errors,
        run: run_action,
    } = use_row_actions(conn, rows);
    let deleting = RwSignal::new(None::<(String, String)>);
    let links = use_open_links(conn, rows);

    let conn_id = conn.with_value(|c| c.id.clone());
    let new_href = move || {
        AppPath::QoveryNew {
            conn: conn_id.clone(),
            org: org.get(),
            project: project.get(),
            env: env.get(),
        }
        .to_path()
    };
    let new_href = StoredValue::new(new_href);
    let title = move || {
        env_info
            .get()
            .flatten()
            .map(|e| format!("Containers · {}", e.name))
            .unwrap_or_else(|| "Containers".to_string())
    };
    let conn_id = conn.with_value(|c| c.id.clone());
    view! {
        <section class="berth-page">
            <div class="berth-page-head">
                <h1>{title}</h1>
                <Link href=AppPath::QoveryPicker { conn: conn_id.clone(), org: Some(org.get_untracked()), project: Some(project.get_untracked()) }.to_path() class="berth-muted">"Change environment"</Link>
            </div>
            <LiveTable
                label="Containers"
                live=live
                error=live.error
                shape=shape
                on_refresh=list.callback()
                tools=move || view! {
                    <SearchBox query=query set=set_query label="Search containers"/>
                    <StatusFilter query=query set=set_query options=status_options/>
                    <attention::AttentionFilter marks=marks/>
                }
                notices=move || view! {
                    <bulk::BulkBar selection=selection rows=rows shown=shown conn=conn env=env on_sent=list.callback()/>
                }
                action=move || view! {
                    <a class="berth-btn berth-btn-primary" href=move || base().href(&new_href.with_value(|f| f()))>"New container"</a>
                }
                empty=move || view! {
                    <p>"No containers in this environment yet."</p>
                    <a class="berth-btn berth-btn-primary" href=base().href(&new_href.with_value(|f| f()))>"Create a container"</a>
                }
                head=move || view! { <ContainersHead query=query set_query=set_query selection=selection shown=shown/> }
                window=window
                before=|| ()
                rows=move || view! {
                    <For
                        each=move || in_window.get()
                        key=|id| id.clone()
                        children=move |id| {
                            let row = by_id.row(id.clone());
                            let place = Signal::derive({ let id = id.clone(); move || places.with(|p| p.get(&id).copied().unwrap_or_default()) });
                            let open = Signal::derive({ let id = id.clone(); move || links.with(|l| l.get(&id).cloned().flatten()) });
                            let mark = marks.of(id.clone());
                            view! { <ContainerLine id=id row=row place=place window=window open=open mark=mark conn_id=conn.with_value(|c| c.id.clone()) busy=busy errors=row_errors run=run_action deleting=deleting selection=selection shown=shown/> }
                        }
                    />
                }
                footer=move || view! {
                    <p class="berth-muted berth-count">{move || format!("{} of {} containers", visible.with(Vec::len), rows.with(Vec::len))}</p>
                }
            />
            <delete::DeleteDialog conn=conn rows=rows deleting=deleting/>
        </section>
    }
}

/// The header row: select all shown, and the sortable columns.
#[component]
fn ContainersHead(
    query: Memo<TableQuery>,
    set_query: Callback<TableQuery>,
    selection: Selection,
    shown: Memo<Vec<String>>,
) -> impl IntoView {
    let all_shown = move || {
        shown.with(|v| !v.is_empty() && selection.ids.with(|s| v.iter().all(|id| s.contains(id))))
    };
    let some_shown = move || {
        !all_shown() && shown.with(|v| selection.ids.with(|s| v.iter().any(|id| s.contains(id))))
    };
    view! {
        <tr aria-rowindex="1">
            <th scope="col" class="berth-select-cell">
                <input
                    type="checkbox"
                    aria-label="Select all shown containers"
                    prop:checked=all_shown
                    prop:indeterminate=some_shown
                    on:change=move |ev| selection.set(&shown.get_untracked(), event_target_checked(&ev))
                />
            </th>
            <SortHeader query=query set=set_query col="name" label="Name"/>
            <SortHeader query=query set=set_query col="image" label="Image"/>
            <SortHeader query=query set=set_query col="state" label="State"/>
            <SortHeader query=query set=set_query col="deployed" label="Deployed"/>
            <SortHeader query=query set=set_query col="cpu" label="CPU" num=true/>
            <SortHeader query=query set=set_query col="memory" label="Memory" num=true/>
            <th scope="col" class="num">"Instances"</th>
            <th scope="col">"Ports"</th>
            <th scope="col"><span class="berth-sr">"Actions"</span></th>
        </tr>
    }
}

/// One row, keyed by its id: a poll that changes its state, tag or deployment date updates its
/// cells in place (the focused button and the row stay).
#[component]
fn ContainerLine(
    id: String,
    row: Memo<Option<ContainerRow>>,
    /// Its place among the rows shown, and the table's window.
    place: Signal<usize>,
    window: VirtualRows,
    /// Its public link, once read.
    open: Signal<Option<String>>,
    /// Why it needs attention (restarted or killed in the last hour), if it does.
    mark: Signal<Option<String>>,
    conn_id: String,
    busy: RwSignal<HashMap<String, ServiceAction>>,
    errors: RwSignal<HashMap<String, String>>,
    run: Callback<(String, ServiceAction)>,
    deleting: RwSignal<Option<(String, String)>>,
    selection: Selection,
    shown: Memo<Vec<String>>,
) -> impl IntoView {
    let field = move |f: fn(&ContainerRow) -> String| {
        move || row.with(|r| r.as_ref().map(f).unwrap_or_default())
    };
    let chip = move || {
        row.with(|r| r.as_ref().and_then(|r| r.state.as_ref().map(qovery_state)))
            .unwrap_or(("Unknown".into(), crate::ops::words::Tone::Neutral))
    };
    let href = AppPath::QoveryDetail {
        conn: conn_id,
        id: id.clone(),
    }
    .to_path();
    let deployed_at = field(|r| r.last_deployment.clone().unwrap_or_default());
    let clock = use_context::<crate::state::clock::Clock>();
    let deployed = move || match Some(deployed_at())
        .filter(|d| !d.is_empty())
        .map(|d| js_sys::Date::parse(&d))
        .filter(|t| t.is_finite())
    {
        Some(t) => crate::state::clock::ago(clock.map(|c| c.0.get()).unwrap_or(t) - t),
        None => "—".to_string(),
    };
    let (err_id, busy_id, track_id) = (id.clone(), id.clone(), id.clone());
    let store = use_context::<crate::state::pending::PendingStore>();
    let tracked = move || {
        store
            .and_then(|s| s.running_for(&track_id))
            .map(|p| p.kind.as_str())
    };
    let on_action = {
        let id = id.clone();
        Callback::new(move |action: ServiceAction| {
            if action == ServiceAction::Delete {
                let name = row.with_untracked(|r| r.as_ref().map(|r| r.c.name.clone()));
                deleting.set(Some((id.clone(), name.unwrap_or_default())));
            } else {
                run.run((id.clone(), action));
            }
        })
    };
    let (checked_id, click_id) = (id.clone(), id.clone());
    let select_label = move || {
        row.with(|r| {
            format!(
                "Select {}",
                r.as_ref().map(|r| r.c.name.as_str()).unwrap_or_default()
            )
        })
    };
    view! {
        <tr
            data-id=id.clone()
            data-state=field(|r| r.status().to_string())
            data-pos=move || place.get().to_string()
            aria-rowindex=move || window.row_index(place.get()).to_string()
            tabindex=move || window.tab_index(place.get())
        >
            <td class="berth-select-cell">
                <input
                    type="checkbox"
                    aria-label=select_label
                    prop:checked=move || selection.has(&checked_id)
                    on:click=move |ev| selection.click(&click_id, event_target_checked(&ev), ev.shift_key(), &shown.get_untracked())
                />
            </td>
            <td>
                <Link href=href>{field(|r| r.c.name.clone())}</Link>
                {move || mark.get().map(|why| { let title = why.clone(); view! { " "<span class="berth-attention" style="color:var(--b-busy)" title=title data-attention="">"⚠"<span class="berth-sr">{why}</span></span> } })}
            </td>
            <td>
                <code>{field(|r| format!("{}:{}", r.c.image_name, r.c.tag))}</code>
                <div class="berth-muted berth-small">{field(|r| r.c.registry.as_ref().map(|x| x.name.clone()).unwrap_or_default())}</div>
            </td>
            <td>
                {move || { let (label, tone) = chip(); view! { <Chip label=label tone=tone/> } }}
                {move || tracked().map(|k| { let title = format!("{k} in progress"); view! { <span class="berth-tracked" title=title>" ⟳ "{k}</span> } })}
                {move || errors.with(|e| e.get(&err_id).cloned()).map(|m| view! { <div class="berth-field-error" role="alert">{m}</div> })}
            </td>
            <td class="berth-small" title=deployed_at>{deployed}</td>
            <td class="num">{field(|r| format!("{} m", r.c.cpu))}</td>
            <td class="num">{field(|r| format!("{} MB", r.c.memory))}</td>
            <td class="num">{field(ContainerRow::instances)}</td>
            <td class="berth-small">{field(ContainerRow::ports)}</td>
            <td class="berth-row-actions">
                {move || open.get().map(|url| {
                    let label = row.with(|r| format!("Open {} ({url})", r.as_ref().map(|r| r.c.name.as_str()).unwrap_or_default()));
                    view! { <a class="berth-btn berth-btn-small" href=url target="_blank" rel="noopener noreferrer" aria-label=label data-open="">"Open"</a> }
                })}
                <ServiceActions
                    state=Signal::derive(move || row.with(|r| r.as_ref().and_then(|r| r.state.clone())))
                    busy=Signal::derive(move || busy.with(|b| b.get(&busy_id).copied()))
                    on_action=on_action
                    compact=true
                />
            </td>
        </tr>
    }
}
