//! Qovery screens.

pub mod containers;
pub mod picker;
pub mod planned;
