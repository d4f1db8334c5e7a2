use berth_api::config::{BackendKind, Connection};
use berth_api::kopernik::ProviderId;
use berth_api::summary::{KopernikApp, Named};
use leptos::prelude::*;

use crate::routes::AppPath;

use crate::api::listing::{self, Listing};
use crate::components::link::Link;
use crate::state::connections::Connections;

/// Every connection with a live check that it answers.
#[component]
pub fn ConnectionCards() -> impl IntoView {
    let conns = expect_context::<Connections>();
    view! {
            <Show
                when=move || conns.entries.with(|e| !e.is_empty())
                fallback=|| view! {
                    <div class="berth-panel berth-empty">
                        <p>"No connections yet."</p>
                        <Link href=AppPath::Connections.to_path()>"Add a connection"</Link>
                    </div>
                }
            >
                <div class="berth-cards">
                    <For
                        each=move || conns.entries.get()
                        key=|e| (e.conn.kind.to_string(), e.conn.id.clone(), e.conn.base_url.clone(), e.conn.token.is_some())
                        children=move |e| view! { <ConnectionCard conn=e.conn/> }
                    />
                </div>
            </Show>
    }
}

#[component]
fn ConnectionCard(conn: Connection) -> impl IntoView {
    let label = if conn.label.is_empty() {
        conn.id.clone()
    } else {
        conn.label.clone()
    };
    let kind = conn.kind.clone();
    let check_conn = conn.clone();
    let check = LocalResource::new(move || {
        let c = check_conn.clone();
        async move {
            let kopernik = c.kind == BackendKind::Kopernik;
            let what = if kopernik {
                Listing::KopernikApps {
                    provider: "aws",
                    max: 1,
                }
            } else {
                Listing::QoveryOrganizations
            };
            let answer = listing::fetch(&c, what).await?;
            if kopernik {
                listing::page::<KopernikApp>(&answer).map(|_| "answers".to_string())
            } else {
                listing::results::<Named>(&answer).map(|o| match o.len() {
                    1 => "1 organization".to_string(),
                    n => format!("{n} organizations"),
                })
            }
        }
    });
    let links = match &kind {
        BackendKind::Kopernik => ProviderId::ALL
            .iter()
            .map(|p| {
                let href = AppPath::KopernikApps { conn: conn.id.clone(), provider: p.to_string() }.to_path();
                view! { <Link href=href class="berth-btn berth-btn-quiet">{p.to_string()}</Link> }.into_any()
            })
            .collect::<Vec<_>>(),
        _ => vec![view! { <Link href=AppPath::QoveryPicker { conn: conn.id.clone(), org: None, project: None }.to_path() class="berth-btn berth-btn-quiet">"Open"</Link> }.into_any()],
    };
    view! {
        <article class="berth-card" data-kind=kind.to_string()>
            <header>
                <span class="berth-kind">{kind.to_string()}</span>
                <h2>{label}</h2>
            </header>
            <p class="berth-muted"><code>{conn.base_url.clone()}</code></p>
            <p class="berth-check">
                {move || match check.get() {
                    None => view! { <span class="berth-chip berth-chip-busy">"checking…"</span> }.into_any(),
                    Some(Ok(s)) => view! { <span class="berth-chip berth-chip-ok">{s}</span> }.into_any(),
                    Some(Err(e)) => view! {
                        <span class="berth-chip berth-chip-error" title=e.message.clone()>
                            {e.status.map(|s| format!("HTTP {s}: ")).unwrap_or_default()}
                            {e.message.clone()}
                        </span>
                    }.into_any(),
                }}
            </p>
            <div class="berth-actions">{links}</div>
        </article>
    }
}
