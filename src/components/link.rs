use leptos::prelude::*;

use crate::state::base::Base;

/// The console's base path, from context (`""` at the site root).
pub fn base() -> Base {
    use_context::<Base>().unwrap_or(Base(String::new()))
}

/// A link to an app path (starting with `/`), under the console's base path. The router
/// intercepts the click, so navigation stays in the page.
#[component]
pub fn Link(
    #[prop(into)] href: String,
    #[prop(optional, into)] class: Option<String>,
    children: Children,
) -> impl IntoView {
    let base = base();
    view! {
        <a href=base.href(&href) class=class>
            {children()}
        </a>
    }
}
