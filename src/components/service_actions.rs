//! Deploy / redeploy / restart / stop / delete buttons for a Qovery container, each enabled only
//! in the states where the API allows it. In a list row (`compact`) the likely action is a button
//! and the others are in a menu (a `<details>`: Enter or Space opens it, Escape closes it and
//! gives the focus back), so a row never pushes the table sideways.

use berth_api::qovery::{ServiceAction, State};
use leptos::prelude::*;

use crate::ops::words::qovery_state;

/// The action a user most likely wants in `state`: deploy what does not run, redeploy what
/// runs, else the first one allowed (never delete).
pub fn likely(state: &State) -> Option<ServiceAction> {
    let allowed = |a: ServiceAction| a.allowed_in(state);
    let running = matches!(state, State::Deployed | State::Restarted);
    if running && allowed(ServiceAction::Redeploy) {
        return Some(ServiceAction::Redeploy);
    }
    [
        ServiceAction::Deploy,
        ServiceAction::Redeploy,
        ServiceAction::Restart,
        ServiceAction::Stop,
    ]
    .into_iter()
    .find(|a| allowed(*a))
}

fn label(action: ServiceAction) -> &'static str {
    match action {
        ServiceAction::Deploy => "Deploy",
        ServiceAction::Redeploy => "Redeploy",
        ServiceAction::Restart => "Restart",
        ServiceAction::Stop => "Stop",
        ServiceAction::Delete => "Delete",
    }
}

#[component]
pub fn ServiceActions(
    #[prop(into)] state: Signal<Option<State>>,
    /// The action in flight, if any: every button waits for it.
    #[prop(into)]
    busy: Signal<Option<ServiceAction>>,
    on_action: Callback<ServiceAction>,
    /// One button and a menu (list rows), instead of every button.
    #[prop(optional)]
    compact: bool,
) -> impl IntoView {
    let primary = Memo::new(move |_| {
        if compact {
            state.with(|s| s.as_ref().and_then(likely))
        } else {
            None
        }
    });
    let button = move |action: ServiceAction| {
        let allowed = move || state.with(|s| s.as_ref().is_some_and(|s| action.allowed_in(s)));
        let title = move || {
            if allowed() {
                String::new()
            } else {
                let now = state.with(|s| {
                    s.as_ref()
                        .map(|s| crate::text::lower(&qovery_state(s).0))
                        .unwrap_or_else(|| "unknown".into())
                });
                format!("Not available while {now}")
            }
        };
        view! {
            <button
                class="berth-btn berth-btn-small"
                class:berth-danger=action == ServiceAction::Delete
                data-action=action.label()
                disabled=move || !allowed() || busy.get().is_some()
                title=title
                on:click=move |_| on_action.run(action)
            >
                {move || if busy.get() == Some(action) { "…" } else { label(action) }}
            </button>
        }
    };
    if !compact {
        return ServiceAction::ALL
            .into_iter()
            .map(button)
            .collect_view()
            .into_any();
    }
    let menu = NodeRef::<leptos::html::Details>::new();
    // Escape closes the menu and puts the focus back on its toggle.
    let on_key = move |ev: web_sys::KeyboardEvent| {
        if ev.key() != "Escape" {
            return;
        }
        if let Some(d) = menu.get_untracked().filter(|d| d.open()) {
            d.set_open(false);
            if let Ok(Some(summary)) = d.query_selector("summary") {
                if let Ok(s) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(summary) {
                    let _ = s.focus();
                }
            }
        }
    };
    // The list is placed fixed under its toggle: the table's scroll box would clip it.
    let on_toggle = move |_| {
        let Some(d) = menu.get_untracked().filter(|d| d.open()) else {
            return;
        };
        let (Ok(Some(summary)), Ok(Some(list))) = (
            d.query_selector("summary"),
            d.query_selector(".berth-menu-list"),
        ) else {
            return;
        };
        let r = summary.get_bounding_client_rect();
        let width = web_sys::window()
            .and_then(|w| w.inner_width().ok())
            .and_then(|w| w.as_f64())
            .unwrap_or(r.right());
        let _ = list.set_attribute(
            "style",
            &format!(
                "top:{}px;right:{}px",
                r.bottom() + 4.0,
                (width - r.right()).max(0.0)
            ),
        );
    };
    // Leaving the menu (a click elsewhere, Tab past its last item) closes it, as menus do.
    let on_focus_out = move |ev: web_sys::FocusEvent| {
        let Some(d) = menu.get_untracked() else {
            return;
        };
        let inside = ev
            .related_target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Node>(t).ok())
            .is_some_and(|n| d.contains(Some(&n)));
        if !inside {
            d.set_open(false);
        }
    };
    // After a choice the menu closes, as menus do.
    let close = move |_| {
        if let Some(d) = menu.get_untracked() {
            d.set_open(false);
        }
    };
    view! {
        {move || primary.get().map(button)}
        <details class="berth-menu" node_ref=menu on:keydown=on_key on:toggle=on_toggle on:focusout=on_focus_out>
            <summary class="berth-btn berth-btn-small" aria-label="More actions" title="More actions">"⋯"</summary>
            <div class="berth-menu-list" on:click=close>
                {ServiceAction::ALL.into_iter().map(|a| view! {
                    <span class="berth-menu-item" class:berth-hidden=move || primary.get() == Some(a)>{button(a)}</span>
                }).collect_view()}
            </div>
        </details>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_likely_action_fits_the_state() {
        assert_eq!(likely(&State::Ready), Some(ServiceAction::Deploy));
        assert_eq!(likely(&State::Stopped), Some(ServiceAction::Deploy));
        assert_eq!(likely(&State::Deployed), Some(ServiceAction::Redeploy));
        assert_eq!(likely(&State::Restarted), Some(ServiceAction::Redeploy));
        for s in State::ALL {
            if let Some(a) = likely(s) {
                assert!(a.allowed_in(s) && a != ServiceAction::Delete, "{s}: {a:?}");
            }
        }
    }
}
