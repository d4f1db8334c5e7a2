//! The sub-path the console is served under (`/` or e.g. `/console/`), from the page's
//! `<base href>` that `trunk build --public-url` writes. Links and config.json are resolved
//! against it so the same build works at `/` and under a portal's path.

/// The router base: `""` at the root, `"/console"` under `/console/`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Base(pub String);

impl Base {
    pub fn detect() -> Base {
        let path = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.base_uri().ok().flatten())
            .and_then(|uri| web_sys::Url::new(&uri).ok())
            .map(|u| u.pathname())
            .unwrap_or_default();
        Base(normalize(&path))
    }

    /// An app path (starting with `/`) as a URL path under the base.
    pub fn href(&self, path: &str) -> String {
        format!("{}{}", self.0, path)
    }
}

/// `/console/` → `/console`; `/` → ``; a base URI naming a file keeps only its folder.
pub fn normalize(path: &str) -> String {
    let folder = match path.rfind('/') {
        Some(i) => &path[..i],
        None => "",
    };
    folder.trim_end_matches('/').to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn normalizes_base_paths() {
        assert_eq!(super::normalize("/"), "");
        assert_eq!(super::normalize("/console/"), "/console");
        assert_eq!(super::normalize("/console/index.html"), "/console");
        assert_eq!(super::normalize("/a/b/"), "/a/b");
        assert_eq!(super::normalize(""), "");
    }
}
