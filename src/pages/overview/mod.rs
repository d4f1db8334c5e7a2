//! The overview: every connection with a live check, and one table of the apps of all of them.

mod all_apps;
mod cards;

use leptos::prelude::*;

#[component]
pub fn Overview() -> impl IntoView {
    view! {
        <section class="berth-page">
            <h1>"Overview"</h1>
            <cards::ConnectionCards/>
            <all_apps::AllApps/>
        </section>
    }
}
