//! The page around the console: the element it is mounted in, and (inside `<berth-console>`) the
//! function that hands `berth:*` events to the host page.
//!
//! One console runs per page (berth-embed.js says so to a second element), so this is page-wide.

use std::cell::RefCell;

thread_local! {
    static ROOT: RefCell<Option<web_sys::Element>> = const { RefCell::new(None) };
    static EMIT: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
}

/// Records where the console lives and who hears its events (`None`: a page of its own).
pub fn set(root: web_sys::Element, emit: Option<js_sys::Function>) {
    ROOT.with(|r| *r.borrow_mut() = Some(root));
    EMIT.with(|e| *e.borrow_mut() = emit);
}

/// Forgets the host: after an unmount nothing is sent to it.
pub fn clear() {
    ROOT.with(|r| r.borrow_mut().take());
    EMIT.with(|e| e.borrow_mut().take());
}

/// An element of the console by id. `document.getElementById` does not look into a shadow root,
/// so the search starts at the console's own root.
pub fn element_by_id(id: &str) -> Option<web_sys::Element> {
    ROOT.with(|r| {
        r.borrow()
            .as_ref()?
            .query_selector(&format!("[id=\"{id}\"]"))
            .ok()
            .flatten()
    })
}

/// Tells the host page: `name` with its fields, in the order berth-embed.js reads them (`""` is
/// null there). The element turns them into a `CustomEvent` that bubbles out of the shadow root;
/// building its detail in JS keeps a JSON writer out of the first screen's wasm. Nothing happens
/// on a page of its own.
pub fn emit(name: &str, fields: &[&str]) {
    EMIT.with(|e| {
        if let Some(f) = e.borrow().as_ref() {
            let args = js_sys::Array::new();
            for field in fields {
                args.push(&wasm_bindgen::JsValue::from_str(field));
            }
            let _ = f.call2(&wasm_bindgen::JsValue::NULL, &name.into(), &args);
        }
    });
}

/// Whether a host page listens (the console runs inside `<berth-console>`).
pub fn embedded() -> bool {
    EMIT.with(|e| e.borrow().is_some())
}

/// `berth:navigate` for the page path `url` (under `base`) with its query `search`.
pub fn announce(base: &str, url: &str, search: &str) {
    let path = url.strip_prefix(base).unwrap_or(url);
    let path = if path.is_empty() { "/" } else { path };
    emit("berth:navigate", &[path, url, search]);
}
