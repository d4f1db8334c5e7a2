//! Fetch layer: one HTTP helper, one module per backend. Never touches the DOM; views never build
//! URLs or parse JSON.

pub mod config;
pub mod http;
pub mod kopernik;
pub mod listing;
pub mod qovery;

pub use berth_api::http::ApiError;
pub use http::Method;
