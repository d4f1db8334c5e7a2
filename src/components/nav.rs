use berth_api::config::BackendKind;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use super::link::base;
use crate::routes::AppPath;
use crate::state::connections::Connections;

/// The sections of the console. Qovery and Kopernik open their first connection; with none, they
/// lead to the connections page.
#[component]
pub fn Nav() -> impl IntoView {
    let conns = expect_context::<Connections>();
    let first = move |kind: BackendKind| {
        move || {
            conns
                .of_kind(&kind)
                .first()
                .map(|c| match kind {
                    BackendKind::Kopernik => AppPath::KopernikApps {
                        conn: c.id.clone(),
                        provider: "aws".into(),
                    },
                    _ => AppPath::QoveryPicker {
                        conn: c.id.clone(),
                        org: None,
                        project: None,
                    },
                })
                .unwrap_or(AppPath::Connections)
                .to_path()
        }
    };
    view! {
        <nav class="berth-nav" aria-label="Sections">
            <NavLink href=Signal::derive(|| AppPath::Overview.to_path()) section="/" label="Overview"/>
            <NavLink href=Signal::derive(first(BackendKind::Qovery)) section="/q/" label="Qovery"/>
            <NavLink href=Signal::derive(first(BackendKind::Kopernik)) section="/k/" label="Kopernik"/>
            <NavLink href=Signal::derive(|| AppPath::Actions.to_path()) section="/actions" label="Actions"/>
            <NavLink href=Signal::derive(|| AppPath::Connections.to_path()) section="/connections" label="Connections"/>
        </nav>
    }
}

#[component]
fn NavLink(href: Signal<String>, section: &'static str, label: &'static str) -> impl IntoView {
    let base = base();
    let location = use_location();
    let prefix = base.0.clone();
    let active = move || {
        let path = location.pathname.get();
        let path = path
            .strip_prefix(prefix.as_str())
            .unwrap_or(&path)
            .to_string();
        if section == "/" {
            path == "/" || path.is_empty()
        } else {
            path.starts_with(section)
        }
    };
    view! {
        <a
            href=move || base.href(&href.get())
            class="berth-nav-link"
            aria-current=move || active().then_some("page")
        >
            {label}
        </a>
    }
}
