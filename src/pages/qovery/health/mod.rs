//! Why a container fails: the Health tab (instances, restarts and their reasons in plain words,
//! the fix one click away) and the Usage tab (CPU and memory against the request and the limit),
//! from the cluster's Kubernetes events and metrics. Each tab is a chunk of its own.

mod chart;
mod findings;
mod instances;
mod load;
mod usage;

use berth_api::config::Connection;
use berth_api::diagnosis::{diagnose, ContainerConfig, Inputs};
use berth_api::window::Window;
use leptos::prelude::*;

use crate::api::ApiError;
use crate::components::error_panel::ErrorPanel;
use crate::components::updated::Updated;
use crate::pages::qovery::detail::TabProps;
use crate::state::live::Live;
use crate::state::poll::{pace, use_poll};
use crate::state::record::{use_record, Record};
use crate::state::url_query::UrlQuery;

use load::Place;
pub use usage::UsagePanel;

const HEALTH_CSS: &str = "\
.berth .berth-health-head{display:flex;align-items:center;gap:12px;flex-wrap:wrap}\
.berth .berth-health-head h2{margin:0}\
.berth .berth-windows{display:inline-flex;border:1px solid var(--b-border);border-radius:6px;overflow:hidden}\
.berth .berth-windows button{background:none;border:0;padding:4px 10px;font:inherit;cursor:pointer;color:var(--b-muted)}\
.berth .berth-windows button[aria-pressed=true]{background:var(--b-accent);color:var(--b-accent-text)}\
.berth .berth-diagnosis{border-left:4px solid var(--b-border);padding:10px 14px;margin:12px 0;background:var(--b-surface)}\
.berth .berth-diagnosis[data-tone=error]{border-left-color:var(--b-error)}\
.berth .berth-diagnosis[data-tone=warning]{border-left-color:var(--b-busy)}\
.berth .berth-diagnosis[data-tone=ok]{border-left-color:var(--b-ok)}\
.berth .berth-diagnosis p{margin:4px 0}\
.berth .berth-findings{margin:8px 0;padding-left:18px}\
.berth .berth-chart{width:100%;height:auto;max-height:220px;display:block}\
.berth .berth-chart text{font-size:11px;fill:var(--b-muted)}\
.berth .berth-usage-grid{display:grid;gap:16px;grid-template-columns:repeat(auto-fit,minmax(420px,1fr))}";

/// The window picked (`?range=1h|6h|24h`, one hour when absent).
fn use_window(url: UrlQuery) -> Memo<Window> {
    Memo::new(move |_| {
        url.get("range")
            .and_then(|k| Window::from_key(&k))
            .unwrap_or_default()
    })
}

/// 1 h / 6 h / 24 h.
#[component]
fn WindowPicker(window: Memo<Window>, url: UrlQuery) -> impl IntoView {
    view! {
        <div class="berth-windows" role="group" aria-label="Time range">
            {Window::ALL.iter().map(|w| {
                let w = *w;
                view! {
                    <button type="button" aria-pressed=move || (window.get() == w).to_string()
                        on:click=move |_| url.set("range", if w == Window::default() { String::new() } else { w.key().to_string() })>
                        {w.label()}
                    </button>
                }
            }).collect_view()}
        </div>
    }
}

/// A tab's readings over the window picked: loaded for it, read again every 30 s while the tab
/// is open (`use_poll` pauses in a hidden tab). The container's cluster (its environment and the
/// organization's cluster list) is read once per tab, not at every poll.
fn use_followed<T, Fut>(
    p: &TabProps,
    load: impl Fn(Connection, Place, String, Window) -> Fut + Copy + 'static,
) -> (Memo<Window>, Record<T>)
where
    T: Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<T, ApiError>> + 'static,
{
    let window = use_window(p.url);
    let env = p.container.with_untracked(|c| {
        c.as_ref()
            .and_then(|c| c.environment.as_ref().map(|e| e.id.clone()))
            .unwrap_or_default()
    });
    let (conn, id) = (p.conn, p.id());
    let place = StoredValue::new(None::<Place>);
    let record = use_record(
        move || window.get(),
        move |w| {
            let (c, env, id) = (conn.get_value(), env.clone(), id.clone());
            let known = place.get_value();
            async move {
                let here = match known {
                    Some(here) => here,
                    None => {
                        let here = load::place(&c, &env).await?;
                        place.try_set_value(Some(here.clone()));
                        here
                    }
                };
                load(c, here, id, w).await
            }
        },
    );
    use_poll(
        Signal::derive(|| pace(false)),
        move || record.live.strain(),
        move || record.reload(),
    );
    (window, record)
}

/// A tab's title, its range, when it was read, and why a read failed.
#[component]
fn PanelHead(
    title: &'static str,
    window: Memo<Window>,
    url: UrlQuery,
    live: Live,
    on_retry: Callback<()>,
) -> impl IntoView {
    view! {
        <style>{HEALTH_CSS}</style>
        <div class="berth-health-head">
            <h2>{title}</h2>
            <WindowPicker window=window url=url/>
            <span class="berth-spacer"></span>
            <Updated at=live.loaded_at refreshing=live.loading/>
        </div>
        {move || live.error.get().map(|e| view! {
            <ErrorPanel error=e on_retry=on_retry stale=live.loaded_at.get().is_some()/>
        })}
    }
}

#[component]
pub fn HealthPanel() -> impl IntoView {
    let Some(p) = use_context::<TabProps>() else {
        return ().into_any();
    };
    let url = p.url;
    let shown_id = p.id();
    let (window, record) = use_followed(&p, load::health);
    let config = Memo::new(move |_| {
        p.container
            .with(|c| c.as_ref().map(ContainerConfig::from_container))
    });
    let report = Memo::new(move |_| {
        let cfg = config.get()?;
        record.data.with(|d| {
            d.as_ref().map(|h| {
                let memory = match &h.memory {
                    Some(Ok(series)) => series.as_slice(),
                    _ => &[],
                };
                diagnose(&Inputs {
                    config: &cfg,
                    events: &h.events,
                    memory,
                    cluster: h.place.cluster.as_ref(),
                    window: window.get_untracked(),
                    now_ms: h.now_ms,
                })
            })
        })
    });
    let live = record.live;
    let note = move || {
        record.data.with(|d| {
            d.as_ref().and_then(|h| match &h.memory {
                None => h.place.metrics_off_note(),
                Some(Err(why)) => Some(format!("Memory readings could not be read: {why}")),
                Some(Ok(_)) => None,
            })
        })
    };
    view! {
        <section class="berth-panel" aria-label="Health" data-health="">
            <PanelHead title="Health" window=window url=url live=live on_retry=Callback::new(move |_| record.reload())/>
            {move || match report.get() {
                None if live.error.with(Option::is_none) => view! { <p class="berth-loading" aria-busy="true">"Reading the cluster's events…"</p> }.into_any(),
                None => ().into_any(),
                Some(r) => view! {
                    <findings::Findings report=r.clone() conn=p.conn id=shown_id.clone() url=url/>
                    <instances::Instances list=r.instances now=record.data.with_untracked(|d| d.as_ref().map_or(0.0, |h| h.now_ms))/>
                }.into_any(),
            }}
            {move || note().map(|n| view! { <p class="berth-muted" data-metrics-note="">{n}</p> })}
        </section>
    }
    .into_any()
}
