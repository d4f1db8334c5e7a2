//! One shared clock, ticking each second, for "updated N s ago" labels.

use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct Clock(pub RwSignal<f64>);

pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

impl Clock {
    /// Starts the clock; provided at the root.
    pub fn start() -> Clock {
        let now = RwSignal::new(now_ms());
        let handle =
            set_interval_with_handle(move || now.set(now_ms()), std::time::Duration::from_secs(1))
                .ok();
        on_cleanup(move || {
            if let Some(h) = handle {
                h.clear();
            }
        });
        Clock(now)
    }
}

/// "just now", "12 s ago", "3 min ago", "2 h ago".
pub fn ago(ms: f64) -> String {
    let s = (ms / 1000.0).max(0.0) as u64;
    match s {
        0..=4 => "just now".into(),
        5..=59 => format!("{s} s ago"),
        60..=3599 => format!("{} min ago", s / 60),
        _ => format!("{} h ago", s / 3600),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn ago_reads_naturally() {
        assert_eq!(super::ago(1200.0), "just now");
        assert_eq!(super::ago(12_000.0), "12 s ago");
        assert_eq!(super::ago(185_000.0), "3 min ago");
        assert_eq!(super::ago(7_300_000.0), "2 h ago");
    }
}
