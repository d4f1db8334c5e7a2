//! Mounting: into `<body>` by default, into any element of a host page (`mount`), or into the
//! shadow root of a `<berth-console>` element (`embed`, called by berth-embed.js).

use std::cell::RefCell;
use std::rc::Rc;

use berth_api::config::AppConfig;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

use crate::app::App;
use crate::state::base::Base;
use crate::state::config::{folder_of, ConfigSource};
use crate::state::storage;

/// Mounts the console into `element`.
///
/// `config` is a config object (`{connections: [...]}`, as in `config.json`) or its JSON text; when
/// it is `null` or `undefined` the console loads `config.json` beside its `index.html`. An invalid
/// config is an error naming the problem; nothing is mounted then.
#[wasm_bindgen]
pub fn mount(element: web_sys::HtmlElement, config: JsValue) -> Result<(), JsValue> {
    let base = Base::detect();
    let config_url = base.href("/config.json");
    let source = source_of(config, &config_url)?;
    storage::set_namespace(storage::namespace(&config_url, ""));
    // A page-long console: it is never unmounted.
    std::mem::forget(mount_into(element, source, base, None));
    Ok(())
}

/// `<berth-console>`: mounts into `root` (inside the element's shadow root) with its routes under
/// `base` (`""` or e.g. `/tools/containers`), the config object `config` or else the one at
/// `config_url`; `emit(name, detail_json)` dispatches `berth:*` events on the element. Its storage
/// is namespaced by `storage_key`, or else by `config_url`. Returns the function that unmounts it:
/// every poller, listener and request of the console ends with it.
#[wasm_bindgen]
pub fn embed(
    root: web_sys::HtmlElement,
    config: JsValue,
    config_url: String,
    base: String,
    emit: js_sys::Function,
    storage_key: String,
) -> Result<JsValue, JsValue> {
    let source = source_of(config, &config_url)?;
    storage::set_namespace(storage::namespace(&config_url, &storage_key));
    let base = Base(crate::state::base::normalize(&format!("{base}/")));
    let unmount = mount_into(root, source, base, Some(emit));
    Ok(Closure::once_into_js(unmount))
}

/// The config given by a host page (relative base URLs resolved against `config_url`'s folder),
/// or the one to fetch from `config_url`.
fn source_of(config: JsValue, config_url: &str) -> Result<ConfigSource, JsValue> {
    if config.is_null() || config.is_undefined() {
        return Ok(ConfigSource::Url(config_url.to_string()));
    }
    let text = match config.as_string() {
        Some(s) => s,
        None => js_sys::JSON::stringify(&config)
            .map(String::from)
            .map_err(|_| JsValue::from_str("config: not a JSON object"))?,
    };
    AppConfig::parse_in(&text, Some(&folder_of(config_url)))
        .map(ConfigSource::Given)
        .map_err(|e| JsValue::from_str(&e))
}

fn mount_into(
    element: web_sys::HtmlElement,
    source: ConfigSource,
    base: Base,
    emit: Option<js_sys::Function>,
) -> impl FnOnce() {
    crate::host::set(element.clone().into(), emit);
    let owner: Rc<RefCell<Option<Owner>>> = Rc::default();
    let slot = owner.clone();
    let handle = leptos::mount::mount_to(element, move || {
        *slot.borrow_mut() = Owner::current();
        view! { <App source=source base=base/> }
    });
    // Read by `cargo xtask bench`: navigation start → the shell is in the DOM.
    if let Some(perf) = web_sys::window().and_then(|w| w.performance()) {
        let _ = perf.mark("berth-first-render");
    }
    move || {
        drop(handle);
        // The router keeps its owner in a page-wide hook, so dropping the handle alone would not
        // run the cleanups (timers, listeners, aborts): run them here.
        if let Some(o) = owner.borrow_mut().take() {
            o.cleanup();
        }
        crate::host::clear();
    }
}

/// The default start: mounts into `<body>` with `config.json`, unless the host page set
/// `window.BERTH_MANUAL_MOUNT = true` to call `mount` or use `<berth-console>`.
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
    // Keep references to the exports so the linker keeps them for host pages.
    let _keep: fn(web_sys::HtmlElement, JsValue) -> Result<(), JsValue> = mount;
    let _keep_embed = embed;
    let base = Base::detect();
    let config_url = base.href("/config.json");
    storage::set_namespace(storage::namespace(&config_url, ""));
    let source = ConfigSource::Url(config_url);
    std::mem::forget(mount_into(body, source, base, None));
}
