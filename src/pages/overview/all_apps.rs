//! All apps of every connection in one table, with the connection as a column. Qovery containers
//! come from every environment; Kopernik apps from the first 100 of each provider (the provider's
//! own page lists them all).

use berth_api::config::{BackendKind, Connection};
use berth_api::kopernik::ProviderId;
use std::time::Duration;

use berth_api::summary::{EnvironmentStates, KopernikApp, Named, QoveryContainer};
use leptos::prelude::*;

use crate::routes::AppPath;

use crate::api::{self, ApiError};
use crate::components::link::Link;
use crate::components::state_chip::{kopernik_tone, qovery_label, Chip, Tone};
use crate::components::table_tools::{
    use_table_query, use_visible_rows, SearchBox, SortHeader, StatusFilter,
};
use crate::components::updated::Updated;
use crate::state::connections::Connections;
use crate::state::live_list::{use_live_list, ListSource, Load};
use crate::state::table::{list_shape, ListShape, Row, SortKey};
use crate::text;

const PER_PROVIDER: u32 = 100;

#[derive(Clone, Debug, PartialEq)]
pub struct AppLine {
    pub connection: String,
    pub backend: &'static str,
    pub name: String,
    /// The status as shown (Qovery's state label or Kopernik's status): what the filter matches.
    pub label: String,
    pub tone: Tone,
    pub image: String,
    pub place: String,
    pub href: String,
    haystack: String,
    /// Lower-cased connection, name, label, image, place: the sortable text.
    lower: [String; 5],
}

impl AppLine {
    /// The search and sort keys of a row built with empty ones (computed once per row).
    fn indexed(mut self) -> Self {
        let AppLine {
            connection,
            backend,
            name,
            label,
            image,
            place,
            ..
        } = &self;
        let haystack = text::lower(&format!(
            "{connection} {backend} {name} {label} {image} {place}"
        ));
        let lower = [connection, name, label, image, place].map(|s| text::lower(s));
        self.haystack = haystack;
        self.lower = lower;
        self
    }
}

impl Row for AppLine {
    fn id(&self) -> &str {
        &self.href
    }
    fn haystack(&self) -> &str {
        &self.haystack
    }
    fn status(&self) -> &str {
        &self.label
    }
    fn sort_key(&self, col: &str) -> SortKey<'_> {
        let i = match col {
            "connection" => 0,
            "status" => 2,
            "image" => 3,
            "place" => 4,
            _ => 1,
        };
        SortKey::Text(&self.lower[i])
    }
}

fn label_of(c: &Connection) -> String {
    if c.label.is_empty() {
        c.id.clone()
    } else {
        c.label.clone()
    }
}

/// Where a part of a connection failed, and how.
type Failure = (String, ApiError);

/// Every container of a connection; a part that fails (an organization's projects, a project's
/// environments, an environment's containers) is reported on its own and the rest still shown.
async fn qovery_lines(c: &Connection) -> (Vec<AppLine>, Vec<Failure>) {
    let mut out = Vec::new();
    let mut failed = Vec::new();
    let conn = label_of(c);
    let orgs = match api::qovery::organizations::<Named>(c).await {
        Ok(o) => o,
        Err(e) => return (out, vec![(conn, e)]),
    };
    for org in orgs {
        let projects = match api::qovery::projects::<Named>(c, &org.id).await {
            Ok(p) => p,
            Err(e) => {
                failed.push((format!("{conn} · {}", org.name), e));
                continue;
            }
        };
        for project in projects {
            let envs = match api::qovery::environments::<Named>(c, &project.id).await {
                Ok(e) => e,
                Err(e) => {
                    failed.push((format!("{conn} · {} / {}", org.name, project.name), e));
                    continue;
                }
            };
            for env in envs {
                let loaded = async {
                    let containers = api::qovery::containers::<QoveryContainer>(c, &env.id).await?;
                    let statuses = api::qovery::statuses::<EnvironmentStates>(c, &env.id).await?;
                    Ok::<_, ApiError>((containers, statuses))
                }
                .await;
                let (containers, statuses) = match loaded {
                    Ok(x) => x,
                    Err(e) => {
                        failed.push((
                            format!("{conn} · {} / {} / {}", org.name, project.name, env.name),
                            e,
                        ));
                        continue;
                    }
                };
                for ct in containers {
                    let state = statuses
                        .containers
                        .iter()
                        .find(|s| s.id == ct.id)
                        .map(|s| s.state.clone());
                    let (label, tone) = state
                        .as_ref()
                        .map(qovery_label)
                        .unwrap_or(("Unknown".into(), Tone::Neutral));
                    out.push(
                        AppLine {
                            connection: label_of(c),
                            backend: "Qovery",
                            name: ct.name.clone(),
                            label,
                            tone,
                            image: format!("{}:{}", ct.image_name, ct.tag),
                            place: format!("{} / {} / {}", org.name, project.name, env.name),
                            href: AppPath::QoveryDetail {
                                conn: c.id.clone(),
                                id: ct.id.clone(),
                            }
                            .to_path(),
                            haystack: String::new(),
                            lower: Default::default(),
                        }
                        .indexed(),
                    );
                }
            }
        }
    }
    (out, failed)
}

