//! A time as people read it: "3 min ago", kept current by the shared clock, with the exact time
//! on hover (and in `datetime` for assistive technology). Text that is not an RFC 3339 time is
//! shown as sent.

use berth_api::time::{epoch_ms, exact, relative};
use leptos::prelude::*;

use crate::state::clock::{now_ms, Clock};

#[component]
pub fn When(#[prop(into)] iso: String) -> impl IntoView {
    let clock = use_context::<Clock>();
    let at = epoch_ms(&iso);
    let title = exact(&iso);
    let text = move || match at {
        Some(t) => relative(t, clock.map_or_else(now_ms, |c| c.0.get())),
        None => title.clone(),
    };
    view! { <time datetime=iso.clone() title=exact(&iso)>{text}</time> }
}
