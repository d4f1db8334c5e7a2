//! Web storage that never panics: a missing or blocked storage (private mode, sandboxed iframe)
//! reads as empty and refuses writes with a message.
//!
//! Every key is namespaced (`<key>@<namespace>`) by the console's config URL, or the host's
//! `storage-key`: consoles on one origin never share tokens, saved lists or drafts.

use std::cell::RefCell;

thread_local! {
    static NAMESPACE: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Set by the mount, before anything reads storage (one console runs per page).
pub fn set_namespace(namespace: String) {
    NAMESPACE.with(|n| *n.borrow_mut() = namespace);
}

/// The namespace of a console whose config is at `config_url` (its query and fragment left out),
/// or of the host's `storage_key` when it gave one.
pub fn namespace(config_url: &str, storage_key: &str) -> String {
    if storage_key.is_empty() {
        config_url
            .split(['?', '#'])
            .next()
            .unwrap_or_default()
            .into()
    } else {
        format!("key:{storage_key}")
    }
}

fn full(key: &str) -> String {
    NAMESPACE.with(|n| format!("{key}@{}", n.borrow()))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Area {
    /// Ends with the tab: the default home of tokens.
    Session,
    /// Kept on this device: tokens only when the user asks to be remembered.
    Local,
}

fn storage(area: Area) -> Option<web_sys::Storage> {
    let w = web_sys::window()?;
    match area {
        Area::Session => w.session_storage().ok().flatten(),
        Area::Local => w.local_storage().ok().flatten(),
    }
}

pub fn get(area: Area, key: &str) -> Option<String> {
    storage(area)?.get_item(&full(key)).ok().flatten()
}

pub fn set(area: Area, key: &str, value: &str) -> Result<(), String> {
    let s = storage(area).ok_or("this browser does not allow storage here")?;
    s.set_item(&full(key), value)
        .map_err(|_| "the browser refused to store it (storage full or blocked)".to_string())
}

pub fn remove(area: Area, key: &str) {
    if let Some(s) = storage(area) {
        let _ = s.remove_item(&full(key));
    }
}

/// Removes from both areas every key that `legacy` picks, as stored (no namespace added): keys
/// written before namespacing, which no console reads any more.
pub fn remove_all(legacy: fn(&str) -> bool) {
    for s in [Area::Session, Area::Local].into_iter().filter_map(storage) {
        // Listed first: removing a key renumbers those after it.
        let keys: Vec<String> = (0..s.length().unwrap_or(0))
            .filter_map(|i| s.key(i).ok().flatten())
            .filter(|k| legacy(k))
            .collect();
        for k in keys {
            let _ = s.remove_item(&k);
        }
    }
}
