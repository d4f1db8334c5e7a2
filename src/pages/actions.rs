use leptos::prelude::*;

/// Pending and recent actions. Nothing in this version starts a long-running operation yet, so
/// the list is honestly empty.
#[component]
pub fn ActionsPage() -> impl IntoView {
    view! {
        <section class="berth-page">
            <h1>"Actions"</h1>
            <div class="berth-panel berth-empty">
                <p>"No pending or recent actions."</p>
                <p class="berth-muted">
                    "Deployments, creations and deletions you start appear here until they end."
                </p>
            </div>
        </section>
    }
}
