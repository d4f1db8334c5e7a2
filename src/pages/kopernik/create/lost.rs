//! A create whose answer was lost (a proxy's 502 / 503 / 504, no answer, the client's timeout) may
//! have gone through: it is neither done nor failed but unknown, until the app is looked up by its
//! name. Found, it is followed like any create; not found, the form may be sent again. While it is
//! unknown the form cannot be sent: a resubmit would make a second app.

use berth_api::config::Connection;
use berth_api::kopernik::{Action, ActionType, ContainerApp, Paged};

use leptos::prelude::*;

use crate::api::{self, ApiError};

pub use crate::ops::answer_lost;

/// How far a server's clock may lag the browser's: an app created before the submit by more
/// than this is someone else's of the same name.
const SKEW_SECS: f64 = 300.0;

/// The app the lost create made: named `name`, created since the submit (`since_secs`, epoch
/// seconds, give or take the clocks' skew); the newest if several. An app without `createdAt`
/// counts by its name alone.
pub fn created_app<'a>(
    apps: &'a [ContainerApp],
    name: &str,
    since_secs: f64,
) -> Option<&'a ContainerApp> {
    let created = |a: &ContainerApp| a.created_at.as_ref().and_then(|n| n.as_f64());
    apps.iter()
        .filter(|a| a.name == name)
        .filter(|a| created(a).is_none_or(|t| t >= since_secs - SKEW_SECS))
        .max_by(|a, b| {
            created(a)
                .unwrap_or(0.0)
                .total_cmp(&created(b).unwrap_or(0.0))
        })
}

/// The create Action of the app `uid`, among a provider's actions.
pub fn create_action<'a>(actions: &'a [Action], uid: &str) -> Option<&'a Action> {
    actions.iter().find(|a| {
        a.resource_uid.as_deref() == Some(uid)
            && a.kind
                .as_ref()
                .is_none_or(|k| *k == ActionType::CreateResource)
    })
}

/// What the look-up found.
#[derive(Clone, Debug, PartialEq)]
pub enum Lookup {
    /// The app exists: its uid, and its create Action when the server still lists it.
    Created { uid: String, action: Option<Action> },
    /// No such app: the create did not happen, the form may be sent again.
    NotCreated,
    /// The look-up failed too: still unknown.
    Failed(ApiError),
}

/// Whether the form may be sent, given the last lost create's look-up (`None`: no lost create,
/// or it is being looked up while `checking`).
pub fn may_submit(checking: bool, last: Option<&Lookup>) -> bool {
    !checking && !matches!(last, Some(Lookup::Created { .. } | Lookup::Failed(_)))
}

/// Looks for the app named `name` (by a jq filter on the server), then for its create Action.
pub async fn look_up(c: &Connection, provider: &str, name: &str, since_secs: f64) -> Lookup {
    let quoted = serde_json::to_string(name).unwrap_or_default();
    let filter = format!(".name == {quoted}");
    let page = match api::kopernik::container_apps::<ContainerApp>(
        c,
        provider,
        None,
        Some(100),
        Some(&filter),
    )
    .await
    {
        Ok(p) => p,
        Err(e) => return Lookup::Failed(e),
    };
    let Some(app) = created_app(&page.resources, name, since_secs) else {
        return Lookup::NotCreated;
    };
    let uid = app.uid.clone();
    // Without its Action the app is still found: it is linked to, not followed.
    let action = api::http::get::<Paged<Action>>(c, &["action", provider], &[])
        .await
        .ok()
        .and_then(|p| create_action(&p.resources, &uid).cloned());
    Lookup::Created { uid, action }
}

/// A create whose answer was lost: the app's name, when it was sent (epoch seconds), the error
/// that came instead of the answer, and the look-up (`None` while it runs).
#[derive(Clone, Debug, PartialEq)]
pub struct LostCreate {
    pub name: String,
    pub since: f64,
    pub error: ApiError,
    pub lookup: Option<Lookup>,
}

/// Looks the lost create up and shows what it found; a found Action is handed to the pending
/// store, so the create is followed like any other. Runs in the submit's task, which may outlive
/// the page: signals are written through `try_`.
#[allow(clippy::too_many_arguments)]
pub async fn resolve(
    c: &Connection,
    provider: &str,
    name: String,
    since: f64,
    error: ApiError,
    store: Option<crate::state::pending::PendingStore>,
    lost: RwSignal<Option<LostCreate>>,
    outcome: RwSignal<Option<Action>>,
) {
    lost.try_set(Some(LostCreate {
        name: name.clone(),
        since,
        error: error.clone(),
        lookup: None,
    }));
    let found = look_up(c, provider, &name, since).await;
    if let Lookup::Created {
        action: Some(a), ..
    } = &found
    {
        crate::ops::kopernik::track(
            store,
            &c.id,
            provider,
            crate::state::pending::PendingKind::Create,
            &name,
            a,
        );
        outcome.try_set(Some(a.clone()));
    }
    lost.try_set(Some(LostCreate {
        name,
        since,
        error,
        lookup: Some(found),
    }));
}

