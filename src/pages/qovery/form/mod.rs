//! The Qovery container form: create (`/q/{conn}/{org}/{project}/{env}/new`) and edit
//! (`/q/{conn}/containers/{id}/edit`, sent as the full PUT). Every seed field, validated as the
//! user types, a JSON preview and curl line, a draft kept in sessionStorage.

pub mod conflict;
pub mod draft;
mod kept;
pub mod prefill;
mod review;
mod sections;
mod submit;
pub mod var_rows;
pub mod variables;

use berth_api::config::{BackendKind, Connection};
use berth_api::qovery::ContainerRegistry;
use berth_api::rules::Limits;
use leptos::prelude::*;

use crate::components::submit_error::SubmitErrorPanel;
use crate::routes::AppPath;

use crate::api::{self, ApiError};
use crate::components::error_panel::ErrorPanel;
use crate::components::form::{ErrorSummary, Form};
use crate::components::link::Link;
use crate::components::paste::PasteBox;
use crate::pages::{connected, param};
use crate::state::storage::{self, Area};
use draft::QDraft;
use kept::{use_kept_draft, KeptDraft};
use submit::{use_submit, Submit};

/// What the form needs besides the draft.
#[derive(Clone)]
struct Context {
    conn: Connection,
    org: String,
    project: String,
    env: String,
    limits: Limits,
    registries: Vec<ContainerRegistry>,
    /// The container being edited.
    existing: Option<(String, QDraft)>,
}

#[component]
pub fn QoveryNew() -> impl IntoView {
    let (org, project, env) = (param("org"), param("project"), param("env"));
    connected(BackendKind::Qovery, move |c| {
        let (o, p, e) = (org.get(), project.get(), env.get());
        let ctx = LocalResource::new(move || {
            let (c, o, p, e) = (c.clone(), o.clone(), p.clone(), e.clone());
            async move {
                let environment = api::qovery::environment(&c, &e).await?;
                let registries = api::qovery::registries(&c, &o).await?;
                Ok::<_, ApiError>(Context {
                    limits: Limits {
                        maximum_cpu: environment.maximum_cpu,
                        maximum_memory: environment.maximum_memory,
                        maximum_gpu: environment.maximum_gpu,
                    },
                    conn: c,
                    org: o,
                    project: p,
                    env: e,
                    registries,
                    existing: None,
                })
            }
        });
        view! { <Loaded ctx=ctx title="New container"/> }
    })
}

#[component]
pub fn QoveryEdit() -> impl IntoView {
    let id = param("id");
    connected(BackendKind::Qovery, move |c| {
        let id = id.get();
        let ctx = LocalResource::new(move || {
            let (c, id) = (c.clone(), id.clone());
            async move {
                let (container, _) = api::qovery::container(&c, &id).await?;
                let env_id = container
                    .environment
                    .as_ref()
                    .map(|e| e.id.clone())
                    .unwrap_or_default();
                let environment = api::qovery::environment(&c, &env_id).await?;
                let org = environment
                    .organization
                    .as_ref()
                    .map(|o| o.id.clone())
                    .unwrap_or_default();
                let project = environment
                    .project
                    .as_ref()
                    .map(|p| p.id.clone())
                    .unwrap_or_default();
                let registries = api::qovery::registries(&c, &org).await?;
                Ok::<_, ApiError>(Context {
                    limits: Limits {
                        maximum_cpu: Some(container.maximum_cpu)
                            .filter(|m| *m > 0)
                            .or(environment.maximum_cpu),
                        maximum_memory: Some(container.maximum_memory)
                            .filter(|m| *m > 0)
                            .or(environment.maximum_memory),
                        maximum_gpu: Some(container.maximum_gpu).or(environment.maximum_gpu),
                    },
                    conn: c,
                    org,
                    project,
                    env: env_id,
                    registries,
                    existing: Some((id, QDraft::from_container(&container))),
                })
            }
        });
        view! { <Loaded ctx=ctx title="Edit container"/> }
    })
}

