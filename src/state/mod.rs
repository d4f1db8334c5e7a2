//! Application state held in signals, provided at the root.

pub mod base;
pub mod clock;
pub mod config;
pub mod connections;
pub mod live;
pub mod live_list;
pub mod pending;
pub mod poll;
pub mod record;
pub mod rows;
pub mod selection;
pub mod storage;
pub mod table;
pub mod task;
pub mod url_query;
pub mod virtual_rows;
pub mod visibility;
