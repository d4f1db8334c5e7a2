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
pub fn use_connection(kind: BackendKind) -> Memo<Option<Connection>> {
    let conns = expect_context::<Connections>();
    let id = param("conn");
    Memo::new(move |_| conns.find(&kind, &id.get()))
}

/// Shown when the route names a connection that does not exist.
#[component]
pub fn UnknownConnection(kind: &'static str) -> impl IntoView {
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
