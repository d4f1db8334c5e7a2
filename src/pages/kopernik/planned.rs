use leptos::prelude::*;

use crate::components::planned::Planned;

#[component]
pub fn KopernikNew() -> impl IntoView {
    view! { <Planned title="New container app" what="The Kopernik container app create form."/> }
}

#[component]
pub fn KopernikDetail() -> impl IntoView {
    view! { <Planned title="Container app" what="The container app's detail page."/> }
}
