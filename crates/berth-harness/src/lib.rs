//! Test and bench plumbing: a sandbox serving the built app on a free loopback port, a headless
//! Chromium driven through chromedriver, and a page object for the console.
//!
//! Paths come from the environment that `cargo xtask test` sets: `BERTH_SANDBOX` (the sandbox
//! binary), `BERTH_DIST` (the built app), `BERTH_DIST_CONSOLE` (built for /console/), `BERTH_NGINX` (Debian's
//! nginx unpacked), `CHROMEDRIVER` and `CHROMIUM` (optional, defaults on PATH).

mod browser;
mod console;
pub mod http;
mod nginx;
mod process;
mod sandbox;
pub mod secrets;

pub use browser::{browser_log, fatal_console_lines, Browser, Idle, FATAL_MARKS};
pub use console::Console;
pub use fantoccini::{elements::Element, error::CmdError, Client, Locator};
pub use nginx::Nginx;
pub use process::{free_port, port_after};
pub use sandbox::Sandbox;

/// Reads a required path from the environment, with a message that says how to get it.
pub fn env_path(name: &str) -> std::path::PathBuf {
    match std::env::var_os(name) {
        Some(p) => p.into(),
        None => panic!(
            "{name} is not set: the end-to-end tests run through `cargo xtask test`, which builds \
             the app and the sandbox and sets it"
        ),
    }
}
