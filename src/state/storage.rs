//! Web storage that never panics: a missing or blocked storage (private mode, sandboxed iframe)
//! reads as empty and refuses writes with a message.

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
    storage(area)?.get_item(key).ok().flatten()
}

pub fn set(area: Area, key: &str, value: &str) -> Result<(), String> {
    let s = storage(area).ok_or("this browser does not allow storage here")?;
    s.set_item(key, value)
        .map_err(|_| "the browser refused to store it (storage full or blocked)".to_string())
}

pub fn remove(area: Area, key: &str) {
    if let Some(s) = storage(area) {
        let _ = s.remove_item(key);
    }
}
