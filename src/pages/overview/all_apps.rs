//! All apps of every connection in one table, with the connection as a column. Qovery containers
//! come from every environment; Kopernik apps from the first 100 of each provider (the provider's
//! own page lists them all).

use berth_api::config::{BackendKind, Connection};
use berth_api::kopernik::ProviderId;
use std::time::Duration;

use berth_api::summary::{EnvironmentStates, KopernikApp, Named, QoveryContainer};
use leptos::prelude::*;

use crate::routes::AppPath;

use crate::api::http::Answer;
use crate::api::listing::{self, Listing};
use crate::api::ApiError;
use crate::components::link::Link;
use crate::components::state_chip::Chip;
use crate::components::table_tools::{
    use_table_query, use_visible_rows, SearchBox, SortHeader, StatusFilter,
};
use crate::components::updated::Updated;
use crate::ops::words::{kopernik_tone, qovery_state, Tone};
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

/// One request of the walk over every connection, with what its answer needs to make rows.
enum Job {
    Organizations,
    Projects {
        org: Named,
    },
    Environments {
        org: String,
        project: Named,
    },
    Containers {
        place: String,
        env: String,
    },
    Statuses {
        place: String,
        env: String,
        containers: Vec<QoveryContainer>,
    },
    /// The first apps of a provider.
    Kopernik {
        provider: ProviderId,
    },
}

/// The rows and failures found so far, and the requests still to make (a stack: the children of
/// a part come before its next sibling, in the order the API listed them).
struct Walk<'a> {
    conn: &'a Connection,
    label: String,
    todo: Vec<Job>,
    rows: Vec<AppLine>,
    failed: Vec<Failure>,
}

