//! Kopernik screens.

pub mod apps;
pub mod detail;
pub mod planned;
