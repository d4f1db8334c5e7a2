//! "Review changes" on the edit page: the container as it is on the server now, field by field
//! against the PUT that Save sends (ports and storage matched by id), and a warning when the server
//! copy changed since the form was opened.

use berth_api::config::Connection;
use berth_api::diff::{diff, Change, Kind};
use berth_api::error::field_label;
use berth_api::rules::Limits;
use leptos::prelude::*;

use super::draft::QDraft;
use crate::api;

/// The request body a draft sends, as JSON (what both sides of a diff are made of).
fn body(d: &QDraft, limits: &Limits) -> serde_json::Value {
    serde_json::to_value(d.request(limits).0).unwrap_or_default()
}

#[component]
fn Changes(changes: Vec<Change>, before: &'static str, after: &'static str) -> impl IntoView {
    view! {
        <table class="berth-table berth-diff">
            <thead><tr><th>"Field"</th><th>{before}</th><th>{after}</th></tr></thead>
            <tbody>
                {changes.into_iter().map(|c| {
                    let kind = match c.kind {
                        Kind::Added => "added",
                        Kind::Removed => "removed",
                        Kind::Changed => "changed",
                    };
                    view! {
                        <tr data-kind=kind data-path=c.path.clone()>
                            <td>{field_label(&c.path)}<span class="berth-muted berth-small">{format!(" ({kind})")}</span></td>
                            <td><code>{c.before.unwrap_or_else(|| "—".into())}</code></td>
                            <td><code>{c.after.unwrap_or_else(|| "—".into())}</code></td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
pub fn Review(
    conn: Connection,
    id: String,
    /// The container as it was when the form opened (or as the user chose to overwrite it).
    opened: RwSignal<QDraft>,
    draft: RwSignal<QDraft>,
    limits: Limits,
) -> impl IntoView {
    // The server's copy now, read again each time the review opens.
    let fetch = Action::new_local(move |_: &()| {
        let (c, id) = (conn.clone(), id.clone());
        async move {
            api::qovery::container(&c, &id)
                .await
                .map(|(container, _)| QDraft::from_container(&container))
        }
    });
    let open = RwSignal::new(false);
    let server = Memo::new(move |_| fetch.value().get().and_then(Result::ok));
    let pending = Memo::new(move |_| {
        server.with(|s| {
            s.as_ref()
                .map(|s| diff(&body(s, &limits), &draft.with(|d| body(d, &limits))))
        })
    });
    let moved = Memo::new(move |_| {
        server.with(|s| {
            s.as_ref()
                .map(|s| diff(&opened.with(|o| body(o, &limits)), &body(s, &limits)))
                .unwrap_or_default()
        })
    });
    view! {
        <section class="berth-panel berth-review" aria-label="Review changes">
            <button type="button" class="berth-btn" aria-expanded=move || open.get().to_string() on:click=move |_| {
                let now = !open.get_untracked();
                open.set(now);
                if now {
                    fetch.dispatch_local(());
                }
            }>
                {move || if open.get() { "Hide the review" } else { "Review changes" }}
            </button>
            {move || open.get().then(|| view! {
                {move || fetch.pending().get().then(|| view! { <p class="berth-muted" aria-busy="true">"Reading the server's copy…"</p> })}
                {move || fetch.value().get().and_then(Result::err).map(|e| view! {
                    <p class="berth-field-error" role="alert">{format!("Could not read the server's copy to compare: {}", e.message)}</p>
                })}
                {move || {
                    let moved = moved.get();
                    (!moved.is_empty()).then(|| view! {
                        <div class="berth-panel berth-warning" role="alert" data-server-changed="">
                            <p><strong>"The container changed on the server since you opened this form."</strong>" Saving replaces these changes with your values:"</p>
                            <Changes changes=moved before="When you opened it" after="On the server now"/>
                        </div>
                    })
                }}
                {move || pending.get().map(|changes| if changes.is_empty() {
                    view! { <p data-no-changes="">"No changes: saving sends the container as it is."</p> }.into_any()
                } else {
                    view! {
                        <p>{format!("Save sends {} change(s):", changes.len())}</p>
                        <Changes changes=changes before="On the server" after="After saving"/>
                    }.into_any()
                })}
            })}
        </section>
    }
}

/// What the user chooses when Save found the container changed since the form opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    /// Send mine over theirs.
    Overwrite,
    /// Take the server's copy, dropping mine.
    Reload,
    /// Close this and keep editing (Save checks again).
    KeepEditing,
}

/// Shown instead of a PUT when the server copy changed since the form opened: their change (the
/// copy opened on against the server's now) and the user's (the same copy against the form),
/// and a choice. Nothing is sent until one is made.
#[component]
pub fn Conflict(
    opened: RwSignal<QDraft>,
    theirs: QDraft,
    draft: RwSignal<QDraft>,
    limits: Limits,
    on_choice: Callback<Choice>,
) -> impl IntoView {
    let base = opened.with_untracked(|o| body(o, &limits));
    let their_changes = diff(&base, &body(&theirs, &limits));
    let my_changes = Memo::new(move |_| draft.with(|d| diff(&base, &body(d, &limits))));
    let choose = move |c: Choice| move |_| on_choice.run(c);
    view! {
        <section class="berth-panel berth-warning berth-review" role="alert" aria-label="Changed on the server" data-conflict="">
            <p><strong>"Not saved: the container changed on the server since you opened this form."</strong>" Nothing was sent. Choose which to keep."</p>
            <h3>"Their change"</h3>
            <Changes changes=their_changes before="When you opened it" after="On the server now"/>
            <h3>"Your change"</h3>
            {move || view! { <Changes changes=my_changes.get() before="When you opened it" after="In this form"/> }}
            <div class="berth-actions">
                <button type="button" class="berth-btn berth-btn-primary" on:click=choose(Choice::Overwrite)>"Overwrite with mine"</button>
                <button type="button" class="berth-btn" on:click=choose(Choice::Reload)>"Reload theirs (discard mine)"</button>
                <button type="button" class="berth-btn berth-btn-quiet" on:click=choose(Choice::KeepEditing)>"Keep editing"</button>
            </div>
        </section>
    }
}
