//! Qovery screens.

pub mod app_log;
pub mod containers;
pub mod deploy_log;
pub mod detail;
pub mod form;
pub mod health;
pub mod history;
pub mod links;
pub mod picker;
pub mod variables;
