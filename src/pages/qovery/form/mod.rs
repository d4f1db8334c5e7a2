//! The Qovery container form: create (`/q/{conn}/{org}/{project}/{env}/new`) and edit
//! (`/q/{conn}/containers/{id}/edit`, sent as the full PUT). Every seed field, validated as the
//! user types, a JSON preview and curl line, a draft kept in sessionStorage.

pub mod conflict;
pub mod draft;
pub mod prefill;
mod review;
mod sections;
pub mod var_rows;
pub mod variables;

use berth_api::config::{BackendKind, Connection};
use berth_api::error::reason_to_errors;
use berth_api::qovery::{ContainerRegistry, ServiceAction};
use berth_api::rules::Limits;
use leptos::prelude::*;

use crate::components::submit_error::{SubmitError, SubmitErrorPanel};
use crate::routes::AppPath;
use leptos_router::hooks::use_navigate;

use crate::api::{self, ApiError};
use crate::components::error_panel::ErrorPanel;
use crate::components::form::{focus_summary, ErrorSummary, Form};
use crate::components::link::{base, Link};
use crate::components::paste::PasteBox;
use crate::ops::qovery::create::{self, Saved};
use crate::pages::{connected, param};
use crate::state::pending::PendingKind;
use crate::state::storage::{self, Area};
use conflict::{BeforePut, EditDraft, Restore};
use draft::QDraft;

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
    let key = draft_key(&ctx);
    let stored = storage::get(Area::Session, &key);
    // An edit's draft is restored only over the copy it was typed over; over a newer one it is
    // offered (#21).
    let (restored, offered) = match &ctx.existing {
        None => (
            stored.and_then(|t| serde_json::from_str::<QDraft>(&t).ok()),
            None,
        ),
        Some((_, server)) => match conflict::restore(stored.as_deref(), server) {
            Restore::Nothing => (None, None),
            Restore::Apply(d) => (Some(d.draft), None),
            Restore::Offer(d) => (None, Some(d)),
        },
    };
    let had_draft = restored.is_some();
    let initial = ctx
        .existing
        .as_ref()
        .map(|(_, d)| d.clone())
        .unwrap_or_else(|| QDraft {
            // The first registry the console may use (cluster-bound mirrors are hidden).
            registry_id: ctx
                .registries
                .iter()
                .find(|r| r.cluster.is_none())
                .map(|r| r.id.clone())
                .unwrap_or_default(),
            ..QDraft::default()
        });
    let draft = RwSignal::new(restored.unwrap_or_else(|| initial.clone()));
    // The server copy an edit is made over: the one the form opened on, until the user picks
    // another (restoring a draft made on an older copy, overwriting or reloading theirs).
    let opened = RwSignal::new(initial.clone());
    let offer = RwSignal::new(offered);
    // The server's copy when Save found it changed: nothing is sent until the user chooses.
    let theirs = RwSignal::new(None::<QDraft>);
    let limits = ctx.limits;
    let errors = Memo::new(move |_| draft.with(|d| d.request(&limits).1));
    let form = Form::new(errors);
    let store_key = key.clone();
    let editing = ctx.existing.is_some();
    Effect::new(move |_| {
        let text = if editing {
            let (d, base) = (draft.get(), opened.get());
            if d == base {
                // Nothing typed; a draft on offer stays until restored or discarded.
                if offer.with(Option::is_none) {
                    storage::remove(Area::Session, &store_key);
                }
                return;
            }
            serde_json::to_string(&EditDraft {
                draft: d,
                base,
                saved_ms: crate::state::clock::now_ms(),
            })
        } else {
            draft.with(serde_json::to_string)
        };
        if let Ok(text) = text {
            let _ = storage::set(Area::Session, &store_key, &text);
        }
    });
    let ctx = StoredValue::new(ctx);
    let top_error = RwSignal::new(None::<SubmitError>);
    // What the submit is doing now.
    let step = RwSignal::new(None::<&'static str>);
    // A container created, then not deployed: the user stays here and gets a link to it.
    let created = RwSignal::new(None::<String>);
    // Read here: the save runs in a task, outside the component's owner.
    let store = use_context::<crate::state::pending::PendingStore>();
    let navigate = use_navigate();
    let key = StoredValue::new(key);
    // Not cancelled when the page goes: a create or save that reached the server must finish,
    // and its deploy must be tracked. So the task reads no signal and writes only through `try_`
    // (nothing happens on a page that is gone), and moves the user only if they are still here.
    #[allow(clippy::type_complexity)]
    let submit = Action::new_local(
        move |(req, deploy, snapshot): &(berth_api::qovery::ContainerRequest, bool, QDraft)| {
            let (req, deploy, snapshot) = (req.clone(), *deploy, snapshot.clone());
            let c = ctx.get_value();
            // An edit is checked against the copy it was made over before anything is sent.
            let check = c
                .existing
                .as_ref()
                .map(|(id, _)| (id.clone(), opened.get_untracked(), draft.get_untracked()));
            let draft_key = key.get_value();
            let navigate = navigate.clone();
            async move {
                if let Some((id, opened, mine)) = check {
                    match api::qovery::container(&c.conn, &id).await {
                        Ok((now, _)) => {
                            let now = QDraft::from_container(&now);
                            if conflict::before_put(&opened, &now, &mine) == BeforePut::Review {
                                theirs.try_set(Some(now));
                                return;
                            }
                        }
                        Err(e) => {
                            let mut err = SubmitError::of(&e);
                            err.text = format!("Nothing was sent: the container could not be read again to check that nobody changed it meanwhile. {}", err.text);
                            top_error.try_set(Some(err));
                            return;
                        }
                    }
                }
                let existing = c.existing.as_ref().map(|(id, _)| id.clone());
                // A container this form already created (its variables failed) is not created again.
                let saved = match snapshot.created.clone() {
                    Some((id, name)) if existing.is_none() => Ok(Saved { id, name }),
                    _ => create::save_container(&c.conn, &c.env, existing.as_deref(), &req).await,
                };
                match saved {
                    Ok(saved) => {
                        step.try_set(Some("Setting the variables…"));
                        let failed = create::import_variables(
                            &c.conn,
                            &saved.id,
                            var_rows::import_request(&snapshot.vars),
                        )
                        .await;
                        step.try_set(None);
                        if !failed.is_empty() {
                            variables_failed(
                                store, &c.conn.id, &saved, &failed, snapshot, &draft_key, draft,
                                created, top_error,
                            );
                            return;
                        }
                        let deployed = if deploy {
                            let subject = crate::ops::qovery::Subject {
                                id: saved.id.clone(),
                                name: saved.name.clone(),
                                state: None,
                                last_deployment: None,
                            };
                            crate::ops::qovery::act_now(
                                store,
                                &c.conn,
                                subject,
                                ServiceAction::Deploy,
                                None,
                            )
                            .await
                            .map(|_| ())
                        } else {
                            Ok(())
                        };
                        // Still on this page (its signals live)?
                        let here = created.try_get_untracked().is_some();
                        match deployed {
                            Ok(()) => {
                                storage::remove(Area::Session, &draft_key);
                                if here {
                                    navigate(&base().href(&back_to(&c)), Default::default());
                                }
                            }
                            // The failure is shown where the user is, with the draft kept; a
                            // user who left gets it as a failed action (toast, actions page).
                            Err(why) if !here => crate::ops::qovery::record_failed(
                                store,
                                &c.conn.id,
                                &saved.id,
                                &saved.name,
                                PendingKind::Deploy,
                                format!("the deploy request failed: {why}"),
                            ),
                            Err(why) => {
                                created.try_set(Some(saved.id.clone()));
                                top_error.try_set(Some(SubmitError::text(format!(
                                    "{} was created, but its deploy failed: {why}. Your draft is kept; open the container to deploy it.",
                                    saved.name,
                                ))));
                            }
                        }
                    }
                    Err(e) if matches!(e.status, Some(400) | Some(409)) => {
                        let (fields, top) = reason_to_errors(&e.message);
                        form.server.try_set(fields);
                        let top = top.unwrap_or_else(|| "The server refused the request; the fields it named are marked. Your input is kept.".into());
                        top_error.try_set(Some(SubmitError::text(top)));
                    }
                    // A refused token included: the user stays on the form, with a link to fix it.
                    Err(e) => {
                        top_error.try_set(Some(SubmitError::of(&e)));
                    }
                }
            }
        },
    );
    let busy = submit.pending();
    let save = move |deploy: bool| {
        form.show_all.set(true);
        top_error.set(None);
        theirs.set(None);
        let (req, errs) = draft.with_untracked(|d| d.request(&limits));
        if !errs.is_empty() {
            focus_summary();
            return;
        }
        step.set(Some(if draft.with_untracked(|d| d.created.is_some()) {
            "Setting the variables…"
        } else if editing {
            "Saving…"
        } else {
            "Creating the container…"
        }));
        submit.dispatch_local((req, deploy, draft.get_untracked()));
    };
    let save = StoredValue::new(save);
    let choose = Callback::new(move |choice: review::Choice| {
        let seen = theirs.get_untracked();
        theirs.set(None);
        match (choice, seen) {
            (review::Choice::Overwrite, Some(t)) => {
                // Saved over the copy just reviewed; a further change meanwhile is caught again.
                opened.set(t);
                save.with_value(|f| f(false));
            }
            (review::Choice::Reload, Some(t)) => {
                draft.set(t.clone());
                opened.set(t);
                form.server.set(Vec::new());
            }
            _ => {}
        }
    });
    let discard = move |_| {
        key.with_value(|k| storage::remove(Area::Session, k));
        draft.set(initial.clone());
        created.set(None);
        form.server.set(Vec::new());
        form.show_all.set(false);
    };
    let back = ctx.with_value(back_to);
    view! {
        <p><Link href=back>"← Back"</Link></p>
        {had_draft.then(|| view! { <p class="berth-panel berth-notice" role="status">"Your draft was restored."</p> })}
        {move || offer.get().map(|d| {
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
        })}
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
        <form class="berth-form berth-create" novalidate aria-label="Container" on:submit=move |ev| { ev.prevent_default(); save.with_value(|f| f(false)); }>
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
            {move || busy.get().then(|| step.get()).flatten().map(|s| view! { <p class="berth-muted" role="status">{s}</p> })}
            <div class="berth-actions">
                <button type="submit" class="berth-btn berth-btn-primary" disabled=move || busy.get()>{if editing { "Save" } else { "Create" }}</button>
                {(!editing).then(|| view! {
                    <button type="button" class="berth-btn" disabled=move || busy.get() on:click=move |_| save.with_value(|f| f(true))>"Create and deploy"</button>
                })}
                <button type="button" class="berth-btn berth-btn-quiet" on:click=discard>"Discard draft"</button>
            </div>
        </form>
    }
}

