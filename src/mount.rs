//! Mounting: into `<body>` by default, or into any element of a host portal with its own config.

use berth_api::config::AppConfig;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

use crate::app::App;
use crate::state::config::ConfigSource;

/// Mounts the console into `element`.
///
/// `config` is a config object (`{connections: [...]}`, as in `config.json`) or its JSON text; when
/// it is `null` or `undefined` the console loads `config.json` beside its `index.html`. An invalid
/// config is an error naming the problem; nothing is mounted then.
#[wasm_bindgen]
pub fn mount(element: web_sys::HtmlElement, config: JsValue) -> Result<(), JsValue> {
    let source = if config.is_null() || config.is_undefined() {
        ConfigSource::Fetch
    } else {
        let text = match config.as_string() {
            Some(s) => s,
            None => js_sys::JSON::stringify(&config)
                .map(String::from)
                .map_err(|_| JsValue::from_str("config: not a JSON object"))?,
        };
        ConfigSource::Given(AppConfig::parse(&text).map_err(|e| JsValue::from_str(&e))?)
    };
    mount_into(element, source);
    Ok(())
}

fn mount_into(element: web_sys::HtmlElement, source: ConfigSource) {
    leptos::mount::mount_to(element, move || view! { <App source=source/> }).forget();
    // Read by `cargo xtask bench`: navigation start → the shell is in the DOM.
    if let Some(perf) = web_sys::window().and_then(|w| w.performance()) {
        let _ = perf.mark("berth-first-render");
    }
}

/// The default start: mounts into `<body>` with `config.json`, unless the host page set
/// `window.BERTH_MANUAL_MOUNT = true` to call `mount` itself.
pub fn start() {
    console_error_panic_hook::set_once();
    let Some(window) = web_sys::window() else {
        return;
    };
    let manual = js_sys::Reflect::get(&window, &JsValue::from_str("BERTH_MANUAL_MOUNT"))
        .map(|v| v.is_truthy())
        .unwrap_or(false);
    if manual {
        return;
    }
    let Some(body) = window.document().and_then(|d| d.body()) else {
        return;
    };
    // Keep a reference to `mount` so the linker keeps the export for host pages.
    let _keep: fn(web_sys::HtmlElement, JsValue) -> Result<(), JsValue> = mount;
    mount_into(body, ConfigSource::Fetch);
}
