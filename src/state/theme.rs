//! Dark mode follows the system (`prefers-color-scheme`); the CSS does the work, this only tells
//! components that need to know.

pub fn prefers_dark() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches())
}
