//! The Overview tab: every field of the container, grouped; its links; another version to
//! deploy; its deployment history; the raw JSON.

use berth_api::qovery::{ContainerResponse, Probe, Status};
use leptos::prelude::*;

use super::tabs::TabProps;
use crate::chunks::{chunk_view, lazy_screen, ChunkError};
use crate::components::details::{yes_no, FieldGroup, RawJson};
use crate::ops::words;
use crate::pages::qovery::history::DeploymentHistory;
use crate::pages::qovery::links::{OpenLinks, TagFormProps};

#[cfg(test)]
use leptos::wasm_split::SplitLoaderError;

lazy_screen!(
    qovery_deploy_tag,
    deploy_tag_view,
    deploy_tag_preload,
    crate::pages::qovery::links::DeployTagEntry
);

fn preload_tag() {
    leptos::task::spawn_local(async {
        let _ = deploy_tag_preload().await;
    });
}

/// The image now, and the form for another tag once asked for: its code and the registry's tags
/// are fetched then (or on hover), not with the page.
#[component]
fn AnotherVersion(p: TabProps) -> impl IntoView {
    let asked = RwSignal::new(false);
    let form = move || {
        let container = p.container.get()?;
        asked.get().then(|| {
            provide_context(TagFormProps {
                conn: p.conn,
                container,
                busy: Signal::derive(move || p.busy.get().is_some()),
                on_deploy: p.on_deploy_tag,
            });
            chunk_view(deploy_tag_view)
        })
    };
    let now = move || {
        p.container
            .with(|c| c.as_ref().map(|c| format!("{}:{}", c.image_name, c.tag)))
    };
    view! {
        <section class="berth-panel" aria-label="Deploy another version">
            <h2>"Deploy another version"</h2>
            <p class="berth-redeploy">
                <span>"Now: "<code>{now}</code></span>
                {move || (!asked.get()).then(|| view! {
                    <button type="button" class="berth-btn" aria-expanded="false"
                        on:pointerenter=|_| preload_tag() on:focus=|_| preload_tag()
                        on:click=move |_| asked.set(true)>"Choose another tag"</button>
                })}
            </p>
            {form}
        </section>
    }
}

#[component]
pub fn OverviewTab() -> impl IntoView {
    let Some(p) = use_context::<TabProps>() else {
        return ().into_any();
    };
    let (container, status, raw) = (p.container, p.status, p.raw);
    view! {
        {move || container.get().zip(status.get()).map(|(c, s)| view! { <ContainerFields c=c status=s/> })}
        <OpenLinks conn=p.conn id=p.id()/>
        <AnotherVersion p=p/>
        <DeploymentHistory conn=p.conn id=p.shown_id links=p.history_links/>
        {move || raw.get().map(|r| view! { <RawJson value=r/> })}
    }
    .into_any()
}

/// The groups' names ("—" for none; "" never, so the row is not blank).
fn group_names<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let list: Vec<&str> = names.collect();
    if list.is_empty() {
        "—".into()
    } else {
        list.join(", ")
    }
}

fn probe_summary(p: &Option<Probe>) -> String {
    let Some(p) = p else { return "none".into() };
    let kind = if let Some(t) = &p.kind.tcp {
        format!("TCP port {}", t.port)
    } else if let Some(h) = &p.kind.http {
        format!(
            "HTTP {} {} port {}",
            h.scheme.as_deref().unwrap_or("HTTP"),
            h.path.as_deref().unwrap_or("/"),
            h.port
        )
    } else if let Some(e) = &p.kind.exec {
        format!("exec {}", e.command.join(" "))
    } else if let Some(g) = &p.kind.grpc {
        format!(
            "gRPC {} port {}",
            g.service.as_deref().unwrap_or(""),
            g.port
        )
    } else {
        "no type".into()
    };
    let t = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_else(|| "default".into());
    format!(
        "{kind}; delay {} s, every {} s, timeout {} s, success {}, failure {}",
        t(p.initial_delay_seconds),
        t(p.period_seconds),
        t(p.timeout_seconds),
        t(p.success_threshold),
        t(p.failure_threshold)
    )
}

