use leptos::prelude::*;

use crate::components::planned::Planned;

#[component]
pub fn QoveryNew() -> impl IntoView {
    view! { <Planned title="New container" what="The Qovery container create form."/> }
}

#[component]
pub fn QoveryEdit() -> impl IntoView {
    view! { <Planned title="Edit container" what="The container edit form."/> }
}
