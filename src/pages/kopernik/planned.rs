use leptos::prelude::*;

use crate::components::planned::Planned;

#[component]
pub fn KopernikNew() -> impl IntoView {
    view! { <Planned title="New container app" what="The Kopernik container app create form."/> }
}
