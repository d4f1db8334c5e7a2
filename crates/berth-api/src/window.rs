//! The time ranges the Health and Usage tabs look at: the last hour, 6 hours or 24 hours before a
//! "now" the caller gives (epoch ms, so everything here stays pure and testable).

/// How far back the Health and Usage tabs look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Window {
    #[default]
    Hour,
    SixHours,
    Day,
}

/// `[from_ms, to_ms]`, epoch milliseconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimeRange {
    pub from_ms: f64,
    pub to_ms: f64,
}

impl TimeRange {
    /// Whether `ms` lies in the range, both ends included.
    pub fn contains(&self, ms: f64) -> bool {
        ms >= self.from_ms && ms <= self.to_ms
    }
}

impl Window {
    pub const ALL: [Window; 3] = [Window::Hour, Window::SixHours, Window::Day];

    /// Its length in seconds.
    pub fn seconds(self) -> i64 {
        match self {
            Window::Hour => 3600,
            Window::SixHours => 6 * 3600,
            Window::Day => 24 * 3600,
        }
    }

    /// Its length in milliseconds.
    pub fn duration_ms(self) -> f64 {
        self.seconds() as f64 * 1000.0
    }

    /// The button's text: "1 h", "6 h", "24 h".
    pub fn label(self) -> &'static str {
        match self {
            Window::Hour => "1 h",
            Window::SixHours => "6 h",
            Window::Day => "24 h",
        }
    }

    /// How a sentence says it: "in the last hour", "in the last 6 hours", "in the last 24 hours".
    pub fn words(self) -> &'static str {
        match self {
            Window::Hour => "in the last hour",
            Window::SixHours => "in the last 6 hours",
            Window::Day => "in the last 24 hours",
        }
    }

    /// Its value in a page address (`?window=6h`): "1h", "6h", "24h".
    pub fn key(self) -> &'static str {
        match self {
            Window::Hour => "1h",
            Window::SixHours => "6h",
            Window::Day => "24h",
        }
    }

    /// The window a page address names; `None` for anything else (the page then uses the default).
    pub fn from_key(key: &str) -> Option<Window> {
        Window::ALL.into_iter().find(|w| w.key() == key)
    }

    /// The metrics step in seconds: 15 s over an hour (240 points), 1 min over 6 h (360 points),
    /// 5 min over 24 h (288 points): enough for a chart a few hundred pixels wide, little to send.
    pub fn step_seconds(self) -> i64 {
        match self {
            Window::Hour => 15,
            Window::SixHours => 60,
            Window::Day => 300,
        }
    }

    /// The `rate()` window of the CPU query, as PromQL writes it: at least 2 min (several scrapes
    /// even at a 30 s scrape interval, so `rate` always has two samples), and never shorter than
    /// the step (each point then covers the whole step; no spike falls between two points).
    pub fn rate_window(self) -> &'static str {
        match self {
            Window::Hour | Window::SixHours => "2m",
            Window::Day => "5m",
        }
    }

    /// The range ending at `now_ms`.
    pub fn range(self, now_ms: f64) -> TimeRange {
        TimeRange {
            from_ms: now_ms - self.duration_ms(),
            to_ms: now_ms,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_have_their_length_words_and_a_chartable_number_of_points() {
        assert_eq!(Window::Hour.duration_ms(), 3_600_000.0);
        assert_eq!(Window::SixHours.seconds(), 21_600);
        assert_eq!(Window::Day.seconds(), 86_400);
        let labels: Vec<&str> = Window::ALL.iter().map(|w| w.label()).collect();
        assert_eq!(labels, ["1 h", "6 h", "24 h"]);
        assert_eq!(Window::SixHours.words(), "in the last 6 hours");
        for w in Window::ALL {
            let points = w.seconds() / w.step_seconds();
            assert!((120..=360).contains(&points), "{w:?}: {points} points");
            let rate_secs = w
                .rate_window()
                .trim_end_matches('m')
                .parse::<i64>()
                .expect("minutes")
                * 60;
            assert!(rate_secs >= w.step_seconds() && rate_secs >= 120, "{w:?}");
            assert_eq!(Window::from_key(w.key()), Some(w));
        }
        assert_eq!(Window::from_key("2h"), None);
        assert_eq!(Window::default(), Window::Hour);
    }

    #[test]
    fn a_range_ends_at_now() {
        let now = 1_796_119_200_000.0;
        let r = Window::SixHours.range(now);
        assert_eq!(r.to_ms, now);
        assert_eq!(r.from_ms, now - 6.0 * 3_600_000.0);
        assert!(r.contains(now) && r.contains(r.from_ms));
        assert!(!r.contains(r.from_ms - 1.0) && !r.contains(now + 1.0));
    }
}
