//! Case folding for search and sort keys.
//!
//! `str::to_lowercase` links Unicode case tables that weigh about 9 KB brotli in the first
//! screen's wasm. Nearly every name, image and status is ASCII and folds here without tables;
//! anything else is folded by the browser's `toLowerCase` (the same Unicode mapping).

/// `s` in lower case.
pub fn lower(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    #[cfg(target_arch = "wasm32")]
    {
        String::from(js_sys::JsString::from(s).to_lower_case())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        s.to_lowercase()
    }
}

/// `s` with its first letter in upper case, for labels made of ASCII words ("Deployment queued").
/// An API's wire word as people read it: `DEPLOYMENT_ERROR` → "deployment error".
pub fn words(wire: &str) -> String {
    lower(&wire.replace('_', " "))
}

pub fn capitalized(s: &str) -> String {
    let mut out = s.to_string();
    if let Some(first) = out.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_and_unicode_fold_like_the_standard_library() {
        for s in ["Web-API", "nginx:1.27", "ÉCOLE Straße", "ΣΊΣΥΦΟΣ", ""] {
            assert_eq!(lower(s), s.to_lowercase(), "{s}");
        }
    }

    #[test]
    fn capitalized_touches_only_an_ascii_first_letter() {
        assert_eq!(capitalized("deployment queued"), "Deployment queued");
        assert_eq!(capitalized("élan"), "élan");
        assert_eq!(capitalized(""), "");
    }
}