#[component]
fn Loaded(ctx: LocalResource<Result<Context, ApiError>>, title: &'static str) -> impl IntoView {
    view! {
        <section class="berth-page">
            <h1>{title}</h1>
            {move || match ctx.get() {
                None => view! { <p class="berth-loading" aria-busy="true">"Loading the environment and its registries…"</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorPanel error=e on_retry=move |_| ctx.refetch()/> }.into_any(),
                Some(Ok(c)) => view! { <ContainerForm ctx=c/> }.into_any(),
            }}
        </section>
    }
}

/// Where the form leads back to: the container edited, or the environment's list.
fn back_to(c: &Context) -> String {
    match &c.existing {
        Some((id, _)) => AppPath::QoveryDetail {
            conn: c.conn.id.clone(),
            id: id.clone(),
        },
        None => AppPath::QoveryContainers {
            conn: c.conn.id.clone(),
            org: c.org.clone(),
            project: c.project.clone(),
            env: c.env.clone(),
        },
    }
    .to_path()
}

fn draft_key(ctx: &Context) -> String {
    match &ctx.existing {
        Some((id, _)) => format!("berth.draft.qovery.{}.edit.{id}", ctx.conn.id),
        None => format!("berth.draft.qovery.{}.{}", ctx.conn.id, ctx.env),
    }
}

#[component]
fn ContainerForm(ctx: Context) -> impl IntoView {
    let kept = use_kept_draft(&ctx);
    let KeptDraft {
        draft,
        opened,
        had_draft,
        initial,
        key,
        ..
    } = kept;
    let limits = ctx.limits;
    let errors = Memo::new(move |_| draft.with(|d| d.request(&limits).1));
    let form = Form::new(errors);
    let editing = ctx.existing.is_some();
    let ctx = StoredValue::new(ctx);
    let Submit {
        top_error,
        step,
        created,
        theirs,
        busy,
        save,
    } = use_submit(ctx, kept, form);
    let choose = Callback::new(move |choice: review::Choice| {
        let seen = theirs.get_untracked();
        theirs.set(None);
        match (choice, seen) {
            (review::Choice::Overwrite, Some(t)) => {
                // Saved over the copy just reviewed; a further change meanwhile is caught again.
                opened.set(t);
                save.run(false);
            }
            (review::Choice::Reload, Some(t)) => {
                draft.set(t.clone());
                opened.set(t);
                form.server.set(Vec::new());
            }
            _ => {}
        }
    });
    let discard = Callback::new(move |_| {
        key.with_value(|k| storage::remove(Area::Session, k));
        draft.set(initial.get_value());
        created.set(None);
        form.server.set(Vec::new());
        form.show_all.set(false);
    });
    let back = ctx.with_value(back_to);
    view! {
        <p><Link href=back>"← Back"</Link></p>
        {had_draft.then(|| view! { <p class="berth-panel berth-notice" role="status">"Your draft was restored."</p> })}
        <StaleDraftNotice kept=kept/>
        {(!editing).then(|| {
            let fill = Callback::new(move |text: String| {
                let current = draft.get_untracked();
                prefill::prefill(&current, &text).map(|(filled, report)| {
                    draft.set(filled);
                    // Whatever the paste got wrong shows at once, at its field.
                    form.show_all.set(true);
                    report
                })
            });
            view! { <PasteBox fill=fill hint="Image, ports, entrypoint and arguments, CPU, memory, volumes and the health command are filled in; the rest is listed with the reason."/> }
        })}
        <form class="berth-form berth-create" novalidate aria-label="Container" on:submit=move |ev| { ev.prevent_default(); save.run(false); }>
            <style>{crate::components::form::FORM_CSS}</style>
            <ErrorSummary form=form/>
            <SubmitErrorPanel error=top_error/>
            {move || created.get().map(|id| {
                let href = ctx.with_value(|c| AppPath::QoveryDetail { conn: c.conn.id.clone(), id: id.clone() }.to_path());
                view! { <p class="berth-panel berth-notice" data-created=id><Link href=href>"Open the created container"</Link></p> }
            })}
            <sections::General form=form draft=draft ctx=ctx.with_value(|c| (c.conn.clone(), c.org.clone(), c.registries.clone()))/>
            <sections::Resources form=form draft=draft limits=limits/>
            <sections::Ports form=form draft=draft/>
            <sections::Probes form=form draft=draft/>
            <sections::StorageTable form=form draft=draft/>
            {(!editing).then(|| view! { <variables::Variables form=form draft=draft/> })}
            <sections::Preview draft=draft limits=limits conn=ctx.with_value(|c| c.conn.clone()) env=ctx.with_value(|c| c.env.clone()) existing=ctx.with_value(|c| c.existing.as_ref().map(|(id, _)| id.clone()))/>
            {ctx.with_value(|c| c.existing.clone()).map(|(id, _)| {
                let conn = ctx.with_value(|c| c.conn.clone());
                view! { <review::Review conn=conn id=id opened=opened draft=draft limits=limits/> }
            })}
            {move || theirs.get().map(|t| view! { <review::Conflict opened=opened theirs=t draft=draft limits=limits on_choice=choose/> })}
            {move || draft.with(|d| d.created.clone()).map(|(_, name)| view! {
                <p class="berth-panel berth-notice" role="status" data-retry-variables="">
                    {format!("{name} exists already: Create now sends only the variables below to it (it is not created again).")}
                </p>
            })}
            <SubmitBar busy=busy step=step editing=editing save=save discard=discard/>
        </form>
    }
}

