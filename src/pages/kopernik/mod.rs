//! Kopernik screens.

pub mod apps;
pub mod create;
pub mod detail;
