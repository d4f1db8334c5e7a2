//! Qovery screens.

pub mod containers;
pub mod detail;
pub mod form;
pub mod history;
pub mod picker;
