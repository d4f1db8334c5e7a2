//! The headline (what is wrong, in plain words, and the fix as a link) and the other findings.

use berth_api::config::Connection;
use berth_api::diagnosis::{Diagnosis, Fix, Report, Tone};
use leptos::prelude::*;

use crate::components::link::Link;
use crate::routes::AppPath;
use crate::state::url_query::UrlQuery;

fn tone_name(t: Tone) -> &'static str {
    match t {
        Tone::Ok => "ok",
        Tone::Neutral => "neutral",
        Tone::Warning => "warning",
        Tone::Error => "error",
    }
}

/// The fix: a link to the edit form (with the suggested memory filled in), or a move to the tab
/// that has it.
#[component]
fn FixButton(fix: Fix, conn: StoredValue<Connection>, id: String, url: UrlQuery) -> impl IntoView {
    let label = fix.label();
    let edit = AppPath::QoveryEdit {
        conn: conn.with_value(|c| c.id.clone()),
        id,
    }
    .to_path();
    match fix {
        Fix::RaiseMemory { mb } => view! {
            <Link href=format!("{edit}?memory={mb}") class="berth-btn berth-btn-primary">{label}</Link>
        }
        .into_any(),
        Fix::EditProbe { .. } | Fix::EditResources => view! {
            <Link href=edit class="berth-btn berth-btn-primary">{label}</Link>
        }
        .into_any(),
        Fix::ShowLogs { pod } => view! {
            <button type="button" class="berth-btn berth-btn-primary"
                on:click=move |_| url.replace(vec![("tab".into(), "logs".into()), ("pod".into(), pod.clone())])>
                {label}
            </button>
        }
        .into_any(),
        Fix::DeployAnotherVersion => view! {
            <button type="button" class="berth-btn berth-btn-primary" on:click=move |_| url.replace(Vec::new())>{label}</button>
        }
        .into_any(),
    }
}

#[component]
fn Finding(
    d: Diagnosis,
    conn: StoredValue<Connection>,
    id: String,
    url: UrlQuery,
) -> impl IntoView {
    view! {
        <div class="berth-diagnosis" data-tone=tone_name(d.tone) data-problem=format!("{:?}", d.problem)>
            <p><strong>{d.headline}</strong></p>
            {d.detail.map(|t| view! { <p>{t}</p> })}
            {d.fix.map(|f| view! { <p><FixButton fix=f conn=conn id=id url=url/></p> })}
        </div>
    }
}

#[component]
pub fn Findings(
    report: Report,
    conn: StoredValue<Connection>,
    id: String,
    url: UrlQuery,
) -> impl IntoView {
    let others: Vec<Diagnosis> = report.findings.iter().skip(1).cloned().collect();
    view! {
        <div role="status" data-headline="">
            <Finding d=report.headline conn=conn id=id.clone() url=url/>
        </div>
        {(!others.is_empty()).then(|| view! {
            <h3>"Also seen"</h3>
            {others.into_iter().map(|d| view! { <Finding d=d conn=conn id=id.clone() url=url/> }).collect_view()}
        })}
    }
}
