//! Kopernik screens.

pub mod app_actions;
pub mod apps;
pub mod create;
pub mod detail;
