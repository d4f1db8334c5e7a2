//! Create a Kopernik container app: every field of the seed's `ContainerAppCreate`, templates with
//! their rules, validated as the user types, a JSON preview and a curl line, a draft that survives
//! a reload (without secrets), and the Action followed to its outcome.

pub mod draft;
mod follow;
pub mod lost;
mod prefill;

use berth_api::config::{BackendKind, Connection};
use berth_api::kopernik::{AppPortProtocol, AppTemplate, MachineType, Region};
use leptos::prelude::*;

use crate::components::submit_error::{SubmitError, SubmitErrorPanel};
use crate::routes::AppPath;

use crate::api::{self, ApiError};
use crate::components::edit_table::EditTable;
use crate::components::env_paste::EnvPaste;
use crate::components::form::{field_id, focus_summary, Cell, ErrorSummary, Form, Input};
use crate::components::link::Link;
use crate::components::paste::PasteBox;
use crate::components::preview::RequestPreview;
use crate::pages::{connected, param};
use crate::state::storage::{self, Area};
use berth_api::error::reason_to_errors;
use draft::{Draft, EnvRow, PortRow};
use lost::{resolve, LostCreate, LostPanel};

#[component]
pub fn KopernikNew() -> impl IntoView {
    let provider = param("provider");
    // Keyed on the provider too: choosing another one in the page's select (same route) builds
    // the page anew, with that provider's catalog, draft and submit target.
    connected(BackendKind::Kopernik, move |c| {
        view! { <Create conn=c provider=provider.get()/> }
    })
}

/// What the page loads before the form can be used.
#[derive(Clone)]
struct Catalog {
    templates: Vec<AppTemplate>,
    regions: Vec<Region>,
    types: Vec<MachineType>,
}

#[component]
fn Create(conn: Connection, provider: String) -> impl IntoView {
    let conn = StoredValue::new(conn);
    let p = provider.clone();
    let catalog = LocalResource::new(move || {
        let (c, p) = (conn.get_value(), p.clone());
        async move {
            Ok::<_, ApiError>(Catalog {
                templates: api::kopernik::templates(&c).await?,
                regions: api::kopernik::regions(&c, &p).await?,
                types: api::kopernik::machine_types(&c, &p).await?,
            })
        }
    });
    let list = AppPath::KopernikApps {
        conn: conn.with_value(|c| c.id.clone()),
        provider: provider.clone(),
    }
    .to_path();
    let navigate = leptos_router::hooks::use_navigate();
    let conn_id = conn.with_value(|c| c.id.clone());
    let switch = move |ev: leptos::ev::Event| {
        let p = event_target_value(&ev);
        navigate(
            &crate::components::link::base().href(
                &AppPath::KopernikNew {
                    conn: conn_id.clone(),
                    provider: p,
                }
                .to_path(),
            ),
            Default::default(),
        );
    };
    view! {
        <section class="berth-page">
            <p><Link href=list>"← Container apps"</Link></p>
            <div class="berth-page-head">
                <h1>"New container app"</h1>
                <label class="berth-inline-field">"Provider "
                    <select id="f-provider" prop:value=provider.clone() on:change=switch>
                        {berth_api::kopernik::ProviderId::ALL.iter().map(|p| view! { <option value=p.as_str()>{p.to_string()}</option> }).collect_view()}
                    </select>
                </label>
            </div>
            {move || match catalog.get() {
                None => view! { <p class="berth-loading" aria-busy="true">"Loading templates, regions and machine types…"</p> }.into_any(),
                Some(Err(e)) => view! { <crate::components::error_panel::ErrorPanel error=e on_retry=move |_| catalog.refetch()/> }.into_any(),
                Some(Ok(cat)) => view! { <CreateForm conn=conn.get_value() provider=provider.clone() catalog=cat/> }.into_any(),
            }}
        </section>
    }
}

