//! The root: config loading, the shell (top bar, navigation) and the routes of design.md.

use leptos::prelude::*;
use leptos_router::components::{Router, Routes};

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
    Effect::new(move |_| {
        crate::host::announce(&base, &location.pathname.get(), &location.search.get())
    });
}

#[component]
fn AppRoutes() -> impl IntoView {
    use crate::routes::Pattern;
    use leptos::tachys::view::iterators::StaticVec;
    use leptos_router::components::{RouteChildren, RoutesProps};
    use leptos_router::NestedRoute;

    provide_context(crate::chunks::FirstRoute::default());
    // One route type for all (a `Pattern` and a `Screen`), in a list rather than a tuple: the
    // router's matching and view choice are compiled once, not once per route (docs/delivery.md).
    // Tried in order: the first that matches wins.
    let routes: [(&'static str, Screen); 11] = [
        ("/", Screen::Overview),
        ("/connections", Screen::Connections),
        ("/actions", Screen::Actions),
        ("/q/:conn/containers/:id/edit", Screen::QoveryEdit),
        ("/q/:conn/containers/:id", Screen::QoveryDetail),
        ("/q/:conn/:org/:project/:env/new", Screen::QoveryNew),
        ("/q/:conn/:org/:project/:env", Screen::QoveryContainers),
        ("/q/:conn", Screen::QoveryPicker),
        ("/k/:conn/:provider/new", Screen::KopernikNew),
        ("/k/:conn/:provider/apps/:uid", Screen::KopernikDetail),
        ("/k/:conn/:provider", Screen::KopernikApps),
    ];
    let routes: Vec<_> = routes
        .into_iter()
        .map(|(path, screen)| NestedRoute::new(Pattern(path), screen))
        .collect();
    Routes(
        RoutesProps::builder()
            .fallback(|| view! { <pages::not_found::NotFound/> })
            .children(RouteChildren::to_children(move || StaticVec::from(routes)))
            .build(),
    )
}
