//! Kopernik screens.

pub mod apps;
pub mod planned;
