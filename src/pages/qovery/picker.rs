use berth_api::config::BackendKind;
use berth_api::qovery::{Environment, Organization, Project};
use leptos::prelude::*;

use crate::routes::AppPath;
use leptos_router::hooks::use_query_map;

use crate::api;
use crate::components::error_panel::ErrorPanel;
use crate::components::link::Link;
use crate::pages::connected;

/// Styles only this part uses: they travel in its chunk, not in the first screen's stylesheet.
const PICKER_CSS: &str = ".berth .berth-columns{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:var(--b-space)}\
.berth .berth-column{background:var(--b-surface);border:1px solid var(--b-border);border-radius:var(--b-radius);padding:var(--b-space)}\
@media (max-width:760px){.berth .berth-columns{grid-template-columns:1fr}}\
.berth .berth-pick-list{list-style:none;margin:0;padding:0}.berth .berth-pick-list li{padding:6px 8px;border-radius:6px}.berth .berth-pick-list li.selected{background:var(--b-bg);font-weight:600}";

/// Organization → project → environment. The choice lives in the query string, so a link or a
/// reload reopens it.
#[component]
pub fn QoveryPicker() -> impl IntoView {
    connected(BackendKind::Qovery, |c| view! { <Picker conn=c/> })
}

#[component]
fn Picker(conn: berth_api::config::Connection) -> impl IntoView {
    let query = use_query_map();
    let org = Memo::new(move |_| query.read().get("org"));
    let project = Memo::new(move |_| query.read().get("project"));
    let c1 = conn.clone();
    let orgs = LocalResource::new(move || {
        let c = c1.clone();
        async move { api::qovery::organizations::<Organization>(&c).await }
    });
    let c2 = conn.clone();
    let projects = LocalResource::new(move || {
        let c = c2.clone();
        let org = org.get();
        async move {
            match org {
                Some(o) => api::qovery::projects::<Project>(&c, &o).await.map(Some),
                None => Ok(None),
            }
        }
    });
    let c3 = conn.clone();
    let envs = LocalResource::new(move || {
        let c = c3.clone();
        let project = project.get();
        async move {
            match project {
                Some(p) => api::qovery::environments::<Environment>(&c, &p)
                    .await
                    .map(Some),
                None => Ok(None),
            }
        }
    });
    let id = conn.id.clone();
    let label = if conn.label.is_empty() {
        conn.id.clone()
    } else {
        conn.label.clone()
    };
    let (b1, b2, b3) = (id.clone(), id.clone(), id);
    view! {
        <section class="berth-page">
            <style>{PICKER_CSS}</style>
            <h1>"Qovery · " {label}</h1>
            <div class="berth-columns">
                <div class="berth-column" aria-label="Organizations">
                    <h2>"Organization"</h2>
                    {move || match orgs.get() {
                        None => view! { <p class="berth-loading">"Loading…"</p> }.into_any(),
                        Some(Err(e)) => view! { <ErrorPanel error=e on_retry=move |_| orgs.refetch()/> }.into_any(),
                        Some(Ok(list)) => {
                            let b = b1.clone();
                            view! {
                                <ul class="berth-pick-list">
                                    {list.into_iter().map(|o| {
                                        let selected = org.get().as_deref() == Some(o.id.as_str());
                                        view! { <li class:selected=selected><Link href=AppPath::QoveryPicker { conn: b.clone(), org: Some(o.id.clone()), project: None }.to_path()>{o.name}</Link></li> }
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }
                    }}
                </div>
                <div class="berth-column" aria-label="Projects">
                    <h2>"Project"</h2>
                    {move || match projects.get() {
                        None => view! { <p class="berth-loading">"Loading…"</p> }.into_any(),
                        Some(Ok(None)) => view! { <p class="berth-muted">"Choose an organization."</p> }.into_any(),
                        Some(Err(e)) => view! { <ErrorPanel error=e on_retry=move |_| projects.refetch()/> }.into_any(),
                        Some(Ok(Some(list))) => {
                            let b = b2.clone();
                            let o = org.get().unwrap_or_default();
                            view! {
                                <ul class="berth-pick-list">
                                    {list.into_iter().map(|p| {
                                        let selected = project.get().as_deref() == Some(p.id.as_str());
                                        view! { <li class:selected=selected><Link href=AppPath::QoveryPicker { conn: b.clone(), org: Some(o.clone()), project: Some(p.id.clone()) }.to_path()>{p.name}</Link></li> }
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }
                    }}
                </div>
                <div class="berth-column" aria-label="Environments">
                    <h2>"Environment"</h2>
                    {move || match envs.get() {
                        None => view! { <p class="berth-loading">"Loading…"</p> }.into_any(),
                        Some(Ok(None)) => view! { <p class="berth-muted">"Choose a project."</p> }.into_any(),
                        Some(Err(e)) => view! { <ErrorPanel error=e on_retry=move |_| envs.refetch()/> }.into_any(),
                        Some(Ok(Some(list))) => {
                            let b = b3.clone();
                            let o = org.get().unwrap_or_default();
                            let p = project.get().unwrap_or_default();
                            view! {
                                <ul class="berth-pick-list">
                                    {list.into_iter().map(|e| {
                                        let mode = e.mode.as_ref().map(|m| m.to_string()).unwrap_or_default();
                                        view! { <li><Link href=AppPath::QoveryContainers { conn: b.clone(), org: o.clone(), project: p.clone(), env: e.id.clone() }.to_path()>{e.name}</Link> " " <span class="berth-kind">{mode}</span></li> }
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }
                    }}
                </div>
            </div>
        </section>
    }
}
