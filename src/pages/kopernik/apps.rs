use berth_api::config::{BackendKind, Connection};
use berth_api::http::encode;
use berth_api::kopernik::{ContainerApp, ProviderId};
use leptos::prelude::*;

use crate::api;
use crate::components::error_panel::ErrorPanel;
use crate::components::link::Link;
use crate::pages::{param, use_connection, UnknownConnection};

/// Container apps of a provider, a tab per provider, paged with "load more".
#[component]
pub fn KopernikApps() -> impl IntoView {
    let conn = use_connection(BackendKind::Kopernik);
    move || match conn.get() {
        None => view! { <UnknownConnection kind="Kopernik"/> }.into_any(),
        Some(c) => view! { <Apps conn=c/> }.into_any(),
    }
}

#[component]
fn Apps(conn: Connection) -> impl IntoView {
    let provider = param("provider");
    let conn_id = conn.id.clone();
    let tabs = ProviderId::ALL
        .iter()
        .map(|p| {
            let p = p.to_string();
            let current = { let p = p.clone(); move || (provider.get() == p).then_some("page") };
            view! {
                <li><a href=crate::components::link::base().href(&format!("/k/{}/{}", encode(&conn_id), p)) aria-current=current class="berth-tab">{p.clone()}</a></li>
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

#[component]
fn AppTable(conn: Connection, provider: String) -> impl IntoView {
    let rows = RwSignal::new(Vec::<ContainerApp>::new());
    let next = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<api::ApiError>);
    let loaded = RwSignal::new(false);
    let load = {
        let conn = conn.clone();
        let provider = provider.clone();
        Action::new_local(move |token: &Option<String>| {
            let (c, p, t) = (conn.clone(), provider.clone(), token.clone());
            async move { api::kopernik::container_apps(&c, &p, t.as_deref(), None, None).await }
        })
    };
    Effect::new(move |_| {
        if let Some(result) = load.value().get() {
            match result {
                Ok(page) => {
                    rows.update(|r| r.extend(page.resources));
                    next.set(page.next_token.filter(|t| !t.is_empty()));
                    error.set(None);
                }
                Err(e) => error.set(Some(e)),
            }
            loaded.set(true);
        }
    });
    load.dispatch(None);
    let conn_id = StoredValue::new(conn.id.clone());
    view! {
        {move || error.get().map(|e| view! { <ErrorPanel error=e on_retry=move |_| { load.dispatch(next.get_untracked()); }/> })}
        <Show when=move || loaded.get() fallback=|| view! { <p class="berth-loading" aria-busy="true">"Loading container apps…"</p> }>
            <Show when=move || !rows.with(Vec::is_empty) fallback=|| view! { <div class="berth-panel berth-empty"><p>"No container apps on this provider."</p></div> }>
                <table class="berth-table" aria-label="Container apps">
                    <thead><tr>
                        <th scope="col">"Name"</th><th scope="col">"Status"</th><th scope="col">"Image"</th>
                        <th scope="col">"Machine type"</th><th scope="col">"Region"</th><th scope="col">"IPv4"</th>
                    </tr></thead>
                    <tbody>
                        <For each=move || rows.get() key=|a| a.uid.clone() children=move |a: ContainerApp| view! { <AppRow conn_id=conn_id.get_value() app=a/> }/>
                    </tbody>
                </table>
                <div class="berth-actions">
                    <span class="berth-muted">{move || format!("{} loaded", rows.with(Vec::len))}</span>
                    <Show when=move || next.get().is_some()>
                        <button class="berth-btn" disabled=move || load.pending().get() on:click=move |_| { load.dispatch(next.get_untracked()); }>
                            {move || if load.pending().get() { "Loading…" } else { "Load more" }}
                        </button>
                    </Show>
                </div>
            </Show>
        </Show>
    }
}

#[component]
fn AppRow(conn_id: String, app: ContainerApp) -> impl IntoView {
    let href = format!(
        "/k/{}/{}/apps/{}",
        encode(&conn_id),
        encode(&app.provider_uid),
        encode(&app.uid)
    );
    let ips = app
        .machine
        .ipv4
        .iter()
        .map(|i| i.address.clone())
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <tr>
            <td><Link href=href>{app.name.clone()}</Link></td>
            <td><span class="berth-chip">{app.status.clone()}</span></td>
            <td><code>{app.container_image.as_ref().map(|i| i.id.clone()).unwrap_or_default()}</code></td>
            <td>{app.machine.machine_type_uid.clone()}</td>
            <td>{app.region_uid.clone()}</td>
            <td><code>{ips}</code></td>
        </tr>
    }
}