#[component]
fn ContainerFields(c: ContainerResponse, status: Status) -> impl IntoView {
    let general = vec![
        ("Id", c.id.clone()),
        ("Name", c.name.clone()),
        ("Description", c.description.clone().unwrap_or_default()),
        ("Image", format!("{}:{}", c.image_name, c.tag)),
        (
            "Registry",
            c.registry
                .as_ref()
                .map(|r| {
                    format!(
                        "{} ({})",
                        r.name,
                        r.kind.as_ref().map(|k| k.to_string()).unwrap_or_default()
                    )
                })
                .unwrap_or_default(),
        ),
        ("Entrypoint", c.entrypoint.clone().unwrap_or_default()),
        (
            "Arguments",
            c.arguments.clone().map(|a| a.join(" ")).unwrap_or_default(),
        ),
        ("Auto-deploy", yes_no(c.auto_deploy)),
        ("Auto-preview", yes_no(Some(c.auto_preview))),
        (
            "Service type",
            c.service_type
                .as_ref()
                .map(|s| s.to_string())
                .unwrap_or_default(),
        ),
        ("Icon", c.icon_uri.clone()),
        (
            "Label groups",
            group_names(c.labels_groups.iter().flatten().map(|g| g.name.as_str())),
        ),
        (
            "Annotation groups",
            group_names(
                c.annotations_groups
                    .iter()
                    .flatten()
                    .map(|g| g.name.as_str()),
            ),
        ),
    ];
    let general_times = vec![
        ("Created", Some(c.created_at.clone())),
        ("Updated", c.updated_at.clone()),
    ];
    let max = match c.max_running_instances {
        -1 => "unlimited".to_string(),
        n => n.to_string(),
    };
    let resources = vec![
        (
            "CPU",
            format!("{} millicores (max {})", c.cpu, c.maximum_cpu),
        ),
        (
            "Memory",
            format!("{} MB (max {})", c.memory, c.maximum_memory),
        ),
        ("GPU", format!("{} (max {})", c.gpu, c.maximum_gpu)),
        ("Instances", format!("{} to {max}", c.min_running_instances)),
    ];
    let deployment = vec![
        ("State", words::qovery_state(&status.state).0),
        (
            "Deployment status",
            status
                .service_deployment_status
                .as_ref()
                .map(|s| words::sentence(&s.to_string()))
                .unwrap_or_default(),
        ),
        (
            "Last action",
            status
                .status_details
                .as_ref()
                .map(|d| {
                    words::last_action(
                        d.action.as_deref().unwrap_or_default(),
                        d.status.as_deref().unwrap_or_default(),
                    )
                })
                .unwrap_or_default(),
        ),
    ];
    let deployment_times = vec![("Last deployment", status.last_deployment_date.clone())];
    let health = vec![
        ("Readiness", probe_summary(&c.healthchecks.readiness_probe)),
        ("Liveness", probe_summary(&c.healthchecks.liveness_probe)),
    ];
    let ports = c.ports.clone().unwrap_or_default();
    let storage = c.storage.clone().unwrap_or_default();
    view! {
        <style>{crate::components::details::DETAILS_CSS}</style>
        <div class="berth-detail-grid">
            <FieldGroup title="General" fields=general times=general_times/>
            <div>
                <FieldGroup title="Deployment" fields=deployment times=deployment_times/>
                <FieldGroup title="Resources" fields=resources/>
                <FieldGroup title="Health checks" fields=health/>
            </div>
        </div>
        <section class="berth-panel" aria-label="Ports">
            <h2>"Ports"</h2>
            {if ports.is_empty() {
                view! { <p class="berth-muted">"No ports."</p> }.into_any()
            } else {
                view! {
                    <table class="berth-table">
                        <thead><tr><th>"Name"</th><th class="num">"Internal"</th><th class="num">"External"</th><th>"Protocol"</th><th>"Public"</th><th>"Default"</th><th>"Path"</th></tr></thead>
                        <tbody>{ports.into_iter().map(|p| view! {
                            <tr>
                                <td>{p.name.clone().unwrap_or_default()}</td>
                                <td class="num">{p.internal_port}</td>
                                <td class="num">{p.external_port.map(|e| e.to_string()).unwrap_or_default()}</td>
                                <td>{p.protocol.as_ref().map(|x| x.to_string()).unwrap_or_else(|| "HTTP".into())}</td>
                                <td>{yes_no(Some(p.publicly_accessible))}</td>
                                <td>{yes_no(p.is_default)}</td>
                                <td>{p.public_path.clone().unwrap_or_default()}</td>
                            </tr>
                        }).collect_view()}</tbody>
                    </table>
                }.into_any()
            }}
        </section>
        <section class="berth-panel" aria-label="Storage">
            <h2>"Storage"</h2>
            {if storage.is_empty() {
                view! { <p class="berth-muted">"No storage."</p> }.into_any()
            } else {
                view! {
                    <table class="berth-table">
                        <thead><tr><th>"Type"</th><th class="num">"Size"</th><th>"Mount point"</th></tr></thead>
                        <tbody>{storage.into_iter().map(|s| view! {
                            <tr><td>{s.kind.to_string()}</td><td class="num">{format!("{} GB", s.size)}</td><td><code>{s.mount_point.clone()}</code></td></tr>
                        }).collect_view()}</tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}
