//! Qovery screens.

pub mod containers;
pub mod detail;
pub mod picker;
pub mod planned;
