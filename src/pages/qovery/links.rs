//! Where a container answers (`/container/{id}/link`) as "Open" buttons, its custom domains
//! (`/customDomain`, read-only: the CNAME to create and the validation status), and "Deploy
//! another tag".

use berth_api::config::Connection;
use berth_api::links::{openable, CustomDomain, Link};
use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::state::task::Tasks;

/// The default link first, then Qovery's, then custom domains'.
fn order(mut links: Vec<Link>) -> Vec<Link> {
    links.sort_by_key(|l| (!l.is_default, !l.is_qovery_domain, l.url.clone()));
    links
}

/// "Open" buttons for every link the API gives, in the page's toolbar.
#[component]
pub fn OpenLinks(conn: StoredValue<Connection>, id: String) -> impl IntoView {
    let links = RwSignal::new(Vec::<Link>::new());
    let domains = RwSignal::new(Vec::<CustomDomain>::new());
    let error = RwSignal::new(None::<ApiError>);
    let tasks = Tasks::new();
    let c = conn.get_value();
    tasks.spawn(async move {
        match api::qovery::links(&c, &id).await {
            Ok(l) => {
                links.try_set(order(l));
            }
            Err(e) => {
                error.try_set(Some(e));
            }
        }
        if let Ok(d) = api::qovery::custom_domains(&c, &id).await {
            domains.try_set(d);
        }
    });
    view! {
        <section class="berth-panel" aria-label="Links">
            <h2>"Links"</h2>
            {move || error.get().map(|e| view! { <p class="berth-field-error">"Links could not be read: "{api::describe(&e)}</p> })}
            {move || {
                let l = links.get();
                if l.is_empty() {
                    return view! { <p class="berth-muted">"No public link: the container has no publicly accessible port."</p> }.into_any();
                }
                view! {
                    <ul class="berth-links">{l.into_iter().filter_map(|l| {
                        let url = openable(&l.url)?.to_string();
                        let what = if l.is_qovery_domain { "Qovery domain" } else { "custom domain" };
                        Some(view! {
                            <li>
                                <a class="berth-btn berth-btn-small" href=url.clone() target="_blank" rel="noopener noreferrer"
                                    aria-label=format!("Open {url}")>"Open"</a>
                                " "<code>{url.clone()}</code>
                                <span class="berth-muted">{format!(" port {} · {what}", l.internal_port)}</span>
                            </li>
                        })
                    }).collect_view()}</ul>
                }.into_any()
            }}
            {move || {
                let d = domains.get();
                (!d.is_empty()).then(|| view! {
                    <table class="berth-table" aria-label="Custom domains">
                        <thead><tr><th>"Custom domain"</th><th>"CNAME target"</th><th>"Status"</th></tr></thead>
                        <tbody>{d.into_iter().map(|d| view! {
                            <tr>
                                <td><code>{d.domain}</code></td>
                                <td><code>{d.validation_domain.unwrap_or_else(|| "—".into())}</code></td>
                                <td>{d.status.unwrap_or_else(|| "—".into())}</td>
                            </tr>
                        }).collect_view()}</tbody>
                    </table>
                })
            }}
        </section>
    }
}

/// What the tag form reads of the page, as context: a chunk's entry takes no arguments.
#[derive(Clone)]
pub struct TagFormProps {
    pub conn: StoredValue<Connection>,
    pub container: berth_api::qovery::ContainerResponse,
    pub busy: Signal<bool>,
    pub on_deploy: Callback<String>,
}

/// The tag form as its own chunk's entry: it and the registry's tags are fetched when the user
/// asks for another tag, not with the container page.
#[component]
pub fn DeployTagEntry() -> impl IntoView {
    let Some(p) = use_context::<TagFormProps>() else {
        return ().into_any();
    };
    view! { <DeployTag conn=p.conn container=p.container busy=p.busy on_deploy=p.on_deploy/> }
        .into_any()
}

/// A tag to deploy instead of the current one; the operation is tracked like every other.
#[component]
fn DeployTag(
    conn: StoredValue<Connection>,
    /// The container: its tag now, its image, its registry and environment (for the tags to pick).
    container: berth_api::qovery::ContainerResponse,
    #[prop(into)] busy: Signal<bool>,
    on_deploy: Callback<String>,
) -> impl IntoView {
    let tag = RwSignal::new(container.tag.clone());
    // The form replaces the button that asked for it: the focus goes to its field.
    let field = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(input) = field.get() {
            let _ = input.focus();
        }
    });
    // The image's tags in its registry, to pick from (typing any other stays possible). The
    // registry is listed per organization, which the environment names.
    let source = (
        container.environment.map(|e| e.id),
        container.registry_id.or(container.registry.map(|r| r.id)),
        container.image_name,
    );
    // `Err`: why the registry's tags could not be read (typing a tag still works).
    let tags = LocalResource::new(move || {
        let (env, registry, image) = source.clone();
        let c = conn.get_value();
        async move {
            let (Some(env), Some(registry)) = (env, registry) else {
                return Ok(Vec::new());
            };
            let org = api::qovery::environment(&c, &env)
                .await
                .map_err(|e| api::describe(&e))?
                .organization
                .ok_or_else(|| "the environment names no organization".to_string())?;
            api::qovery::images(&c, &org.id, &registry, None, Some(&image))
                .await
                .map(|l| {
                    l.into_iter()
                        .filter(|i| i.image_name == image)
                        .flat_map(|i| i.versions)
                        .collect::<Vec<String>>()
                })
                .map_err(|e| api::describe(&e))
        }
    });
    let offered = move || tags.get().and_then(Result::ok).unwrap_or_default();
    let unread = move || tags.get().and_then(Result::err);
    let error = RwSignal::new(None::<&'static str>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = tag.get_untracked().trim().to_string();
        error.set(berth_api::rules::image_tag(&t));
        if error.get_untracked().is_none() {
            on_deploy.run(t);
        }
    };
    view! {
        <form class="berth-inline-form" on:submit=submit aria-label="Deploy another tag">
            <label for="berth-deploy-tag">"Image tag"</label>
            <input id="berth-deploy-tag" node_ref=field type="text" autocomplete="off" list="berth-deploy-tags"
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby="berth-deploy-tag-error"
                prop:value=move || tag.get() on:input=move |ev| tag.set(event_target_value(&ev))/>
            <datalist id="berth-deploy-tags">{move || offered().into_iter().map(|t| view! { <option value=t/> }).collect_view()}</datalist>
            <button type="submit" class="berth-btn" prop:disabled=move || busy.get()>"Deploy this tag"</button>
            <p class="berth-field-error" id="berth-deploy-tag-error">{move || error.get().map(|e| format!("Image tag {e}"))}</p>
            {move || unread().map(|why| view! {
                <p class="berth-muted berth-small" data-tags-unread>"The registry's tags could not be read ("{why}"): type the tag."</p>
            })}
        </form>
    }
}
