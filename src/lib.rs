//! Berth: a container-app console for Qovery and Kopernik, in the browser.
//!
//! Data flows one way: `berth_api` (types, rules) → [`api`] (fetch) → [`state`] (signals) →
//! [`ops`] (what can be done to a container or app, once per backend) → [`pages`] (views) built
//! from [`components`].

pub mod api;
pub mod app;
pub mod chunks;
pub mod components;
pub mod host;
pub mod mount;
pub mod ops;
pub mod pages;
pub mod routes;
pub mod state;
pub mod text;

pub use mount::{embed, mount, start};

// One thread (no atomics): Talc's allocator for wasm, which grows the memory as dlmalloc does.
#[cfg(all(not(target_feature = "atomics"), target_arch = "wasm32"))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[cfg(all(test, target_arch = "wasm32"))]
mod wasm_tests;