fn draft_key(conn: &Connection, provider: &str) -> String {
    format!("berth.draft.kopernik.{}.{provider}", conn.id)
}

#[component]
fn CreateForm(conn: Connection, provider: String, catalog: Catalog) -> impl IntoView {
    let key = draft_key(&conn, &provider);
    let templates = StoredValue::new(catalog.templates.clone());
    let restored =
        storage::get(Area::Session, &key).and_then(|t| serde_json::from_str::<Draft>(&t).ok());
    let had_draft = restored.is_some();
    let draft = RwSignal::new(restored.unwrap_or_default());
    let template = Memo::new(move |_| {
        let id = draft.with(|d| d.template_id.clone());
        templates.with_value(|ts| ts.iter().find(|t| t.id == id).cloned())
    });
    let errors = Memo::new(move |_| template.with(|t| draft.with(|d| d.build(t.as_ref()).1)));
    let form = Form::new(errors);
    // Every change is kept in sessionStorage, without secrets.
    let store_key = key.clone();
    Effect::new(move |_| {
        let stored = template.with(|t| draft.with(|d| d.for_storage(t.as_ref())));
        if let Ok(text) = serde_json::to_string(&stored) {
            let _ = storage::set(Area::Session, &store_key, &text);
        }
    });
    let set =
        move |f: fn(&mut Draft, String)| Callback::new(move |v: String| draft.update(|d| f(d, v)));
    let get = move |f: fn(&Draft) -> String| Signal::derive(move || draft.with(f));
    let fixed = Signal::derive(move || template.with(Option::is_some));

    let conn = StoredValue::new(conn);
    let provider = StoredValue::new(provider);
    let top_error = RwSignal::new(None::<SubmitError>);
    // The create outlives the page: its Action goes to the root pending store inside the task, so
    // leaving while the server waits (`waitTime`) still tracks it. The task reads no signal.
    let store = use_context::<crate::state::pending::PendingStore>();
    let outcome = RwSignal::new(None::<berth_api::kopernik::Action>);
    // The last create whose answer was lost, and what looking it up found (#21).
    let lost = RwSignal::new(None::<LostCreate>);
    let submit = Action::new_local(move |s: &draft::Submission| {
        let (c, p, s) = (conn.get_value(), provider.get_value(), s.clone());
        async move {
            let since = crate::state::clock::now_ms() / 1000.0;
            let result = crate::ops::kopernik::create(store, &c, &p, &s.body, s.wait_secs).await;
            match result {
                Ok(resp) => Some(Ok(resp)),
                // It may have gone through: looked up before anything else may be sent.
                Err(e) if lost::answer_lost(&e) => {
                    let name = s.body.machine_configuration.name.clone();
                    resolve(&c, &p, name, since, e, store, lost, outcome).await;
                    None
                }
                Err(e) => Some(Err(e)),
            }
        }
    });
    // "Check again" after a look-up that failed too.
    let recheck = Action::new_local(move |_: &()| {
        let (c, p, l) = (conn.get_value(), provider.get_value(), lost.get_untracked());
        async move {
            if let Some(l) = l {
                resolve(&c, &p, l.name, l.since, l.error, store, lost, outcome).await;
            }
        }
    });
    let may_submit = Memo::new(move |_| {
        lost.with(|l| match l {
            None => true,
            Some(l) => lost::may_submit(l.lookup.is_none(), l.lookup.as_ref()),
        })
    });
    Effect::new(move |_| {
        if let Some(Some(result)) = submit.value().get() {
            match result {
                Ok(resp) => outcome.set(Some(resp.action)),
                Err(e) if e.status == Some(400) => {
                    let (fields, top) = reason_to_errors(&e.message);
                    form.server.set(fields);
                    top_error.set(Some(SubmitError::text(top.unwrap_or_else(|| {
                        "The server refused the request; the fields it named are marked.".into()
                    }))));
                }
                // A refused token included: the user stays on the form, with a link to fix it.
                Err(e) => top_error.set(Some(SubmitError::of(&e))),
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        form.show_all.set(true);
        top_error.set(None);
        let (sub, errs) =
            template.with_untracked(|t| draft.with_untracked(|d| d.build(t.as_ref())));
        match sub {
            // Never while a lost create is unknown or was found: that would be a second app.
            Some(_) if !may_submit.get_untracked() => {}
            Some(s) if errs.is_empty() => {
                outcome.set(None);
                lost.set(None);
                submit.dispatch(s);
            }
            // Focus the summary so keyboard and screen-reader users land on the list.
            _ => focus_summary(),
        }
    };
    let discard_key = key.clone();
    let discard = move |_| {
        storage::remove(Area::Session, &discard_key);
        // A blank form is a new app; a look-up under way still ends.
        if lost.with_untracked(|l| l.as_ref().is_none_or(|l| l.lookup.is_some())) {
            lost.set(None);
        }
        draft.set(Draft::default());
        form.server.set(Vec::new());
        form.show_all.set(false);
        outcome.set(None);
    };
    let key = StoredValue::new(key);
    let regions = catalog.regions.clone();
    let types = catalog.types.clone();
    let template_cards = catalog.templates.clone();

    view! {
        {had_draft.then(|| view! { <p class="berth-panel berth-notice" role="status">"Your draft was restored. Secrets and the registry password are never stored: type them again."</p> })}
        <PasteBox
            fill=Callback::new(move |text: String| {
                let current = draft.get_untracked();
                prefill::prefill(&current, &text).map(|(filled, report)| {
                    draft.set(filled);
                    // Whatever the paste got wrong shows at once, at its field.
                    form.show_all.set(true);
                    report
                })
            })
            hint="Image and digest, name, ports, environment variables, volumes (as disks) and the restart policy are filled in; the rest is listed with the reason."
        />
        <form class="berth-form berth-create" on:submit=on_submit novalidate aria-label="New container app">
            <ErrorSummary form=form/>
            <SubmitErrorPanel error=top_error/>

            <section class="berth-panel" aria-labelledby="sec-template">
                <h2 id="sec-template">"Template"</h2>
                <div class="berth-cards berth-template-cards" role="radiogroup" aria-label="Template">
                    <TemplateCard label="No template".to_string() detail="Your image, env and ports".to_string() id=String::new() draft=draft templates=templates/>
                    {template_cards.into_iter().map(|t| {
                        let detail = format!("{} · ports {} · volumes {}", t.container_image.id,
                            t.ports.iter().map(|p| p.port.to_string()).collect::<Vec<_>>().join(", "),
                            if t.volume_mount_targets.is_empty() { "none".to_string() } else { t.volume_mount_targets.join(", ") });
                        view! { <TemplateCard label=t.name.clone() detail=detail id=t.id.clone() draft=draft templates=templates/> }
                    }).collect_view()}
                </div>
            </section>

            <section class="berth-panel" aria-labelledby="sec-machine">
                <h2 id="sec-machine">"Machine"</h2>
                <div class="berth-grid">
                    <Input form=form path="machineConfiguration.name" label="Name" value=get(|d| d.name.clone()) on_input=set(|d, v| d.name = v) hint="1–63 of a–z, 0–9 and '-', not at either end"/>
                    <div class="berth-field">
                        <label for=field_id("machineConfiguration.regionUid")>"Region"</label>
                        <select id=field_id("machineConfiguration.regionUid") prop:value=get(|d| d.region.clone()) on:change=move |ev| { form.touch("machineConfiguration.regionUid"); draft.update(|d| d.region = event_target_value(&ev)) }>
                            <option value="">"Choose a region"</option>
                            {regions.into_iter().map(|r| {
                                let label = format!("{} ({}){}", r.name, r.uid, if r.capabilities.available { "" } else { " — unavailable" });
                                view! { <option value=r.uid.clone() disabled=!r.capabilities.available>{label}</option> }
                            }).collect_view()}
                        </select>
                        <p class="berth-field-error">{move || form.error("machineConfiguration.regionUid").get()}</p>
                    </div>
                    <div class="berth-field">
                        <label for=field_id("machineConfiguration.machineTypeUid")>"Machine type"</label>
                        <select id=field_id("machineConfiguration.machineTypeUid") prop:value=get(|d| d.machine_type.clone()) on:change=move |ev| { form.touch("machineConfiguration.machineTypeUid"); draft.update(|d| d.machine_type = event_target_value(&ev)) }>
                            <option value="">"Choose a machine type"</option>
                            {types.into_iter().map(|t| {
                                let label = format!("{} — {} vCPU{}", t.name, t.cpus, t.memory_mb.map(|m| format!(", {} MB", m)).unwrap_or_default());
                                view! { <option value=t.uid.clone()>{label}</option> }
                            }).collect_view()}
                        </select>
                        <p class="berth-field-error">{move || form.error("machineConfiguration.machineTypeUid").get()}</p>
                    </div>
                </div>
                <h3>"Data disks and where they are mounted"</h3>
                <p class="berth-hint">{move || if fixed.get() { "The template sets the disks and their mount targets." } else { "Disks past the last target you set are mounted at /disk1, /disk2, … in order." }}</p>
                <EditTable
                    caption="Data disks"
                    headers=vec!["Size (GB)", "Mount target"]
                    len=Signal::derive(move || draft.with(|d| d.disks.len()))
                    fixed=fixed
                    add_label="Add a data disk"
                    on_add=Callback::new(move |_| draft.update(|d| { d.disks.push("10".into()); d.mounts.push(String::new()); }))
                    on_remove=Callback::new(move |i: usize| draft.update(|d| {
                        if i < d.disks.len() {
                            d.disks.remove(i);
                        }
                        if i < d.mounts.len() {
                            d.mounts.remove(i);
                        }
                    }))
                    row=Callback::new(move |i: usize| {
                        let size = view! {
                            <Cell form=form path={format!("machineConfiguration.dataDisks[{i}].sizeGb")}
                                label={format!("Disk {} size", i + 1)}
                                value={Signal::derive(move || draft.with(|d| d.disks.get(i).cloned().unwrap_or_default()))}
                                on_input={Callback::new(move |v| draft.update(|d| if let Some(x) = d.disks.get_mut(i) { *x = v }))}
                                placeholder="10"/>
                        };
                        let mount = view! {
                            <Cell form=form path={format!("runtimeProps.volumeMountTargets[{i}]")}
                                label={format!("Disk {} mount target", i + 1)}
                                value={Signal::derive(move || draft.with(|d| d.mounts.get(i).cloned().filter(|m| !m.is_empty()).unwrap_or_default()))}
                                on_input={Callback::new(move |v| draft.update(|d| { d.mounts.resize(d.disks.len(), String::new()); if let Some(x) = d.mounts.get_mut(i) { *x = v } }))}
                                readonly={fixed.get_untracked()}
                                placeholder={format!("/disk{}", i + 1)}/>
                        };
                        view! { {size}{mount} }.into_any()
                    })
                />
            </section>

            <section class="berth-panel" aria-labelledby="sec-image">
                <h2 id="sec-image">"Image"</h2>
                <div class="berth-grid">
                    <Input form=form path="containerImage.id" label="Image" value=get(|d| d.image.clone()) on_input=set(|d, v| d.image = v) placeholder="nginx:1.27 or registry/ns/image:tag" readonly=fixed/>
                    <Input form=form path="containerImage.digest" label="Digest (optional)" value=get(|d| d.digest.clone()) on_input=set(|d, v| d.digest = v) placeholder="sha256:…" readonly=fixed/>
                    <Input form=form path="containerImageRepositoryCredentials" label="Registry username (optional)" value=get(|d| d.username.clone()) on_input=set(|d, v| d.username = v)/>
                    <Input form=form path="containerImageRepositoryCredentials.password" label="Registry password" kind="password" value=get(|d| d.password.clone()) on_input=set(|d, v| d.password = v) hint="Never stored."/>
                </div>
            </section>

            <section class="berth-panel" aria-labelledby="sec-runtime">
                <h2 id="sec-runtime">"Runtime"</h2>
                {move || template.get().map(|t| view! { <TemplateProps form=form draft=draft template=t/> })}
                <h3>"Environment variables"</h3>
                <EnvTable form=form draft=draft/>
                <h3>"Ports"</h3>
                {move || (fixed.get()).then(|| view! {
                    <p class="berth-hint">{move || if draft.with(|d| d.ports_edited) { "You changed the ports: they replace the template's ports entirely." } else { "The template's ports; changing them replaces the template's ports entirely." }}</p>
                })}
                <EditTable
                    caption="Ports"
                    headers=vec!["Port", "Name", "Protocol"]
                    len=Signal::derive(move || draft.with(|d| d.ports.len()))
                    add_label="Add a port"
                    on_add=Callback::new(move |_| draft.update(|d| { d.ports.push(PortRow::default()); d.ports_edited = true; }))
                    on_remove=Callback::new(move |i: usize| draft.update(|d| { if i < d.ports.len() { d.ports.remove(i); } d.ports_edited = true; }))
                    row=Callback::new(move |i: usize| {
                        let port = view! {
                            <Cell form=form path={format!("runtimeProps.ports[{i}].port")}
                                label={format!("Port {}", i + 1)}
                                value={Signal::derive(move || draft.with(|d| d.ports.get(i).map(|p| p.port.clone()).unwrap_or_default()))}
                                on_input={Callback::new(move |v| draft.update(|d| { if let Some(x) = d.ports.get_mut(i) { x.port = v } d.ports_edited = true; }))}
                                placeholder="8080"/>
                        };
                        let name = view! {
                            <Cell form=form path={format!("runtimeProps.ports[{i}].name")}
                                label={format!("Port {} name", i + 1)}
                                value={Signal::derive(move || draft.with(|d| d.ports.get(i).map(|p| p.name.clone()).unwrap_or_default()))}
                                on_input={Callback::new(move |v| draft.update(|d| { if let Some(x) = d.ports.get_mut(i) { x.name = v } d.ports_edited = true; }))}
                                placeholder="http"/>
                        };
                        view! {
                            {port}{name}
                            <td>
                                <select aria-label=format!("Port {} protocol", i + 1) prop:value=move || draft.with(|d| d.ports.get(i).map(|p| p.protocol.to_string()).unwrap_or_default())
                                    on:change=move |ev| draft.update(|d| { if let Some(x) = d.ports.get_mut(i) { x.protocol = AppPortProtocol::from_wire(&event_target_value(&ev)) } d.ports_edited = true; })>
                                    {AppPortProtocol::ALL.iter().map(|p| view! { <option value=p.as_str()>{p.as_str()}</option> }).collect_view()}
                                </select>
                            </td>
                        }.into_any()
                    })
                />
                <div class="berth-grid">
                    <div class="berth-field">
                        <label for="f-restart">"Restart policy"</label>
                        <select id="f-restart" prop:value=get(|d| d.restart.clone()) on:change=move |ev| draft.update(|d| d.restart = event_target_value(&ev))>
                            <option value="always">"always (default)"</option>
                            <option value="unless-stopped">"unless-stopped"</option>
                            <option value="on-failure">"on-failure"</option>
                            <option value="no">"no"</option>
                        </select>
                    </div>
                    <Input form=form path="waitTime" label="Wait for the result (seconds)" value=get(|d| d.wait_time.clone()) on_input=set(|d, v| d.wait_time = v) hint="The server answers at once after this, with the action still running."/>
                </div>
            </section>

            <Preview draft=draft template=template conn=conn provider=provider/>

            <div class="berth-actions">
                <button type="submit" class="berth-btn berth-btn-primary" disabled=move || submit.pending().get() || !may_submit.get()>
                    {move || if submit.pending().get() { "Creating…" } else { "Create container app" }}
                </button>
                <button type="button" class="berth-btn berth-btn-quiet" on:click=discard>"Discard draft"</button>
            </div>
        </form>
        <LostPanel lost=lost conn=conn provider=provider recheck=recheck/>
        {move || outcome.get().map(|o| view! { <follow::Follow action=o conn=conn.get_value() provider=provider.get_value() on_success=Callback::new(move |_| key.with_value(|k| storage::remove(Area::Session, k)))/> })}
    }
}

#[component]
fn TemplateCard(
    label: String,
    detail: String,
    id: String,
    draft: RwSignal<Draft>,
    templates: StoredValue<Vec<AppTemplate>>,
) -> impl IntoView {
    let selected = {
        let id = id.clone();
        move || draft.with(|d| d.template_id == id)
    };
    let choose = move |_| {
        let t = templates.with_value(|ts| ts.iter().find(|t| t.id == id).cloned());
        draft.update(|d| d.use_template(t.as_ref()));
    };
    view! {
        <button type="button" class="berth-card berth-template" role="radio" aria-checked=move || selected().to_string() on:click=choose>
            <strong>{label}</strong>
            <span class="berth-muted berth-small">{detail}</span>
        </button>
    }
}

/// Each template env property as a labelled field: required marked, secret masked with a reveal,
/// constant read-only with its value.
#[component]
fn TemplateProps(form: Form, draft: RwSignal<Draft>, template: AppTemplate) -> impl IntoView {
    view! {
        <h3>"Template settings"</h3>
        <div class="berth-grid">
            {template.env.into_iter().map(|p| {
                let var = p.env_var.clone();
                let label = format!("{}{}", if p.label.is_empty() { &p.env_var } else { &p.label }, if p.required && p.default.is_none() { " *" } else { "" });
                let reveal = RwSignal::new(false);
                let (v1, v2) = (var.clone(), var.clone());
                let constant = p.constant;
                let default = p.default.clone().unwrap_or_default();
                let value = Signal::derive(move || if constant { default.clone() } else { draft.with(|d| d.template_env.get(&v1).cloned().unwrap_or_default()) });
                let kind = Signal::derive(move || if p.secret && !reveal.get() { "password" } else { "text" });
                view! {
                    <div class="berth-template-prop">
                        <Input
                            form=form
                            path=format!("runtimeProps.env.{var}")
                            label=label
                            kind=kind.get_untracked()
                            value=value
                            readonly=constant
                            hint=format!("{}{}", p.env_var, if constant { " · fixed by the template" } else if p.secret { " · secret, never stored" } else { "" })
                            on_input=Callback::new(move |v: String| draft.update(|d| { d.template_env.insert(v2.clone(), v); }))
                        />
                        {p.secret.then(|| view! {
                            <button type="button" class="berth-btn berth-btn-small berth-btn-quiet" aria-pressed=move || reveal.get().to_string()
                                on:click=move |ev| {
                                    reveal.update(|r| *r = !*r);
                                    if let Some(input) = wasm_bindgen::JsCast::dyn_ref::<web_sys::HtmlElement>(&event_target::<web_sys::HtmlElement>(&ev))
                                        .and_then(|b| b.parent_element())
                                        .and_then(|p| p.query_selector("input").ok().flatten())
                                    {
                                        let _ = input.set_attribute("type", if reveal.get_untracked() { "text" } else { "password" });
                                    }
                                }>
                                {move || if reveal.get() { "Hide" } else { "Show" }}
                            </button>
                        })}
                    </div>
                }
            }).collect_view()}
        </div>
    }
}

/// Environment variables: a row each, secrets masked, and a paste box for `KEY=VALUE` lines.
#[component]
fn EnvTable(form: Form, draft: RwSignal<Draft>) -> impl IntoView {
    let add_pasted = Callback::new(move |pairs: Vec<(String, String)>| {
        draft.update(|d| d.add_env(pairs));
    });
    view! {
        <EditTable
            caption="Environment variables"
            headers=vec!["Name", "Value", "Secret"]
            len=Signal::derive(move || draft.with(|d| d.env.len()))
            add_label="Add a variable"
            on_add=Callback::new(move |_| draft.update(|d| d.env.push(EnvRow::default())))
            on_remove=Callback::new(move |i: usize| draft.update(|d| if i < d.env.len() { d.env.remove(i); }))
            row=Callback::new(move |i: usize| {
                let secret = move || draft.with(|d| d.env.get(i).is_some_and(|e| e.is_secret()));
                let name = view! {
                    <Cell form=form path={format!("runtimeProps.env[{i}].name")}
                        label={format!("Variable {} name", i + 1)}
                        value={Signal::derive(move || draft.with(|d| d.env.get(i).map(|e| e.name.clone()).unwrap_or_default()))}
                        on_input={Callback::new(move |v| draft.update(|d| if let Some(x) = d.env.get_mut(i) { x.name = v }))}
                        placeholder="NAME"/>
                };
                let value = view! {
                    <Cell form=form path={format!("runtimeProps.env[{i}].value")}
                        label={format!("Variable {} value", i + 1)}
                        value={Signal::derive(move || draft.with(|d| d.env.get(i).map(|e| e.value.clone()).unwrap_or_default()))}
                        on_input={Callback::new(move |v| draft.update(|d| if let Some(x) = d.env.get_mut(i) { x.value = v }))}
                        kind={Signal::derive(move || if secret() { "password" } else { "text" })}/>
                };
                view! {
                    {name}{value}
                    <td><input type="checkbox" aria-label=format!("Variable {} is secret", i + 1) prop:checked=secret
                        on:change=move |ev| draft.update(|d| if let Some(x) = d.env.get_mut(i) { x.secret = Some(event_target_checked(&ev)) })/></td>
                }.into_any()
            })
        />
        <EnvPaste on_pairs=add_pasted/>
    }
}

/// The exact JSON the form sends and the same as a curl line; secrets and the token replaced by
/// placeholders.
#[component]
fn Preview(
    draft: RwSignal<Draft>,
    template: Memo<Option<AppTemplate>>,
    conn: StoredValue<Connection>,
    provider: StoredValue<String>,
) -> impl IntoView {
    let body = Memo::new(move |_| {
        let (mut body, wait, _) = template.with(|t| draft.with(|d| d.body(t.as_ref())));
        let secrets: Vec<String> = template.with(|t| {
            draft.with(|d| {
                let mut s: Vec<String> = d
                    .env
                    .iter()
                    .filter(|e| e.is_secret())
                    .map(|e| e.name.clone())
                    .collect();
                if let Some(t) = t {
                    s.extend(t.env.iter().filter(|p| p.secret).map(|p| p.env_var.clone()));
                }
                s
            })
        });
        if let Some(c) = &mut body.container_image_repository_credentials {
            c.password = "<secret>".into();
        }
        if let Some(env) = body.runtime_props.as_mut().and_then(|r| r.env.as_mut()) {
            for e in env.iter_mut().filter(|e| secrets.contains(&e.name)) {
                e.value = "<secret>".into();
            }
        }
        (
            serde_json::to_string_pretty(&body).unwrap_or_default(),
            wait,
        )
    });
    let request = Memo::new(move |_| {
        let wait = body.with(|b| b.1);
        conn.with_value(|c| provider.with_value(|p| api::kopernik::create_url(c, p, wait)))
    });
    let json = Signal::derive(move || body.with(|b| b.0.clone()));
    view! { <RequestPreview kind=BackendKind::Kopernik request=request json=json/> }
}
