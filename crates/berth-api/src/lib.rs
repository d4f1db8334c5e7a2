//! The types and rules Berth shares between the browser app and the sandbox server.
//!
//! Decoding is lenient (unknown fields ignored, enums fall back to `Unknown(String)`, optionals are
//! `Option`); encoding is strict (unset optionals are skipped). Parts of the contract that no public
//! source settles are marked `ASSUMED` at the type, so they can be corrected in one place.

#[macro_use]
mod string_enum;

pub mod attention;
pub mod bulk;
pub mod cluster;
pub mod config;
pub mod diagnosis;
pub mod diff;
pub mod docker_run;
pub mod error;
pub mod events;
pub mod history;
pub mod http;
pub mod kopernik;
mod lenient;
pub mod links;
pub mod logs;
pub mod pods;
pub mod prometheus;
pub mod promql;
pub mod qovery;
pub mod rules;
pub mod secrets;
pub mod signals;
pub mod sizes;
pub mod stages;
pub mod summary;
pub mod time;
pub mod variables;
pub mod window;

pub use error::FieldError;
