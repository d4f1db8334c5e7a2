//! Reusable widgets.

pub mod confirm;
pub mod details;
pub mod edit_table;
pub mod error_panel;
pub mod field;
pub mod form;
pub mod link;
pub mod live_table;
pub mod nav;
pub mod preview;
pub mod service_actions;
pub mod state_chip;
pub mod submit_error;
pub mod table_tools;
pub mod toasts;
pub mod updated;
