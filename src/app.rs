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
pub fn App(source: ConfigSource) -> impl IntoView {
    let base = Base::detect();
    provide_context(base.clone());
    let connections = Connections::empty();
    provide_context(connections);
    provide_context(crate::state::clock::Clock::start());
    provide_context(crate::state::visibility::Visibility::start());
    let pending = crate::state::pending::PendingStore::start();
    provide_context(pending);

    let source = StoredValue::new(source);
    let load_base = base.clone();
    let config = LocalResource::new(move || {
        let source = source.get_value();
        let base = load_base.clone();
        async move { source.load(&base).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(cfg)) = config.get() {
            connections.load(cfg);
        }
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
                </div>
            </Router>
        </div>
    }
}

#[component]
fn AppRoutes() -> impl IntoView {
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
