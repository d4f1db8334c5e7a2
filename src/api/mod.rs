//! Fetch layer: one HTTP helper, one module per backend. Never touches the DOM; views never build
//! URLs or parse JSON.

pub mod cluster;
pub mod config;
pub mod gate;
pub mod http;
pub mod kopernik;
pub mod listing;
pub mod qovery;

pub use berth_api::http::ApiError;
pub use http::Method;

/// A failed request as a dialog or a notice says it: "its message (HTTP 500)", or "(no answer)"
/// when none came.
pub fn describe(e: &ApiError) -> String {
    format!(
        "{} ({})",
        e.message,
        e.status
            .map(|s| format!("HTTP {s}"))
            .unwrap_or_else(|| "no answer".into())
    )
}
