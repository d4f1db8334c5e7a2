//! The browser entry point: mounts the console into the page (see `berth::start`).

fn main() {
    berth::start();
}
