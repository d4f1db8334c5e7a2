//! Create a Kopernik container app: every field of the seed's `ContainerAppCreate`, templates with
//! their rules, validated as the user types, a JSON preview and a curl line, a draft that survives
//! a reload (without secrets), and the Action followed to its outcome.

pub mod draft;
mod follow;
pub mod lost;
mod prefill;
mod runtime;
mod sections;

use berth_api::config::{BackendKind, Connection};
use berth_api::kopernik::{AppTemplate, MachineType, Region};
use leptos::prelude::*;

use crate::components::submit_error::{SubmitError, SubmitErrorPanel};
use crate::routes::AppPath;

use crate::api::{self, ApiError};
use crate::components::form::{focus_summary, ErrorSummary, Form};
use crate::components::link::Link;
use crate::components::paste::PasteBox;
use crate::components::preview::RequestPreview;
use crate::pages::{connected, param};
use crate::state::storage::{self, Area};
use berth_api::error::reason_to_errors;
use draft::Draft;
use lost::{resolve, LostCreate, LostPanel};

/// Styles only this part uses: they travel in its chunk, not in the first screen's stylesheet.
const KCREATE_CSS: &str = ".berth .berth-template-cards{grid-template-columns:repeat(auto-fill,minmax(220px,1fr))}.berth .berth-template{display:flex;flex-direction:column;align-items:flex-start;gap:4px;text-align:left;font:inherit;color:inherit;cursor:pointer}.berth .berth-template[aria-checked=\"true\"]{border-color:var(--b-accent);box-shadow:0 0 0 1px var(--b-accent)}.berth .berth-template-prop{display:flex;align-items:flex-end;gap:8px}.berth .berth-template-prop .berth-field{flex:1}.berth .berth-create .berth-field select{width:100%}.berth .berth-inline-field{display:inline-flex;align-items:center;gap:8px;font-size:14px;color:var(--b-muted)}.berth .berth-inline-field select{font:inherit;padding:4px 8px;border-radius:6px;border:1px solid var(--b-border);background:var(--b-surface);color:var(--b-text)}";

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
            <style>{KCREATE_CSS}</style>
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
            <style>{crate::components::form::FORM_CSS}</style>
            <ErrorSummary form=form/>
            <SubmitErrorPanel error=top_error/>

            <sections::TemplateSection draft=draft templates=templates/>
            <sections::MachineSection form=form draft=draft fixed=fixed regions=catalog.regions types=catalog.types/>
            <sections::ImageSection form=form draft=draft fixed=fixed/>
            <runtime::RuntimeSection form=form draft=draft template=template fixed=fixed/>

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
