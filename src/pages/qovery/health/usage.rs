//! The Usage tab: CPU and memory over the window, against the request and the limit.

use berth_api::window::Window;
use leptos::prelude::*;

use super::chart::{Chart, ChartData};
use super::load::{self, Usage};
use super::{use_followed, PanelHead};
use crate::pages::qovery::detail::TabProps;

fn cores(v: f64) -> String {
    berth_api::sizes::cores(v)
}

fn bytes(v: f64) -> String {
    berth_api::sizes::bytes(v)
}

/// One resource's chart, or why it has none.
fn panel(
    title: &'static str,
    u: Option<Usage>,
    window: Window,
    now_ms: f64,
    unit: fn(f64) -> String,
) -> AnyView {
    let Some(u) = u else {
        return ().into_any();
    };
    let to = (now_ms / 1000.0).floor();
    let body = match u.used {
        Err(why) => view! { <p class="berth-field-error">{format!("{title} readings could not be read: {why}")}</p> }.into_any(),
        Ok(series) if series.is_empty() => view! { <p class="berth-muted">"No readings in this time range: the container did not run."</p> }.into_any(),
        Ok(series) => view! {
            <Chart data=ChartData { title, series, request: u.request, limit: u.limit, from: to - window.seconds() as f64, to, unit }/>
        }.into_any(),
    };
    view! {
        <section class="berth-panel" aria-label=title data-usage=title>
            <h3>{title}</h3>
            {body}
        </section>
    }
    .into_any()
}

#[component]
pub fn UsagePanel() -> impl IntoView {
    let Some(p) = use_context::<TabProps>() else {
        return ().into_any();
    };
    let (window, record) = use_followed(&p, load::usage);
    view! {
        <section class="berth-panel" aria-label="Usage">
            <PanelHead title="Usage" window=window url=p.url live=record.live on_retry=Callback::new(move |_| record.reload())/>
            {move || record.data.get().map(|d| match d.place.metrics_off_note() {
                Some(note) => view! { <p class="berth-muted" data-metrics-note="">{note}</p> }.into_any(),
                None => {
                    let w = window.get_untracked();
                    view! {
                        <div class="berth-usage-grid">
                            {panel("CPU", d.cpu, w, d.now_ms, cores)}
                            {panel("Memory", d.memory, w, d.now_ms, bytes)}
                        </div>
                    }.into_any()
                }
            })}
        </section>
    }
    .into_any()
}
