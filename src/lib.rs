//! Berth: a container-app console for Qovery and Kopernik, in the browser.
//!
//! Data flows one way: `berth_api` (types, rules) → [`api`] (fetch) → [`state`] (signals) →
//! [`pages`] (views) built from [`components`].

pub mod api;
pub mod app;
pub mod chunks;
pub mod components;
pub mod host;
pub mod mount;
pub mod pages;
pub mod routes;
pub mod state;
pub mod text;

pub use mount::{embed, mount, start};

#[cfg(all(test, target_arch = "wasm32"))]
mod wasm_tests;