impl Walk<'_> {
    fn push_all(&mut self, jobs: impl DoubleEndedIterator<Item = Job>) {
        self.todo.extend(jobs.rev());
    }

    fn fail(&mut self, part: String, e: ApiError) {
        let at = if part.is_empty() {
            self.label.clone()
        } else {
            format!("{} · {part}", self.label)
        };
        self.failed.push((at, e));
    }

    /// Reads `answer` to `job`: its rows, or the requests it leads to. A part that fails (an
    /// organization's projects, an environment's containers...) is reported on its own and the
    /// rest still walked.
    fn take(&mut self, job: Job, answer: Result<Answer, ApiError>) {
        match job {
            Job::Organizations => match answer.and_then(|a| listing::results::<Named>(&a)) {
                Ok(orgs) => self.push_all(orgs.into_iter().map(|org| Job::Projects { org })),
                Err(e) => self.fail(String::new(), e),
            },
            Job::Projects { org } => match answer.and_then(|a| listing::results::<Named>(&a)) {
                Ok(projects) => {
                    self.push_all(projects.into_iter().map(|project| Job::Environments {
                        org: org.name.clone(),
                        project,
                    }))
                }
                Err(e) => self.fail(org.name, e),
            },
            Job::Environments { org, project } => {
                let place = format!("{org} / {}", project.name);
                match answer.and_then(|a| listing::results::<Named>(&a)) {
                    Ok(envs) => self.push_all(envs.into_iter().map(|env| Job::Containers {
                        place: format!("{place} / {}", env.name),
                        env: env.id,
                    })),
                    Err(e) => self.fail(place, e),
                }
            }
            Job::Containers { place, env } => {
                match answer.and_then(|a| listing::results::<QoveryContainer>(&a)) {
                    Ok(containers) => self.todo.push(Job::Statuses {
                        place,
                        env,
                        containers,
                    }),
                    Err(e) => self.fail(place, e),
                }
            }
            Job::Statuses {
                place, containers, ..
            } => match answer.and_then(|a| listing::read::<EnvironmentStates>(&a)) {
                Ok(statuses) => {
                    for ct in containers {
                        let (label, tone) = statuses
                            .containers
                            .iter()
                            .find(|s| s.id == ct.id)
                            .map(|s| qovery_state(&s.state))
                            .unwrap_or(("Unknown".into(), Tone::Neutral));
                        let href = AppPath::QoveryDetail {
                            conn: self.conn.id.clone(),
                            id: ct.id,
                        };
                        let image = format!("{}:{}", ct.image_name, ct.tag);
                        self.row("Qovery", ct.name, label, tone, image, place.clone(), href);
                    }
                }
                Err(e) => self.fail(place, e),
            },
            Job::Kopernik { provider: p } => {
                match answer.and_then(|a| listing::page::<KopernikApp>(&a)) {
                    Ok(page) => {
                        for b in page.broken {
                            let what = b.uid.unwrap_or_else(|| format!("item {}", b.index + 1));
                            self.fail(
                                format!("{p} · {what}"),
                                ApiError::malformed(200, &b.error, ""),
                            );
                        }
                        for a in page.resources {
                            let href = AppPath::KopernikDetail {
                                conn: self.conn.id.clone(),
                                provider: p.to_string(),
                                uid: a.uid,
                            };
                            let tone = kopernik_tone(&a.status);
                            let image = a.container_image.map(|i| i.id).unwrap_or_default();
                            let place = format!("{p} / {}", a.region_uid);
                            self.row("Kopernik", a.name, a.status, tone, image, place, href);
                        }
                    }
                    Err(e) => self.fail(p.to_string(), e),
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn row(
        &mut self,
        backend: &'static str,
        name: String,
        label: String,
        tone: Tone,
        image: String,
        place: String,
        href: AppPath,
    ) {
        self.rows.push(
            AppLine {
                connection: self.label.clone(),
                backend,
                name,
                label,
                tone,
                image,
                place,
                href: href.to_path(),
                haystack: String::new(),
                lower: Default::default(),
            }
            .indexed(),
        );
    }
}

impl Job {
    fn listing(&self) -> Listing<'_> {
        match self {
            Job::Organizations => Listing::QoveryOrganizations,
            Job::Projects { org } => Listing::QoveryProjects { org: &org.id },
            Job::Environments { project, .. } => Listing::QoveryEnvironments {
                project: &project.id,
            },
            Job::Containers { env, .. } => Listing::QoveryContainers { env },
            Job::Statuses { env, .. } => Listing::QoveryStatuses { env },
            Job::Kopernik { provider } => Listing::KopernikApps {
                provider: provider.as_str(),
                max: PER_PROVIDER,
            },
        }
    }
}

/// Every app of `c`, one request at a time. One await point: the walk's state is data, not an
/// async state machine per level (a first-screen size cost, docs/delivery.md).
async fn lines(c: &Connection) -> (Vec<AppLine>, Vec<Failure>) {
    let mut walk = Walk {
        conn: c,
        label: label_of(c),
        todo: Vec::new(),
        rows: Vec::new(),
        failed: Vec::new(),
    };
    match c.kind {
        BackendKind::Kopernik => {
            walk.push_all(ProviderId::ALL.iter().map(|provider| Job::Kopernik {
                provider: provider.clone(),
            }))
        }
        _ => walk.todo.push(Job::Organizations),
    }
    while let Some(job) = walk.todo.pop() {
        let answer = listing::fetch(c, job.listing()).await;
        // A 429 stops the walk: the rest would only be refused too (the next poll waits).
        let slow_down = matches!(&answer, Err(e) if e.status == Some(429));
        walk.take(job, answer);
        if slow_down {
            break;
        }
    }
    (walk.rows, walk.failed)
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
                let (lines, failed) = lines(&c).await;
                all.extend(lines);
                errors.extend(failed);
            }
            Ok((all, errors))
        })
    }

    fn interval(&self, _: &[AppLine]) -> Duration {
        crate::state::poll::SLOW
    }

    /// A part refused with a wait (a 429, or a 503 with its Retry-After): the whole fan-out waits.
    fn refused(&self, failed: &Vec<Failure>) -> Option<ApiError> {
        failed
            .iter()
            .map(|(_, e)| e)
            .find(|e| e.retry_after.is_some() || e.status == Some(429))
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
        // Kept sorted as it is built: a `sort` here would be a second sort routine in the
        // first screen's wasm (the table's is over indices).
        let mut s: Vec<(String, String)> = Vec::new();
        rows.with(|r| {
            for x in r {
                if let Err(at) = s.binary_search_by(|(l, _)| l.as_str().cmp(&x.label)) {
                    s.insert(at, (x.label.clone(), x.label.clone()));
                }
            }
        });
        s
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
