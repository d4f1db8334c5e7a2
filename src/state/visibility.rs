//! Whether the tab is visible: polls pause while it is hidden and catch up when it shows again.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[derive(Clone, Copy)]
pub struct Visibility(pub RwSignal<bool>);

fn visible_now() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .map(|d| !d.hidden())
        .unwrap_or(true)
}

impl Visibility {
    /// Starts listening; provided at the root.
    pub fn start() -> Visibility {
        let visible = RwSignal::new(visible_now());
        if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
            let cb = Closure::<dyn Fn()>::new(move || visible.set(visible_now()));
            let _ = doc
                .add_event_listener_with_callback("visibilitychange", cb.as_ref().unchecked_ref());
            // The listener lives as long as the page.
            cb.forget();
        }
        Visibility(visible)
    }
}
