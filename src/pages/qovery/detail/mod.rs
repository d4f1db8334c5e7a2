//! A Qovery container: every field, grouped; live state with actions; the raw JSON; refresh.

mod actions;
mod delete;
mod overview;
mod tabs;

use berth_api::config::{BackendKind, Connection};
use berth_api::qovery::{ContainerResponse, ServiceAction, ServiceDeploymentStatus, State, Status};
use leptos::prelude::*;

use crate::routes::AppPath;

use crate::api::{self, ApiError};
use crate::components::error_panel::ErrorPanel;
use crate::components::link::Link;
use crate::components::service_actions::ServiceActions;
use crate::components::state_chip::Chip;
use crate::components::updated::Updated;
use crate::ops::words::qovery_state;
use crate::pages::{connected, param};
use crate::state::poll::use_poll;
use crate::state::record::use_record;
use crate::state::url_query::use_url_query;
use actions::{use_actions, Actions};
pub use tabs::TabProps;
use tabs::{TabPanel, Tabs};

/// The page's tabs, kept in the query string (`?tab=variables`).
/// The styles only this page uses: they travel in its chunk, not in the first screen's CSS.
const DETAIL_CSS: &str = "\
.berth fieldset.berth-plain{border:0;margin:0;padding:0;min-width:0}\
.berth .berth-tabs{display:flex;gap:4px;border-bottom:1px solid var(--b-border);margin:16px 0}\
.berth .berth-tabs [role=tab]{background:none;border:0;border-bottom:2px solid transparent;padding:8px 14px;font:inherit;color:var(--b-muted);cursor:pointer}\
.berth .berth-tabs [role=tab][aria-selected=true]{color:var(--b-text);border-bottom-color:var(--b-accent);font-weight:600}\
.berth .berth-tabs [role=tab]:focus-visible{outline:2px solid var(--b-accent);outline-offset:-2px}\
.berth .berth-redeploy{display:flex;align-items:center;gap:12px;flex-wrap:wrap}\
.berth .berth-links{list-style:none;margin:0;padding:0;display:grid;gap:8px}\
.berth .berth-inline-form{display:flex;flex-wrap:wrap;gap:8px;align-items:center}\
.berth .berth-inline-form .berth-field-error{flex-basis:100%}";

const TABS: [(&str, &str); 5] = [
    ("overview", "Overview"),
    ("health", "Health"),
    ("usage", "Usage"),
    ("variables", "Variables"),
    ("logs", "Logs"),
];

#[component]
pub fn QoveryDetail() -> impl IntoView {
    connected(BackendKind::Qovery, |c| view! { <Detail conn=c/> })
}

type Loaded = (ContainerResponse, serde_json::Value, Status);

