//! A screen's query string as a signal of its own. A change lands in the signal at once (the
//! table filters on the keystroke) and reaches the address bar later, debounced, through a
//! `history.replaceState` whose failure is ignored.
//!
//! Why not the router's `navigate(.., replace)`: it unwraps `replaceState`, and browsers throttle
//! that call (Safari throws after 100 calls in 30 s), so typing in a search box could kill the
//! page. Written directly, a refused write leaves the URL a little behind; the screen lives on.
//! The router does not hear these writes; it hears back, forward and links, and those set the
//! signal again.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use std::time::Duration;

use super::table::query_string;

/// The quiet time after the last change before the URL is written: at most a few writes a
/// second however fast someone types.
const SETTLE: Duration = Duration::from_millis(300);

#[derive(Clone, Copy)]
pub struct UrlQuery {
    params: RwSignal<Vec<(String, String)>>,
    timer: StoredValue<Option<TimeoutHandle>>,
    base: StoredValue<String>,
}

pub fn use_url_query() -> UrlQuery {
    let router = use_query_map();
    let read = move || {
        router.with(|p| {
            p.clone()
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect::<Vec<_>>()
        })
    };
    let params = RwSignal::new(untrack(read));
    let base = use_context::<super::base::Base>()
        .map(|b| b.0)
        .unwrap_or_default();
    let base = StoredValue::new(base);
    Effect::watch(read, move |p, _, _| params.set(p.clone()), false);
    let timer = StoredValue::new(None::<TimeoutHandle>);
    // A write still pending belongs to this screen's URL: leaving drops it.
    on_cleanup(move || {
        if let Some(h) = timer.try_get_value().flatten() {
            h.clear();
        }
    });
    UrlQuery {
        params,
        timer,
        base,
    }
}

impl UrlQuery {
    /// The value of `key` (tracked).
    pub fn get(&self, key: &str) -> Option<String> {
        self.params
            .with(|p| p.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()))
    }

    /// Every parameter, untracked (to build the next list from).
    pub fn all_untracked(&self) -> Vec<(String, String)> {
        self.params.get_untracked()
    }

    /// Sets `key` (an empty value removes it).
    pub fn set(&self, key: &str, value: String) {
        let mut list = self.params.get_untracked();
        list.retain(|(k, _)| k != key);
        if !value.is_empty() {
            list.push((key.to_string(), value));
        }
        self.replace(list);
    }

    /// Replaces every parameter.
    pub fn replace(&self, list: Vec<(String, String)>) {
        self.params.set(list);
        if let Some(h) = self.timer.get_value() {
            h.clear();
        }
        let (params, base) = (self.params, self.base);
        let handle = set_timeout_with_handle(
            move || {
                if let (Some(list), Some(base)) = (params.try_get_untracked(), base.try_get_value())
                {
                    write_url(&base, &query_string(&list));
                }
            },
            SETTLE,
        );
        self.timer.set_value(handle.ok());
    }
}

/// `history.replaceState` to the current path with `search`, keeping the entry's state (the
/// router's), and tells a host page. Errors are dropped on purpose (see the module comment).
fn write_url(base: &str, search: &str) {
    let window = window();
    let (Ok(path), Ok(history)) = (window.location().pathname(), window.history()) else {
        return;
    };
    let state = history.state().unwrap_or(wasm_bindgen::JsValue::NULL);
    if history
        .replace_state_with_url(&state, "", Some(&format!("{path}{search}")))
        .is_ok()
    {
        crate::host::announce(base, &path, search);
    }
}