/// Some variables were not set on the created container: they stay in the form (and its draft)
/// with the container's id, so Create sends only them; nothing is deployed. A user who left
/// finds them in the draft, and the failure under Actions.
#[allow(clippy::too_many_arguments)]
fn variables_failed(
    store: Option<crate::state::pending::PendingStore>,
    conn: &str,
    saved: &Saved,
    failed: &[(String, String)],
    mut snapshot: QDraft,
    draft_key: &str,
    draft: RwSignal<QDraft>,
    created: RwSignal<Option<String>>,
    top_error: RwSignal<Option<SubmitError>>,
) {
    let keys: Vec<&str> = failed.iter().map(|(k, _)| k.as_str()).collect();
    let list = failed
        .iter()
        .map(|(k, why)| format!("{k} ({why})"))
        .collect::<Vec<_>>()
        .join(", ");
    let text = format!(
        "{} was created, but {} variable(s) were not set: {list}. They stay in the form: fix them and press Create again to set only them (the container is not created again). Nothing was deployed.",
        saved.name,
        failed.len()
    );
    let made = Some((saved.id.clone(), saved.name.clone()));
    if created.try_set(Some(saved.id.clone())).is_none() {
        // Still on the form: it shows the rows left and why.
        draft.try_update(|d| {
            d.vars.retain(|v| keys.contains(&v.key.as_str()));
            d.created = made;
        });
        top_error.try_set(Some(SubmitError::text(text)));
        return;
    }
    snapshot.vars.retain(|v| keys.contains(&v.key.as_str()));
    snapshot.created = made;
    if let Ok(t) = serde_json::to_string(&snapshot) {
        let _ = storage::set(Area::Session, draft_key, &t);
    }
    crate::ops::qovery::record_failed(
        store,
        conn,
        &saved.id,
        &saved.name,
        PendingKind::Create,
        format!("variables not set: {list}"),
    );
}