/// The first apps of each provider; a provider that fails, or an app that cannot be read, is
/// reported on its own.
async fn kopernik_lines(c: &Connection) -> (Vec<AppLine>, Vec<Failure>) {
    let mut out = Vec::new();
    let mut failed = Vec::new();
    for p in ProviderId::ALL {
        let page = match api::kopernik::container_apps::<KopernikApp>(
            c,
            p.as_str(),
            None,
            Some(PER_PROVIDER),
            None,
        )
        .await
        {
            Ok(page) => page,
            Err(e) => {
                failed.push((format!("{} · {p}", label_of(c)), e));
                continue;
            }
        };
        for b in page.broken {
            let what = b.uid.unwrap_or_else(|| format!("item {}", b.index + 1));
            failed.push((
                format!("{} · {p} · {what}", label_of(c)),
                ApiError::malformed(200, &b.error, ""),
            ));
        }
        for a in page.resources {
            out.push(
                AppLine {
                    connection: label_of(c),
                    backend: "Kopernik",
                    name: a.name.clone(),
                    label: a.status.clone(),
                    tone: kopernik_tone(&a.status),
                    image: a
                        .container_image
                        .as_ref()
                        .map(|i| i.id.clone())
                        .unwrap_or_default(),
                    place: format!("{p} / {}", a.region_uid),
                    href: AppPath::KopernikDetail {
                        conn: c.id.clone(),
                        provider: p.to_string(),
                        uid: a.uid.clone(),
                    }
                    .to_path(),
                    haystack: String::new(),
                    lower: Default::default(),
                }
                .indexed(),
            );
        }
    }
    (out, failed)
}

/// Every app of every connection; the parts that failed come beside the rows.
#[derive(Clone, Copy)]
struct EveryApp {
    conns: Connections,
}

impl ListSource for EveryApp {
    type Key = Vec<Connection>;
    type Row = AppLine;
    type Extra = Vec<Failure>;

    fn key(&self) -> Vec<Connection> {
        self.conns
            .entries
            .with(|e| e.iter().map(|x| x.conn.clone()).collect())
    }

    fn load(&self, list: Vec<Connection>, _: Vec<Failure>) -> Load<AppLine, Vec<Failure>> {
        Box::pin(async move {
            let mut all = Vec::new();
            let mut errors = Vec::new();
            for c in list {
                let (lines, failed) = match c.kind {
                    BackendKind::Kopernik => kopernik_lines(&c).await,
                    _ => qovery_lines(&c).await,
                };
                all.extend(lines);
                errors.extend(failed);
            }
            Ok((all, errors))
        })
    }

    fn interval(&self, _: &[AppLine]) -> Duration {
        crate::state::poll::SLOW
    }

