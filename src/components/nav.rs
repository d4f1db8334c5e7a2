use berth_api::config::BackendKind;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use super::link::base;
use crate::state::connections::Connections;

/// The sections of the console. Qovery and Kopernik open their first connection; with none, they
/// lead to the connections page.
#[component]
pub fn Nav() -> impl IntoView {
    let conns = expect_context::<Connections>();
    let first = move |kind: BackendKind, suffix: &'static str| {
        move || {
            conns
                .of_kind(&kind)
                .first()
                .map(|c| {
                    format!(
                        "/{}/{}{suffix}",
                        if kind == BackendKind::Qovery {
                            "q"
                        } else {
                            "k"
                        },
                        c.id
                    )
                })
                .unwrap_or_else(|| "/connections".to_string())
        }
    };
    view! {
        <nav class="berth-nav" aria-label="Sections">
            <NavLink href=Signal::derive(|| "/".to_string()) section="/" label="Overview"/>
            <NavLink href=Signal::derive(first(BackendKind::Qovery, "")) section="/q/" label="Qovery"/>
            <NavLink href=Signal::derive(first(BackendKind::Kopernik, "/aws")) section="/k/" label="Kopernik"/>
            <NavLink href=Signal::derive(|| "/actions".to_string()) section="/actions" label="Actions"/>
            <NavLink href=Signal::derive(|| "/connections".to_string()) section="/connections" label="Connections"/>
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
