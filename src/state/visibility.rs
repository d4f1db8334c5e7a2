//! Whether the tab is visible: polls pause while it is hidden and catch up when it shows again.

use leptos::prelude::*;

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
        // The document's event reaches the window; removed when the console is unmounted.
        let listener =
            window_event_listener_untyped("visibilitychange", move |_| visible.set(visible_now()));
        on_cleanup(move || listener.remove());
        Visibility(visible)
    }
}