/// What is known of the last lost create.
#[component]
pub fn LostPanel(
    lost: RwSignal<Option<LostCreate>>,
    conn: StoredValue<Connection>,
    provider: StoredValue<String>,
    recheck: leptos::prelude::Action<(), ()>,
) -> impl IntoView {
    move || {
        let l = lost.get()?;
        let why = match l.error.status {
            Some(s) if !l.error.message.starts_with("HTTP ") => {
                format!("HTTP {s}: {}", l.error.message)
            }
            _ => l.error.message.clone(),
        };
        let (state, text) = match &l.lookup {
            None => ("checking", format!("Unknown — checking whether the app was created. The answer to the create of {} was lost ({why}).", l.name)),
            Some(Lookup::Created { action: Some(_), .. }) => ("created", format!("The answer was lost ({why}), but {} was created: it is followed below. Nothing was sent twice.", l.name)),
            Some(Lookup::Created { action: None, .. }) => ("created", format!("The answer was lost ({why}), but {} was created. Nothing was sent twice.", l.name)),
            Some(Lookup::NotCreated) => ("not-created", format!("The answer was lost ({why}), and no app named {} exists: it was not created. You can create it again.", l.name)),
            Some(Lookup::Failed(e)) => ("unknown", format!("Unknown: the answer to the create of {} was lost ({why}) and checking failed too ({}). Check again before creating it again.", l.name, e.message)),
        };
        let link = match &l.lookup {
            Some(Lookup::Created { uid, .. }) => {
                let href = crate::routes::AppPath::KopernikDetail {
                    conn: conn.with_value(|c| c.id.clone()),
                    provider: provider.get_value(),
                    uid: uid.clone(),
                }
                .to_path();
                Some(view! { <p><crate::components::link::Link href=href>"Open the container app"</crate::components::link::Link></p> }.into_any())
            }
            Some(Lookup::Failed(_)) => Some(view! {
                <button type="button" class="berth-btn" disabled=move || recheck.pending().get() on:click=move |_| { recheck.dispatch_local(()); }>"Check again"</button>
            }.into_any()),
            _ => None,
        };
        let busy = l.lookup.is_none();
        Some(view! {
            <section class="berth-panel berth-notice" role="status" aria-live="polite" aria-busy=busy.to_string() data-lost=state>
                <p>{text}</p>
                {link}
            </section>
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app(uid: &str, name: &str, created: Option<u64>) -> ContainerApp {
        let mut v =
            serde_json::json!({"uid": uid, "name": name, "machine": {"uid": "m", "name": name}});
        if let Some(t) = created {
            v["createdAt"] = t.into();
        }
        serde_json::from_value(v).expect("app")
    }

    fn action(uid: &str, kind: &str, resource: &str) -> Action {
        serde_json::from_value(serde_json::json!({"uid": uid, "type": kind, "state": "running", "resourceUid": resource}))
            .expect("action")
    }

    #[test]
    fn only_a_lost_answer_is_unknown() {
        let status = |s: Option<u16>| ApiError {
            status: s,
            ..ApiError::network("x")
        };
        for lost in [None, Some(502), Some(503), Some(504)] {
            assert!(answer_lost(&status(lost)), "{lost:?}");
        }
        for known in [
            Some(400),
            Some(401),
            Some(403),
            Some(404),
            Some(409),
            Some(500),
        ] {
            assert!(!answer_lost(&status(known)), "{known:?}");
        }
    }

    #[test]
    fn the_app_is_found_by_name_and_age() {
        let submitted = 10_000.0;
        let apps = [
            app("old", "web", Some(1_000)),
            app("other", "api", Some(10_001)),
            app("new", "web", Some(10_002)),
        ];
        assert_eq!(
            created_app(&apps, "web", submitted).map(|a| a.uid.as_str()),
            Some("new")
        );
        // A same-named app from long before the submit is not this create's.
        assert!(created_app(&apps[..1], "web", submitted).is_none());
        assert!(created_app(&apps, "db", submitted).is_none());
        // Within the clock skew, or without a creation time, it counts.
        let skewed = [app("s", "web", Some(9_900)), app("n", "db", None)];
        assert!(created_app(&skewed, "web", submitted).is_some());
        assert!(created_app(&skewed, "db", submitted).is_some());
    }

    #[test]
    fn the_create_action_of_the_app() {
        let actions = [
            action("a1", "deleteResource", "7"),
            action("a2", "createResource", "8"),
            action("a3", "createResource", "7"),
        ];
        assert_eq!(
            create_action(&actions, "7").map(|a| a.uid.as_str()),
            Some("a3")
        );
        assert!(create_action(&actions, "9").is_none());
    }

    #[test]
    fn no_resubmit_while_unknown_or_created() {
        assert!(may_submit(false, None));
        assert!(!may_submit(true, None), "while it is looked up");
        assert!(!may_submit(
            false,
            Some(&Lookup::Failed(ApiError::network("x")))
        ));
        assert!(!may_submit(
            false,
            Some(&Lookup::Created {
                uid: "7".into(),
                action: None
            })
        ));
        assert!(may_submit(false, Some(&Lookup::NotCreated)));
    }
}
