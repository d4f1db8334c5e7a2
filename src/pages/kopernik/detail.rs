//! A Kopernik container app: every field, grouped; the raw JSON; refresh; delete.

use berth_api::config::{BackendKind, Connection};
use berth_api::kopernik::ContainerApp;
use leptos::prelude::*;

use crate::routes::AppPath;
use leptos_router::hooks::use_navigate;

use crate::api::{self, ApiError};
use crate::components::details::{FieldGroup, RawJson};
use crate::components::error_panel::ErrorPanel;
use crate::components::link::{base, Link};
use crate::components::state_chip::Chip;
use crate::components::updated::Updated;
use crate::ops::words::kopernik_tone;
use crate::pages::kopernik::app_actions::AppActions;
use crate::pages::kopernik::apps::DeleteApp;
use crate::pages::{connected, param};
use crate::state::pending::Outcome;
use crate::state::record::use_record;

#[component]
pub fn KopernikDetail() -> impl IntoView {
    connected(BackendKind::Kopernik, |c| view! { <Detail conn=c/> })
}

#[component]
fn Detail(conn: Connection) -> impl IntoView {
    let (provider, uid) = (param("provider"), param("uid"));
    let conn = StoredValue::new(conn);
    let record = use_record(
        move || (provider.get(), uid.get()),
        move |(p, u): (String, String)| {
            let c = conn.get_value();
            async move {
                let (resp, raw) = api::kopernik::container_app(&c, &p, &u).await?;
                let raw = raw.get("resource").cloned().unwrap_or(raw);
                Ok::<_, ApiError>((resp.resource, raw))
            }
        },
    );
    let (data, live) = (record.data, record.live);
    let (error, loaded_at, loading) = (live.error, live.loaded_at, live.loading);
    let refresh = move || record.reload();
    let deleting = RwSignal::new(false);
    let notice = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    let list = move || {
        AppPath::KopernikApps {
            conn: conn.with_value(|c| c.id.clone()),
            provider: provider.get_untracked(),
        }
        .to_path()
    };
    view! {
        <section class="berth-page">
            <p><Link href=list()>"← Container apps"</Link></p>
            {move || notice.get().map(|n| view! { <p class="berth-panel berth-notice" role="status">{n}</p> })}
            {move || match (data.get(), error.get()) {
                (None, Some(e)) => view! { <ErrorPanel error=e on_retry=move |_| refresh()/> }.into_any(),
                (None, None) => view! { <p class="berth-loading" aria-busy="true">"Loading the container app…"</p> }.into_any(),
                (Some((app, raw)), e) => view! {
                    <div class="berth-page-head">
                        <h1>{app.name.clone()}</h1>
                        <Chip label=app.status.clone() tone=kopernik_tone(&app.status)/>
                    </div>
                    <div class="berth-toolbar">
                        {app.address().map(|url| view! {
                            <a class="berth-btn" href=url.clone() target="_blank" rel="noopener noreferrer"
                                aria-label=format!("Open {url}") data-open="">"Open"</a>
                            <code>{url}</code>
                        })}
                        <span class="berth-spacer"></span>
                        <Updated at=loaded_at refreshing=loading/>
                        <button class="berth-btn berth-btn-quiet" on:click=move |_| refresh()>"Refresh"</button>
                        <button class="berth-btn berth-danger" data-action="delete" on:click=move |_| deleting.set(true)>"Delete"</button>
                    </div>
                    {e.map(|e| view! { <div class="berth-stale"><ErrorPanel error=e on_retry=move |_| refresh()/></div> })}
                    <AppFields app=app/>
                    <AppActions conn=conn provider=provider.get_untracked() uid=uid.get_untracked()/>
                    <RawJson value=raw/>
                }.into_any(),
            }}
            {move || (deleting.get()).then(|| {
                let name = data.with(|d| d.as_ref().map(|d| d.0.name.clone())).unwrap_or_default();
                let navigate = navigate.clone();
                view! {
                    <DeleteApp
                        conn=conn.get_value()
                        provider=provider.get_untracked()
                        uid=uid.get_untracked()
                        name=name.clone()
                        on_cancel=Callback::new(move |_| deleting.set(false))
                        on_done=Callback::new(move |outcome: Option<Outcome>| {
                            deleting.set(false);
                            match outcome {
                                Some(Outcome::Success) => navigate(&base().href(&list()), Default::default()),
                                _ => {
                                    notice.set(Some(format!("Deleting {name}: still running on the provider.")));
                                    refresh();
                                }
                            }
                        })
                    />
                }
            })}
        </section>
    }
}

#[component]
fn AppFields(app: ContainerApp) -> impl IntoView {
    let addrs = |v: &[berth_api::kopernik::NetworkAddress]| {
        v.iter()
            .map(|a| a.address.clone())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let general = vec![
        ("Uid", app.uid.clone()),
        ("Name", app.name.clone()),
        ("Status", app.status.clone()),
        ("Provider", app.provider_uid.clone()),
        ("Region", app.region_uid.clone()),
        ("Account", app.account_uid.clone()),
        ("Grid", app.grid.clone()),
        ("Template", app.template_id.clone().unwrap_or_default()),
        (
            "Created",
            app.created_at
                .as_ref()
                .and_then(|n| n.as_f64())
                .map(|t| {
                    js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(t * 1000.0))
                        .to_iso_string()
                        .as_string()
                        .unwrap_or_default()
                })
                .unwrap_or_default(),
        ),
    ];
    let m = &app.machine;
    let machine = vec![
        ("Uid", m.uid.clone()),
        ("Name", m.name.clone()),
        ("Machine type", m.machine_type_uid.clone()),
        ("Region", m.region_uid.clone()),
        ("Status", m.status.clone()),
        ("IPv4", addrs(&m.ipv4)),
        ("IPv6", addrs(&m.ipv6)),
    ];
    let props = app.runtime_props.clone().unwrap_or_default();
    let runtime = vec![
        (
            "Image",
            app.container_image
                .as_ref()
                .map(|i| i.id.clone())
                .unwrap_or_default(),
        ),
        (
            "Digest",
            app.container_image
                .as_ref()
                .and_then(|i| i.digest.clone())
                .unwrap_or_default(),
        ),
        (
            "Environment",
            props
                .env
                .iter()
                .flatten()
                .map(|e| e.name.clone())
                .collect::<Vec<_>>()
                .join(", "),
        ),
        (
            "Ports",
            props
                .ports
                .iter()
                .flatten()
                .map(|p| {
                    format!(
                        "{}/{}",
                        p.port,
                        p.protocol
                            .as_ref()
                            .map(|x| x.to_string())
                            .unwrap_or_else(|| "tcp".into())
                    )
                })
                .collect::<Vec<_>>()
                .join(", "),
        ),
        (
            "Restart policy",
            props
                .restart_policy
                .as_ref()
                .map(|r| r.to_string())
                .unwrap_or_else(|| "always (default)".into()),
        ),
        (
            "Volume mounts",
            props
                .volume_mount_targets
                .clone()
                .unwrap_or_default()
                .join(", "),
        ),
    ];
    view! {
        <style>{crate::components::details::DETAILS_CSS}</style>
        <div class="berth-detail-grid">
            <FieldGroup title="General" fields=general/>
            <FieldGroup title="Machine" fields=machine/>
            <FieldGroup title="Container" fields=runtime/>
        </div>
    }
}
