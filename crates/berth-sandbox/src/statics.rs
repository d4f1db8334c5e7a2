//! The built console: its files, and `index.html` for every other path (deep links).
//!
//! A missing *asset* (a path ending in a file extension the build emits) is a 404, never
//! `index.html`: a chunk answered with HTML fails with a MIME-type error, and because that answer
//! is a 200 with a `Last-Modified` date, browsers may cache it heuristically, so the screen stays
//! broken even after the file comes back. Hashed files are immutable; everything else is
//! revalidated, so a new deployment is picked up on the next load.

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::path::{Path, PathBuf};
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

/// Extensions of the files a build contains; a path ending in one is never a deep link.
const ASSET_EXTENSIONS: &[&str] = &[
    "wasm", "bin", "js", "mjs", "css", "json", "map", "html", "ico", "png", "svg", "woff2", "txt",
];

#[derive(Clone)]
pub struct Statics {
    dir: PathBuf,
}

impl Statics {
    pub fn new(dir: &Path) -> Self {
        Statics {
            dir: dir.to_path_buf(),
        }
    }

    pub async fn serve(&self, req: Request) -> Response {
        let path = req.uri().path().to_string();
        let asset = is_asset(&path);
        let mut res = match ServeDir::new(&self.dir).oneshot(req).await {
            Ok(r) => r.into_response(),
            Err(e) => match e {},
        };
        if res.status() == StatusCode::NOT_FOUND && !asset {
            let index = Request::new(axum::body::Body::empty());
            res = match ServeFile::new(self.dir.join("index.html"))
                .oneshot(index)
                .await
            {
                Ok(r) => r.into_response(),
                Err(e) => match e {},
            };
            set_cache(&mut res, "no-cache");
            return res;
        }
        if res.status().is_success() {
            let policy = if is_hashed(&path) {
                "public, max-age=31536000, immutable"
            } else {
                "no-cache"
            };
            set_cache(&mut res, policy);
        }
        res
    }
}

fn set_cache(res: &mut Response, policy: &'static str) {
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
}

fn is_asset(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or("");
    last.rsplit_once('.')
        .is_some_and(|(_, ext)| ASSET_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()))
}

/// Trunk and `cargo xtask split` name files `<stem>-<16 hex digits>[_bg].<ext>`, and put the
/// chunks in a folder `chunks-<16 hex digits>/` named by them all: their content never changes
/// under that name.
fn is_hashed(path: &str) -> bool {
    let mut segments = path.rsplit('/');
    let last = segments.next().unwrap_or("");
    if segments
        .next()
        .and_then(|d| d.strip_prefix("chunks-"))
        .is_some_and(|h| h.len() == 16 && h.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        return true;
    }
    let Some((stem, _)) = last.split_once('.') else {
        return false;
    };
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-')
        // Trunk writes its hash as an unpadded u64: up to 16 hex digits, sometimes fewer.
        .is_some_and(|(_, hash)| {
            (12..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assets_are_told_from_deep_links() {
        assert!(is_asset("/chunk_12-ececc648ee325632.wasm"));
        assert!(is_asset("/console/berth-9b7332c7f3d706d0.js"));
        assert!(is_asset("/config.json"));
        assert!(!is_asset("/k/sandbox/aws/new"));
        assert!(!is_asset("/q/sandbox/containers/abc"));
        assert!(!is_asset("/k/sandbox/aws/app.v2"));
        assert!(!is_asset("/"));
    }

    #[test]
    fn only_content_hashed_names_are_immutable() {
        assert!(is_hashed("/chunk_12-ececc648ee325632.wasm"));
        assert!(is_hashed("/berth-9b7332c7f3d706d0_bg.wasm"));
        assert!(!is_hashed("/chunk_12-ececc648.wasm"));
        assert!(is_hashed("/console/chunks-0fe93c18d076255f/chunk_12.wasm"));
        assert!(!is_hashed("/chunks-0fe93c18/chunk_12.wasm"));
        assert!(!is_hashed("/chunk_12.wasm"));
        assert!(is_hashed("/berth-9b7332c7f3d706d0.js"));
        // Trunk's hash is an unpadded u64.
        assert!(is_hashed("/berth-d5d4d246e0e99c3_bg.wasm"));
        assert!(!is_hashed("/config.json"));
        assert!(!is_hashed("/index.html"));
        assert!(!is_hashed("/berth-chunks.json"));
    }
}
