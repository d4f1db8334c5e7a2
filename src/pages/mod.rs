//! One folder or file per screen.

pub mod actions;
pub mod connections;
pub mod kopernik;
pub mod not_found;
pub mod overview;
pub mod qovery;

use berth_api::config::{BackendKind, Connection};
use leptos::prelude::*;
use leptos_router::components::Outlet;
use leptos_router::hooks::use_params_map;

use crate::state::connections::Connections;

/// A route parameter as a signal (empty when absent).
pub fn param(name: &'static str) -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get(name).unwrap_or_default())
}

/// The parent of every `/q/:conn/…` or `/k/:conn/…` route: resolves the connection once and gives
/// it to the screen below as context, or says it does not exist. When the connection changes (say,
/// a new token), the screen below starts again with it.
#[component]
pub fn ConnectionScope(kind: BackendKind) -> impl IntoView {
    let conns = expect_context::<Connections>();
    let id = param("conn");
    let label = match kind {
        BackendKind::Kopernik => "Kopernik",
        _ => "Qovery",
    };
    let conn = Memo::new(move |_| conns.find(&kind, &id.get()));
    move || match conn.get() {
        Some(c) => {
            provide_context(c);
            view! { <Outlet/> }.into_any()
        }
        None => view! { <UnknownConnection kind=label/> }.into_any(),
    }
}

/// A screen under a [`ConnectionScope`], given its connection. Outside a scope (which the routes
/// never do) it renders nothing rather than panic.
pub fn with_connection<V: IntoView>(screen: impl FnOnce(Connection) -> V) -> impl IntoView {
    use_context::<Connection>().map(screen)
}

/// Shown when the route names a connection that does not exist.
#[component]
fn UnknownConnection(kind: &'static str) -> impl IntoView {
    let id = param("conn");
    view! {
        <section class="berth-page">
            <div class="berth-panel berth-error" role="alert">
                <p>"There is no " {kind} " connection with the id " <code>{move || id.get()}</code> "."</p>
                <crate::components::link::Link href=crate::routes::AppPath::Connections.to_path()>"Open connections"</crate::components::link::Link>
            </div>
        </section>
    }
}
