//! Application state held in signals, provided at the root.

pub mod base;
pub mod config;
pub mod connections;
pub mod storage;
pub mod theme;