#[component]
fn Detail(conn: Connection) -> impl IntoView {
    let id = param("id");
    let conn = StoredValue::new(conn);
    let record = use_record(
        move || id.get(),
        move |id: String| {
            let c = conn.get_value();
            async move {
                let (container, raw) = api::qovery::container(&c, &id).await?;
                let status = api::qovery::container_status(&c, &id).await?;
                Ok::<Loaded, ApiError>((container, raw, status))
            }
        },
    );
    let (data, live) = (record.data, record.live);
    let (error, loaded_at, loading) = (live.error, live.loaded_at, live.loading);
    let refresh = move || record.reload();
    let state = Memo::new(move |_| data.with(|d| d.as_ref().map(|d| d.2.state.clone())));
    use_poll(
        Signal::derive(move || {
            crate::state::poll::pace(state.get().as_ref().is_some_and(State::is_transitional))
        }),
        move || live.strain(),
        refresh,
    );

    let Actions {
        busy,
        error: action_error,
        confirming,
        on_action,
        on_deploy_tag,
    } = use_actions(conn, data);
    let conn_id = conn.with_value(|c| c.id.clone());
    // The page is built once per container; a poll updates only the parts whose data changed, so
    // the focused button, the scroll position and an open "Raw JSON" stay as they are.
    let shown_id = Memo::new(move |_| data.with(|d| d.as_ref().map(|d| d.0.id.clone())));
    let container = Memo::new(move |_| data.with(|d| d.as_ref().map(|d| d.0.clone())));
    let status = Memo::new(move |_| data.with(|d| d.as_ref().map(|d| d.2.clone())));
    let raw = Memo::new(move |_| data.with(|d| d.as_ref().map(|d| d.1.clone())));
    let env = Memo::new(move |_| {
        data.with(|d| {
            d.as_ref()
                .and_then(|d| d.0.environment.as_ref().map(|e| e.id.clone()))
        })
    });
    let last_failure = RwSignal::new(None::<String>);
    let history_links = super::history::HistoryLinks {
        env,
        deploy_tag: on_deploy_tag,
        last_failure,
    };
    // Saved variables (or an edit) not deployed yet.
    let needs_redeploy = Memo::new(move |_| {
        status.with(|s| {
            s.as_ref().is_some_and(|s| {
                s.service_deployment_status == Some(ServiceDeploymentStatus::OutOfDate)
                    && !s.state.is_transitional()
            })
        })
    });
    let redeploy = move |_| {
        let action = match state.get_untracked() {
            Some(s) if ServiceAction::Redeploy.allowed_in(&s) => ServiceAction::Redeploy,
            _ => ServiceAction::Deploy,
        };
        on_action.run(action);
    };
    let url = use_url_query();
    let tab = Memo::new(move |_| {
        let t = url.get("tab").unwrap_or_default();
        TABS.iter()
            .find(|(k, _)| *k == t)
            .map_or("overview", |(k, _)| *k)
    });
    view! {
        <section class="berth-page">
            <style>{DETAIL_CSS}</style>
            {move || match shown_id.get() {
                None => match error.get() {
                    Some(e) => view! { <ErrorPanel error=e on_retry=move |_| refresh()/> }.into_any(),
                    None => view! { <p class="berth-loading" aria-busy="true">"Loading the container…"</p> }.into_any(),
                },
                Some(id) => {
                    let edit = AppPath::QoveryEdit { conn: conn_id.clone(), id }.to_path();
                    view! {
                        <div class="berth-page-head">
                            <h1>{move || container.with(|c| c.as_ref().map(|c| c.name.clone()))}</h1>
                            {move || status.with(|s| s.as_ref().map(|s| {
                                let (label, tone) = qovery_state(&s.state);
                                view! { <Chip label=label tone=tone/> }
                            }))}
                        </div>
                        <div class="berth-toolbar">
                            <ServiceActions state=state busy=busy on_action=on_action/>
                            <span class="berth-spacer"></span>
                            <Updated at=loaded_at refreshing=loading/>
                            <button class="berth-btn berth-btn-quiet" on:click=move |_| refresh()>"Refresh"</button>
                            <Link href=edit class="berth-btn">"Edit"</Link>
                        </div>
                        {move || action_error.get().map(|m| view! { <p class="berth-panel berth-error" role="alert">{m}</p> })}
                        {move || error.get().map(|e| view! { <div class="berth-stale"><ErrorPanel error=e on_retry=move |_| refresh()/></div> })}
                        {move || last_failure.get().map(|why| view! {
                            <div class="berth-panel berth-error" role="alert" data-last-failure="">
                                <strong>"The last deployment failed: "</strong>{why}
                            </div>
                        })}
                        {move || needs_redeploy.get().then(|| view! {
                            <div class="berth-panel berth-notice berth-redeploy" role="status" data-needs-redeploy="">
                                "The configuration changed since the last deployment: redeploy to apply it. "
                                <button type="button" class="berth-btn berth-btn-small berth-btn-primary" on:click=redeploy
                                    prop:disabled=move || busy.get().is_some()>"Redeploy"</button>
                            </div>
                        })}
                        <Tabs tab=tab url=url/>
                        <TabPanel tab=tab props=TabProps {
                            conn, shown_id, container, status, raw, busy, on_deploy_tag, history_links,
                            refresh: Callback::new(move |_| refresh()), url,
                        }/>
                    }.into_any()
                }
            }}
            <delete::DeleteDialog conn=conn data=data confirming=confirming/>
        </section>
    }
}
