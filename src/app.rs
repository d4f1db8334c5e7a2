//! The root: config loading, the shell (top bar, navigation) and the routes of design.md.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::chunks::Screen;

use crate::components::nav::Nav;
use crate::pages;
use crate::state::base::Base;
use crate::state::config::ConfigSource;
use crate::state::connections::Connections;

#[component]
pub fn App(source: ConfigSource, base: Base) -> impl IntoView {
    provide_context(base.clone());
    let connections = Connections::empty();
    provide_context(connections);
    provide_context(crate::state::clock::Clock::start());
    provide_context(crate::state::visibility::Visibility::start());
    let pending = crate::state::pending::PendingStore::start();
    provide_context(pending);

    let given = matches!(source, ConfigSource::Given(_));
    let source = StoredValue::new(source);
    let config = LocalResource::new(move || source.get_value().load());
    Effect::new(move |_| match config.get() {
        Some(Ok(cfg)) => {
            connections.load(cfg, given);
            crate::host::emit("berth:ready", &[]);
        }
        Some(Err(e)) => crate::host::emit("berth:error", &[&e]),
        None => {}
    });

    let body = move || match config.get() {
        Some(Err(e)) => view! {
            <section class="berth-panel berth-error" role="alert">
                <h1>"The console could not start"</h1>
                <p>{e}</p>
                <button class="berth-btn" on:click=move |_| config.refetch()>"Try again"</button>
            </section>
        }
        .into_any(),
        _ if connections.ready.get() => view! { <AppRoutes/> }.into_any(),
        _ => view! { <p class="berth-loading" aria-busy="true">"Loading configuration…"</p> }
            .into_any(),
    };

    view! {
        <div class="berth">
            <Router base=base.0.clone()>
                <div class="berth-shell">
                    <header class="berth-top">
                        <a class="berth-brand" href=base.href("/")>
                            <span class="berth-logo" aria-hidden="true">"⚓"</span>
                            "Berth"
                        </a>
                        <Nav/>
                    </header>
                    <main class="berth-main" id="berth-main">{body}</main>
                    <crate::components::toasts::Toasts/>
                    <AnnounceNavigation/>
                </div>
            </Router>
        </div>
    }
}

/// `berth:navigate` to the host page: the route inside the console, and the page's whole path.
#[component]
fn AnnounceNavigation() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let base = use_context::<Base>().map(|b| b.0).unwrap_or_default();
    Effect::new(move |_| announce(&base, &location.pathname.get(), &location.search.get()));
}

/// `berth:navigate` for the page path `url` (under `base`) with its query `search`.
pub fn announce(base: &str, url: &str, search: &str) {
    let path = url.strip_prefix(base).unwrap_or(url);
    let path = if path.is_empty() { "/" } else { path };
    crate::host::emit("berth:navigate", &[path, url, search]);
}

#[component]
fn AppRoutes() -> impl IntoView {
    provide_context(crate::chunks::FirstRoute::default());
    view! {
        <Routes fallback=|| view! { <pages::not_found::NotFound/> }>
            <Route path=path!("/") view=Screen::Overview/>
            <Route path=path!("/connections") view=Screen::Connections/>
            <Route path=path!("/actions") view=Screen::Actions/>
            <Route path=path!("/q/:conn/containers/:id/edit") view=Screen::QoveryEdit/>
            <Route path=path!("/q/:conn/containers/:id") view=Screen::QoveryDetail/>
            <Route path=path!("/q/:conn/:org/:project/:env/new") view=Screen::QoveryNew/>
            <Route path=path!("/q/:conn/:org/:project/:env") view=Screen::QoveryContainers/>
            <Route path=path!("/q/:conn") view=Screen::QoveryPicker/>
            <Route path=path!("/k/:conn/:provider/new") view=Screen::KopernikNew/>
            <Route path=path!("/k/:conn/:provider/apps/:uid") view=Screen::KopernikDetail/>
            <Route path=path!("/k/:conn/:provider") view=Screen::KopernikApps/>
        </Routes>
    }
}
