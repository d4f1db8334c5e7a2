//! The sections of the Qovery container form, each bound to the draft.

use berth_api::config::{BackendKind, Connection};
use berth_api::qovery::{ContainerRegistry, PortProtocol};
use berth_api::rules::{Limits, MIN_CPU, MIN_MEMORY};
use leptos::prelude::*;

use super::draft::{
    cpu_readout, docker_run, memory_readout, PortRow, ProbeDraft, ProbeKind, ProbeSlot, QDraft,
    StorageRow,
};
use crate::api;
use crate::components::edit_table::EditTable;
use crate::components::form::{field_id, Cell, Form, Input};
use crate::components::preview::RequestPreview;

fn get(draft: RwSignal<QDraft>, f: fn(&QDraft) -> String) -> Signal<String> {
    Signal::derive(move || draft.with(f))
}

fn set(draft: RwSignal<QDraft>, f: fn(&mut QDraft, String)) -> Callback<String> {
    Callback::new(move |v: String| draft.update(|d| f(d, v)))
}

/// The organization's label or annotation groups as checkboxes, by name, bound to the draft's
/// ids. An id the organization does not list stays ticked as "unknown", so nothing is lost; if the
/// groups cannot be loaded, the ids can still be typed.
#[component]
fn GroupPicker(
    form: Form,
    draft: RwSignal<QDraft>,
    conn: StoredValue<Connection>,
    org: StoredValue<String>,
    /// `labelsGroups` or `annotationsGroups`.
    which: &'static str,
    path: &'static str,
    legend: &'static str,
    get: fn(&QDraft) -> String,
    set: fn(&mut QDraft, String),
) -> impl IntoView {
    let groups = LocalResource::new(move || {
        let (c, o) = (conn.get_value(), org.get_value());
        async move { api::qovery::organization_groups::<berth_api::summary::Named>(&c, &o, which).await }
    });
    let chosen = Memo::new(move |_| draft.with(|d| super::draft::group_ids(&get(d))));
    let toggle = move |id: String, on: bool| {
        form.touch(path);
        draft.update(|d| {
            let mut list = super::draft::group_ids(&get(d));
            list.retain(|x| x != &id);
            if on {
                list.push(id);
            }
            set(d, list.join(", "));
        });
    };
    let boxes = move |list: Vec<berth_api::summary::Named>| {
        let known: Vec<String> = list.iter().map(|g| g.id.clone()).collect();
        let unknown = chosen
            .get()
            .into_iter()
            .filter(|id| !known.contains(id))
            .map(|id| berth_api::summary::Named {
                name: format!("unknown group {id}"),
                id,
            });
        let all: Vec<_> = list.into_iter().chain(unknown).collect();
        if all.is_empty() {
            return view! { <p class="berth-muted">"The organization has none."</p> }.into_any();
        }
        all.into_iter()
            .map(|g| {
                let box_id = format!("{}-{}", field_id(path), g.id);
                let for_id = box_id.clone();
                let id = g.id.clone();
                let on = {
                    let id = g.id.clone();
                    move || chosen.with(|c| c.contains(&id))
                };
                view! {
                    <label class="berth-check-row" for=for_id>
                        <input
                            type="checkbox"
                            id=box_id
                            data-group=g.id.clone()
                            prop:checked=on
                            on:change=move |ev| toggle(id.clone(), event_target_checked(&ev))
                        />
                        {g.name}
                    </label>
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <fieldset class="berth-field berth-groups" id=field_id(path) aria-describedby=format!("{}-error", field_id(path))>
            <legend>{legend}</legend>
            {move || match groups.get() {
                None => view! { <p class="berth-muted" aria-busy="true">"Loading the organization's groups…"</p> }.into_any(),
                Some(Ok(list)) => boxes(list),
                Some(Err(e)) => view! {
                    <p class="berth-field-error" role="alert">{format!("Could not load the organization's groups: {}", e.message)}</p>
                    <Input form=form path=path label=format!("{legend} (ids)") value=Signal::derive(move || draft.with(get)) on_input=Callback::new(move |v: String| draft.update(|d| set(d, v))) hint="Comma-separated"/>
                }.into_any(),
            }}
            <p class="berth-field-error" id=format!("{}-error", field_id(path))>{move || form.error(path).get()}</p>
        </fieldset>
    }
}

fn check(
    draft: RwSignal<QDraft>,
    id: &'static str,
    label: &'static str,
    get: fn(&QDraft) -> bool,
    set: fn(&mut QDraft, bool),
) -> impl IntoView {
    view! {
        <div class="berth-field berth-check-field">
            <input id=id type="checkbox" prop:checked=move || draft.with(get) on:change=move |ev| draft.update(|d| set(d, event_target_checked(&ev)))/>
            <label for=id>{label}</label>
        </div>
    }
}

#[component]
pub fn General(
    form: Form,
    draft: RwSignal<QDraft>,
    ctx: (Connection, String, Vec<ContainerRegistry>),
) -> impl IntoView {
    let (conn, org, registries) = ctx;
    let (conn, org) = (StoredValue::new(conn), StoredValue::new(org));
    // Image suggestions: 3+ characters, 500 ms after the last keystroke.
    let search = RwSignal::new(String::new());
    let timer = StoredValue::new(None::<TimeoutHandle>);
    Effect::new(move |_| {
        let text = draft.with(|d| d.image_name.clone());
        if let Some(h) = timer.get_value() {
            h.clear();
        }
        timer.set_value(
            set_timeout_with_handle(
                // The page may be gone when it fires.
                move || {
                    search.try_set(text);
                },
                std::time::Duration::from_millis(500),
            )
            .ok(),
        );
    });
    let images = LocalResource::new(move || {
        let (s, reg) = (search.get(), draft.with(|d| d.registry_id.clone()));
        let (c, o) = (conn.get_value(), org.get_value());
        async move {
            if s.trim().len() < 3 || reg.is_empty() {
                return Vec::new();
            }
            api::qovery::images(&c, &o, &reg, Some(s.trim()), None)
                .await
                .map(|l| l.into_iter().map(|i| i.image_name).collect())
                .unwrap_or_default()
        }
    });
    let tags = LocalResource::new(move || {
        let (s, reg) = (search.get(), draft.with(|d| d.registry_id.clone()));
        let (c, o) = (conn.get_value(), org.get_value());
        async move {
            if s.trim().is_empty() || reg.is_empty() {
                return Vec::new();
            }
            api::qovery::images(&c, &o, &reg, None, Some(s.trim()))
                .await
                .map(|l| l.into_iter().flat_map(|i| i.versions).collect())
                .unwrap_or_default()
        }
    });
    let latest = move || draft.with(|d| d.tag.trim() == "latest");
    view! {
        <section class="berth-panel" aria-labelledby="q-general">
            <h2 id="q-general">"General"</h2>
            <div class="berth-grid">
                <Input form=form path="name" label="Name" value=get(draft, |d| d.name.clone()) on_input=set(draft, |d, v| d.name = v) hint="Unique in the environment, case-insensitive"/>
                <Input form=form path="description" label="Description" value=get(draft, |d| d.description.clone()) on_input=set(draft, |d, v| d.description = v)/>
                <div class="berth-field">
                    <label for=field_id("registry_id")>"Registry"</label>
                    <select id=field_id("registry_id") prop:value=get(draft, |d| d.registry_id.clone()) on:change=move |ev| { form.touch("registry_id"); draft.update(|d| d.registry_id = event_target_value(&ev)) }>
                        <option value="">"Choose a registry"</option>
                        {registries.into_iter().filter(|r| r.cluster.is_none()).map(|r| {
                            let label = format!("{} ({})", r.name, r.kind.as_ref().map(|k| k.to_string()).unwrap_or_default());
                            view! { <option value=r.id.clone()>{label}</option> }
                        }).collect_view()}
                    </select>
                    <p class="berth-field-error">{move || form.error("registry_id").get()}</p>
                </div>
                <div>
                    <Input form=form path="image_name" label="Image" value=get(draft, |d| d.image_name.clone()) on_input=set(draft, |d, v| d.image_name = v) placeholder="nginx or repository/image" list="berth-images"/>
                    <datalist id="berth-images">{move || images.get().unwrap_or_default().into_iter().map(|i| view! { <option value=i/> }).collect_view()}</datalist>
                </div>
                <div>
                    <Input form=form path="tag" label="Tag" value=get(draft, |d| d.tag.clone()) on_input=set(draft, |d, v| d.tag = v) list="berth-tags"/>
                    <datalist id="berth-tags">{move || tags.get().unwrap_or_default().into_iter().map(|t| view! { <option value=t/> }).collect_view()}</datalist>
                    {move || latest().then(|| view! { <p class="berth-hint berth-warning-text" role="status">"`latest` moves under you: a fixed tag deploys the same image every time."</p> })}
                </div>
                <Input form=form path="entrypoint" label="Entrypoint" value=get(draft, |d| d.entrypoint.clone()) on_input=set(draft, |d, v| d.entrypoint = v)/>
                <Input form=form path="arguments" label="Arguments" value=get(draft, |d| d.arguments.clone()) on_input=set(draft, |d, v| d.arguments = v) hint="One line, shell-style: quotes group words"/>
                <Input form=form path="icon_uri" label="Icon URI" value=get(draft, |d| d.icon_uri.clone()) on_input=set(draft, |d, v| d.icon_uri = v)/>
                <GroupPicker form=form draft=draft conn=conn org=org which="labelsGroups" path="labels_groups" legend="Label groups" get=|d| d.labels_groups.clone() set=|d, v| d.labels_groups = v/>
                <GroupPicker form=form draft=draft conn=conn org=org which="annotationsGroups" path="annotations_groups" legend="Annotation groups" get=|d| d.annotations_groups.clone() set=|d, v| d.annotations_groups = v/>
                {check(draft, "q-auto-deploy", "Auto-deploy new tags", |d| d.auto_deploy, |d, v| d.auto_deploy = v)}
                {check(draft, "q-auto-preview", "Auto-preview environments", |d| d.auto_preview, |d, v| d.auto_preview = v)}
            </div>
            <p class="berth-muted berth-small">"Runs as: "<code data-preview="docker">{move || draft.with(docker_run)}</code></p>
        </section>
    }
}

/// A slider paired with a number input over the same value, with a human readout.
#[component]
fn Slider(
    form: Form,
    path: &'static str,
    label: &'static str,
    min: i64,
    max: i64,
    step: i64,
    value: Signal<String>,
    on_input: Callback<String>,
    /// The value said for people ("0.75 vCPU").
    readout: fn(i64) -> String,
) -> impl IntoView {
    let id = field_id(path);
    let error = form.error(path);
    let on = move |v: String| {
        form.touch(path);
        on_input.run(v);
    };
    view! {
        <div class="berth-field berth-slider" class:berth-invalid=move || error.get().is_some()>
            <label for=id.clone()>{label}</label>
            <div class="berth-slider-row">
                <input type="range" aria-label=format!("{label} slider") min=min max=max step=step prop:value=value on:input=move |ev| on(event_target_value(&ev))/>
                <input id=id.clone() type="number" class="berth-input" min=min max=max step=step prop:value=value on:input=move |ev| on(event_target_value(&ev))
                    aria-invalid=move || error.get().is_some().then_some("true") aria-describedby=format!("{id}-error")/>
                <span class="berth-readout">{move || value.get().trim().parse::<i64>().map(readout).unwrap_or_default()}</span>
            </div>
            <p class="berth-hint">{format!("{} to {}", readout(min), readout(max))}</p>
            <p class="berth-field-error" id=format!("{id}-error")>{move || error.get()}</p>
        </div>
    }
}

fn gpu_readout(n: i64) -> String {
    n.to_string()
}

#[component]
pub fn Resources(form: Form, draft: RwSignal<QDraft>, limits: Limits) -> impl IntoView {
    // Sensible bounds where the environment gives none.
    let max_cpu = limits.maximum_cpu.unwrap_or(16_000);
    let max_mem = limits.maximum_memory.unwrap_or(131_072);
    let max_gpu = limits.maximum_gpu.unwrap_or(8);
    view! {
        <section class="berth-panel" aria-labelledby="q-resources">
            <h2 id="q-resources">"Resources"</h2>
            <div class="berth-grid">
                <Slider form=form path="cpu" label="CPU (millicores)" min=MIN_CPU max=max_cpu step=10
                    value=get(draft, |d| d.cpu.clone()) on_input=set(draft, |d, v| d.cpu = v) readout=cpu_readout/>
                <Slider form=form path="memory" label="Memory (MB)" min=MIN_MEMORY max=max_mem step=1
                    value=get(draft, |d| d.memory.clone()) on_input=set(draft, |d, v| d.memory = v) readout=memory_readout/>
                <Slider form=form path="gpu" label="GPU" min=0 max=max_gpu step=1
                    value=get(draft, |d| d.gpu.clone()) on_input=set(draft, |d, v| d.gpu = v) readout=gpu_readout/>
                <Input form=form path="min_running_instances" label="Minimum instances" kind="number" value=get(draft, |d| d.min_instances.clone()) on_input=set(draft, |d, v| d.min_instances = v)/>
                <Input form=form path="max_running_instances" label="Maximum instances" kind="number" value=get(draft, |d| d.max_instances.clone()) on_input=set(draft, |d, v| d.max_instances = v) readonly=Signal::derive(move || draft.with(|d| d.unlimited))/>
                {check(draft, "q-unlimited", "No maximum (unlimited)", |d| d.unlimited, |d, v| d.unlimited = v)}
            </div>
        </section>
    }
}

#[component]
pub fn Ports(form: Form, draft: RwSignal<QDraft>) -> impl IntoView {
    let port = move |i: usize| {
        Signal::derive(move || draft.with(|d| d.ports.get(i).cloned().unwrap_or_default()))
    };
    view! {
        <section class="berth-panel" aria-labelledby="q-ports">
            <h2 id="q-ports">"Ports"</h2>
            <p class="berth-hint">"Public HTTP and gRPC ports are served on 443; public TCP and UDP ports on their own number."</p>
            <EditTable
                caption="Ports"
                headers=vec!["Internal port", "Protocol", "Public", "External", "Name", "Default", "Public path", "Rewrite"]
                len=Signal::derive(move || draft.with(|d| d.ports.len()))
                add_label="Add a port"
                on_add=Callback::new(move |_| draft.update(|d| d.ports.push(PortRow::default())))
                on_remove=Callback::new(move |i: usize| draft.update(|d| if i < d.ports.len() { d.ports.remove(i); }))
                row=Callback::new(move |i: usize| {
                    let p = port(i);
                    let edit = move |f: fn(&mut PortRow, String)| Callback::new(move |v: String| draft.update(|d| if let Some(x) = d.ports.get_mut(i) { f(x, v) }));
                    let internal = view! {
                        <Cell form=form path={format!("ports[{i}].internal_port")}
                            label={format!("Port {} internal", i + 1)}
                            value={Signal::derive(move || p.get().internal)}
                            on_input={edit(|x, v| x.internal = v)}
                            kind="number"
                            placeholder="8080"/>
                    };
                    let name = view! {
                        <Cell form=form path={format!("ports[{i}].name")}
                            label={format!("Port {} name", i + 1)}
                            value={Signal::derive(move || p.get().name)}
                            on_input={edit(|x, v| x.name = v)}/>
                    };
                    let path = view! {
                        <Cell form=form path={format!("ports[{i}].public_path")}
                            label={format!("Port {} public path", i + 1)}
                            value={Signal::derive(move || p.get().path)}
                            on_input={edit(|x, v| x.path = v)}
                            placeholder="/"/>
                    };
                    let rewrite = view! {
                        <Cell form=form path={format!("ports[{i}].public_path_rewrite")}
                            label={format!("Port {} rewrite", i + 1)}
                            value={Signal::derive(move || p.get().rewrite)}
                            on_input={edit(|x, v| x.rewrite = v)}/>
                    };
                    view! {
                        {internal}
                        <td><select aria-label=format!("Port {} protocol", i + 1) prop:value=move || p.get().protocol.to_string() on:change=move |ev| draft.update(|d| if let Some(x) = d.ports.get_mut(i) { x.protocol = PortProtocol::from_wire(&event_target_value(&ev)) })>
                            {PortProtocol::ALL.iter().map(|p| view! { <option value=p.as_str()>{p.as_str()}</option> }).collect_view()}
                        </select></td>
                        <td><input type="checkbox" aria-label=format!("Port {} public", i + 1) prop:checked=move || p.get().public on:change=move |ev| draft.update(|d| if let Some(x) = d.ports.get_mut(i) { x.public = event_target_checked(&ev) })/></td>
                        <td class="num berth-muted">{move || { let r = p.get(); r.external(r.internal.trim().parse().ok()).map(|e| e.to_string()).unwrap_or_else(|| "—".into()) }}</td>
                        {name}
                        <td><input type="radio" name="q-default-port" aria-label=format!("Port {} is the default", i + 1) prop:checked=move || p.get().default
                            on:change=move |_| draft.update(|d| for (j, x) in d.ports.iter_mut().enumerate() { x.default = j == i })/></td>
                        {path}{rewrite}
                    }.into_any()
                })
            />
            <p class="berth-field-error">{move || form.error("ports").get()}</p>
        </section>
    }
}

#[component]
pub fn Probes(form: Form, draft: RwSignal<QDraft>) -> impl IntoView {
    view! {
        <section class="berth-panel" aria-labelledby="q-probes">
            <h2 id="q-probes">"Health checks"</h2>
            <style>{crate::components::details::DETAILS_CSS}</style>
            <div class="berth-detail-grid">
                <ProbeEditor form=form draft=draft probe=ProbeSlot::Readiness/>
                <ProbeEditor form=form draft=draft probe=ProbeSlot::Liveness/>
            </div>
        </section>
    }
}

#[component]
fn ProbeEditor(form: Form, draft: RwSignal<QDraft>, probe: ProbeSlot) -> impl IntoView {
    let slot = probe;
    let at = slot.path();
    let which = slot.as_str();
    let p = Signal::derive(move || draft.with(|d| slot.of(d).clone()));
    let kind = move || p.get().kind;
    let field = move |name: &'static str,
                      label: &'static str,
                      get: fn(&ProbeDraft) -> String,
                      set: fn(&mut ProbeDraft, String)| {
        let path = if name == "port" {
            format!("{at}.port")
        } else if name == "command" {
            format!("{at}.type.exec.command")
        } else {
            format!("{at}.{name}")
        };
        view! { <Input form=form path=path label=label value=Signal::derive(move || get(&p.get())) on_input=Callback::new(move |v: String| draft.update(|d| set(slot.of_mut(d), v)))/> }
    };
    let ports = Signal::derive(move || {
        draft.with(|d| {
            d.ports
                .iter()
                .map(|x| x.internal.trim().to_string())
                .filter(|x| !x.is_empty())
                .collect::<Vec<_>>()
        })
    });
    let port_id = field_id(&format!("{at}.port"));
    let port_error = form.error(format!("{at}.port"));
    view! {
        <div class="berth-probe" data-probe=which>
            <h3>{slot.title()}</h3>
            <div class="berth-field">
                <label for=format!("q-{which}-type")>"Type"</label>
                <select id=format!("q-{which}-type") prop:value=move || kind().as_str() on:change=move |ev| draft.update(|d| {
                    let first = d.ports.first().map(|x| x.internal.clone()).unwrap_or_default();
                    let pr = slot.of_mut(d);
                    pr.kind = ProbeKind::from_value(&event_target_value(&ev));
                    if pr.port.is_empty() { pr.port = first }
                })>
                    {ProbeKind::ALL.iter().map(|k| view! { <option value=k.as_str()>{k.label()}</option> }).collect_view()}
                </select>
            </div>
            {move || kind().has_port().then(|| view! {
                <div class="berth-field" class:berth-invalid=move || port_error.get().is_some()>
                    <label for=port_id.clone()>"Port (a declared port)"</label>
                    <select id=port_id.clone() prop:value=move || p.get().port on:change=move |ev| draft.update(|d| slot.of_mut(d).port = event_target_value(&ev))>
                        <option value="">"Choose a port"</option>
                        {move || ports.get().into_iter().map(|x| { let v = x.clone(); view! { <option value=v>{x}</option> } }).collect_view()}
                    </select>
                    <p class="berth-field-error">{move || port_error.get()}</p>
                </div>
            })}
            {move || (kind() == ProbeKind::Tcp).then(|| field("host", "Host (optional)", |p| p.host.clone(), |p, v| p.host = v))}
            {move || (kind() == ProbeKind::Http).then(|| view! { {field("path", "Path", |p| p.path.clone(), |p, v| p.path = v)}{field("scheme", "Scheme (HTTP or HTTPS)", |p| p.scheme.clone(), |p, v| p.scheme = v)} })}
            {move || (kind() == ProbeKind::Exec).then(|| field("command", "Command (shell-style)", |p| p.command.clone(), |p, v| p.command = v))}
            {move || (kind() == ProbeKind::Grpc).then(|| field("service", "Service (optional)", |p| p.service.clone(), |p, v| p.service = v))}
            {move || (kind() != ProbeKind::None).then(|| view! {
                <div class="berth-grid berth-timings">
                    {field("initial_delay_seconds", "Initial delay (s)", |p| p.initial_delay.clone(), |p, v| p.initial_delay = v)}
                    {field("period_seconds", "Period (s)", |p| p.period.clone(), |p, v| p.period = v)}
                    {field("timeout_seconds", "Timeout (s)", |p| p.timeout.clone(), |p, v| p.timeout = v)}
                    {field("success_threshold", "Success threshold", |p| p.success.clone(), |p, v| p.success = v)}
                    {field("failure_threshold", "Failure threshold", |p| p.failure.clone(), |p, v| p.failure = v)}
                </div>
            })}
        </div>
    }
}

#[component]
pub fn StorageTable(form: Form, draft: RwSignal<QDraft>) -> impl IntoView {
    view! {
        <section class="berth-panel" aria-labelledby="q-storage">
            <h2 id="q-storage">"Storage"</h2>
            <EditTable
                caption="Storage"
                headers=vec!["Size (GB, at least 4)", "Mount point"]
                len=Signal::derive(move || draft.with(|d| d.storage.len()))
                add_label="Add storage (fast SSD)"
                on_add=Callback::new(move |_| draft.update(|d| d.storage.push(StorageRow { id: None, size: "10".into(), mount: String::new() })))
                on_remove=Callback::new(move |i: usize| draft.update(|d| if i < d.storage.len() { d.storage.remove(i); }))
                row=Callback::new(move |i: usize| {
                    let s = Signal::derive(move || draft.with(|d| d.storage.get(i).cloned().unwrap_or(StorageRow { id: None, size: String::new(), mount: String::new() })));
                    let size = view! {
                        <Cell form=form path={format!("storage[{i}].size")}
                            label={format!("Storage {} size", i + 1)}
                            value={Signal::derive(move || s.get().size)}
                            on_input={Callback::new(move |v| draft.update(|d| if let Some(x) = d.storage.get_mut(i) { x.size = v }))}
                            kind="number"
                            placeholder="10"/>
                    };
                    let mount = view! {
                        <Cell form=form path={format!("storage[{i}].mount_point")}
                            label={format!("Storage {} mount point", i + 1)}
                            value={Signal::derive(move || s.get().mount)}
                            on_input={Callback::new(move |v| draft.update(|d| if let Some(x) = d.storage.get_mut(i) { x.mount = v }))}
                            placeholder="/mnt/data"/>
                    };
                    view! { {size}{mount} }.into_any()
                })
            />
        </section>
    }
}

/// The exact body and a curl line (the token as a placeholder).
#[component]
pub fn Preview(
    draft: RwSignal<QDraft>,
    limits: Limits,
    conn: Connection,
    env: String,
    existing: Option<String>,
) -> impl IntoView {
    let json = Memo::new(move |_| {
        draft.with(|d| serde_json::to_string_pretty(&d.request(&limits).0).unwrap_or_default())
    });
    let request = crate::api::qovery::save_url(&conn, &env, existing.as_deref());
    view! { <RequestPreview kind=BackendKind::Qovery request=Signal::stored(request) json=json/> }
}
