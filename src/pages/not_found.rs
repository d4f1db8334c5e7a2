use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::components::link::Link;

#[component]
pub fn NotFound() -> impl IntoView {
    let location = use_location();
    view! {
        <section class="berth-page">
            <h1>"Page not found"</h1>
            <div class="berth-panel berth-empty">
                <p>"Nothing lives at " <code>{move || location.pathname.get()}</code> "."</p>
                <Link href="/">"Back to the overview"</Link>
            </div>
        </section>
    }
}