/// An edit's draft made on an older copy of the container: restored or discarded by the user.
#[component]
fn StaleDraftNotice(kept: KeptDraft) -> impl IntoView {
    let KeptDraft {
        draft,
        opened,
        offer,
        ..
    } = kept;
    move || {
        offer.get().map(|d| {
            let when = if d.saved_ms > 0.0 {
                format!(" from {}", crate::state::clock::ago(crate::state::clock::now_ms() - d.saved_ms))
            } else {
                String::new()
            };
            let restore = d.clone();
            view! {
                <div class="berth-panel berth-notice" role="status" data-stale-draft="">
                    <p>{format!("You have unsaved changes{when} made on an older copy of this container. The form shows the server's copy; restore yours to review them against it before saving.")}</p>
                    <div class="berth-actions">
                        <button type="button" class="berth-btn" on:click=move |_| {
                            draft.set(restore.draft.clone());
                            opened.set(restore.base.clone());
                            offer.set(None);
                        }>"Restore my changes"</button>
                        <button type="button" class="berth-btn berth-btn-quiet" on:click=move |_| offer.set(None)>"Discard them"</button>
                    </div>
                </div>
            }
        })
    }
}

/// What the submit is doing, and the form's buttons.
#[component]
fn SubmitBar(
    busy: Memo<bool>,
    step: RwSignal<Option<&'static str>>,
    editing: bool,
    save: Callback<bool>,
    discard: Callback<()>,
) -> impl IntoView {
    view! {
        {move || busy.get().then(|| step.get()).flatten().map(|s| view! { <p class="berth-muted" role="status">{s}</p> })}
        <div class="berth-actions">
            <button type="submit" class="berth-btn berth-btn-primary" disabled=move || busy.get()>{if editing { "Save" } else { "Create" }}</button>
            {(!editing).then(|| view! {
                <button type="button" class="berth-btn" disabled=move || busy.get() on:click=move |_| save.run(true)>"Create and deploy"</button>
            })}
            <button type="button" class="berth-btn berth-btn-quiet" on:click=move |_| discard.run(())>"Discard draft"</button>
        </div>
    }
}
