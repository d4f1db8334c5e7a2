//! One folder or file per screen.

pub mod actions;
pub mod connections;
pub mod kopernik;
pub mod not_found;
pub mod overview;
pub mod qovery;

use berth_api::config::{BackendKind, Connection};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::state::connections::Connections;

/// A route parameter as a signal (empty when absent).
pub fn param(name: &'static str) -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get(name).unwrap_or_default())
}

/// The connection named by the route's `:conn`, of `kind`.
fn use_connection(kind: BackendKind) -> Memo<Option<Connection>> {
    let conns = expect_context::<Connections>();
    let id = param("conn");
    Memo::new(move |_| conns.find(&kind, &id.get()))
}

/// The screen `screen` builds for the connection the route's `:conn` names, of `kind`, or a clear
/// "no such connection" message: the one place that guard lives. (Nested routes for `/q/:conn` and
/// `/k/:conn` would hold it too, but cost 8.5 KB brotli on the first screen: docs/delivery.md.)
/// `screen` runs in a reactive closure: the route params it reads rebuild the screen when they
/// change.
pub fn connected<V: IntoView + 'static>(
    kind: BackendKind,
    screen: impl Fn(Connection) -> V + Send + Sync + 'static,
) -> impl IntoView {
    let label = match kind {
        BackendKind::Kopernik => "Kopernik",
        _ => "Qovery",
    };
    let conn = use_connection(kind);
    move || match conn.get() {
        None => view! { <UnknownConnection kind=label/> }.into_any(),
        Some(c) => screen(c).into_any(),
    }
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