    /// A part refused with a wait (a 429 or 503 and its Retry-After): the whole fan-out waits.
    fn refused(&self, failed: &Vec<Failure>) -> Option<ApiError> {
        failed
            .iter()
            .map(|(_, e)| e)
            .find(|e| e.retry_after.is_some())
            .cloned()
    }
}

#[component]
pub fn AllApps() -> impl IntoView {
    let conns = expect_context::<Connections>();
    // Failures are per part of a connection (`extra`), never the whole list's.
    let list = use_live_list(EveryApp { conns });
    let (rows, live) = (list.rows, list.live);
    let (query, set_query) = use_table_query();
    let visible = use_visible_rows(rows, query);
    let shape = Memo::new(move |_| {
        list_shape(
            live.loaded_at.with(Option::is_some),
            false,
            rows.with(Vec::is_empty),
        )
    });
    let statuses = Signal::derive(move || {
        let mut s: Vec<String> = rows.with(|r| r.iter().map(|x| x.label.clone()).collect());
        s.sort();
        s.dedup();
        s.into_iter().map(|x| (x.clone(), x)).collect()
    });
    // Laid out here rather than in `LiveTable`: this list is on the first screen, and the shell's
    // instance for it measured +3.4 KB brotli there (the first screen's maximum is 200 KB).
    view! {
        <h2 class="berth-section-title">"All apps"</h2>
        <div class="berth-toolbar">
            <SearchBox query=query set=set_query label="Search all apps"/>
            <StatusFilter query=query set=set_query options=statuses/>
            <span class="berth-spacer"></span>
            <Updated at=live.loaded_at refreshing=live.loading/>
            <button class="berth-btn berth-btn-quiet" on:click=move |_| list.reload() disabled=move || live.loading.get()>"Refresh"</button>
        </div>
        {move || list.extra.get().into_iter().map(|(conn, e)| view! {
            <p class="berth-panel berth-error" role="alert">
                <strong>{conn}</strong>": "{e.status.map(|s| format!("HTTP {s} · ")).unwrap_or_default()}{e.message.clone()}
            </p>
        }).collect_view()}
        {move || match shape.get() {
            // Failures are shown per part above; the overview always lists what did load.
            ListShape::Skeleton | ListShape::Nothing => {
                view! { <div class="berth-skeleton" aria-busy="true">{(0..3).map(|_| view! { <div class="berth-skeleton-row"></div> }).collect_view()}</div> }.into_any()
            }
            ListShape::Empty => {
                view! { <div class="berth-panel berth-empty"><p>"No apps on any connection yet."</p></div> }.into_any()
            }
            ListShape::Rows => view! {
                <table class="berth-table" aria-label="All apps" aria-busy=move || live.loading.get().to_string()>
                    <thead><tr>
                        <SortHeader query=query set=set_query col="connection" label="Connection"/>
                        <SortHeader query=query set=set_query col="name" label="Name"/>
                        <SortHeader query=query set=set_query col="status" label="Status"/>
                        <SortHeader query=query set=set_query col="image" label="Image"/>
                        <SortHeader query=query set=set_query col="place" label="Where"/>
                    </tr></thead>
                    <tbody>
                        <For
                            each=move || visible.get().into_iter().filter_map(move |i| rows.with(|r| r.get(i).cloned()))
                            key=|r| (r.href.clone(), r.label.clone())
                            children=|r| view! {
                                <tr>
                                    <td>{r.connection.clone()}<div class="berth-muted berth-small">{r.backend}</div></td>
                                    <td><Link href=r.href.clone()>{r.name.clone()}</Link></td>
                                    <td><Chip label=r.label.clone() tone=r.tone/></td>
                                    <td><code>{r.image.clone()}</code></td>
                                    <td class="berth-small">{r.place.clone()}</td>
                                </tr>
                            }
                        />
                    </tbody>
                </table>
                <p class="berth-muted berth-count">{move || format!("{} of {} apps", visible.with(Vec::len), rows.with(Vec::len))}</p>
            }.into_any()
        }}
    }
}
