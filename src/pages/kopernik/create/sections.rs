//! The create form's sections before the runtime: the template, the machine, the image.

use berth_api::kopernik::{AppTemplate, MachineType, Region};
use leptos::prelude::*;

use super::draft::Draft;
use crate::components::edit_table::EditTable;
use crate::components::form::{field_id, Cell, Form, Input};

/// The templates as cards, "No template" first.
#[component]
pub(super) fn TemplateSection(
    draft: RwSignal<Draft>,
    templates: StoredValue<Vec<AppTemplate>>,
) -> impl IntoView {
    let template_cards = templates.get_value();
    view! {
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
    }
}

/// The machine: its name, region and type, and its data disks with their mount targets.
#[component]
pub(super) fn MachineSection(
    form: Form,
    draft: RwSignal<Draft>,
    /// A template is chosen: it sets the disks.
    fixed: Signal<bool>,
    regions: Vec<Region>,
    types: Vec<MachineType>,
) -> impl IntoView {
    let set =
        move |f: fn(&mut Draft, String)| Callback::new(move |v: String| draft.update(|d| f(d, v)));
    let get = move |f: fn(&Draft) -> String| Signal::derive(move || draft.with(f));
    view! {
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
    }
}

/// The image and the registry's credentials.
#[component]
pub(super) fn ImageSection(
    form: Form,
    draft: RwSignal<Draft>,
    fixed: Signal<bool>,
) -> impl IntoView {
    let set =
        move |f: fn(&mut Draft, String)| Callback::new(move |v: String| draft.update(|d| f(d, v)));
    let get = move |f: fn(&Draft) -> String| Signal::derive(move || draft.with(f));
    view! {
        <section class="berth-panel" aria-labelledby="sec-image">
            <h2 id="sec-image">"Image"</h2>
            <div class="berth-grid">
                <Input form=form path="containerImage.id" label="Image" value=get(|d| d.image.clone()) on_input=set(|d, v| d.image = v) placeholder="nginx:1.27 or registry/ns/image:tag" readonly=fixed/>
                <Input form=form path="containerImage.digest" label="Digest (optional)" value=get(|d| d.digest.clone()) on_input=set(|d, v| d.digest = v) placeholder="sha256:…" readonly=fixed/>
                <Input form=form path="containerImageRepositoryCredentials" label="Registry username (optional)" value=get(|d| d.username.clone()) on_input=set(|d, v| d.username = v)/>
                <Input form=form path="containerImageRepositoryCredentials.password" label="Registry password" kind="password" value=get(|d| d.password.clone()) on_input=set(|d, v| d.password = v) hint="Never stored."/>
            </div>
        </section>
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
