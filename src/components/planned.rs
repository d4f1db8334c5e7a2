use leptos::prelude::*;

/// A screen whose route exists (links and bookmarks keep working) but whose content is not built
/// yet. It says so plainly instead of pretending.
#[component]
pub fn Planned(#[prop(into)] title: String, #[prop(into)] what: String) -> impl IntoView {
    view! {
        <section class="berth-page">
            <h1>{title}</h1>
            <div class="berth-panel berth-empty">
                <p>{what}</p>
                <p class="berth-muted">"This screen is not available in this version of Berth yet."</p>
            </div>
        </section>
    }
}
