//! The create form's runtime section: the template's settings, environment variables, ports, the
//! restart policy and how long to wait for the result.

use berth_api::kopernik::{AppPortProtocol, AppTemplate};
use leptos::prelude::*;

use super::draft::{Draft, EnvRow, PortRow};
use crate::components::edit_table::EditTable;
use crate::components::env_paste::EnvPaste;
use crate::components::form::{Cell, Form, Input};

#[component]
pub(super) fn RuntimeSection(
    form: Form,
    draft: RwSignal<Draft>,
    template: Memo<Option<AppTemplate>>,
    /// A template is chosen.
    fixed: Signal<bool>,
) -> impl IntoView {
    let set =
        move |f: fn(&mut Draft, String)| Callback::new(move |v: String| draft.update(|d| f(d, v)));
    let get = move |f: fn(&Draft) -> String| Signal::derive(move || draft.with(f));
    view! {
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
