//! Reusable widgets.

pub mod error_panel;
pub mod field;
pub mod link;
pub mod nav;
pub mod planned;
