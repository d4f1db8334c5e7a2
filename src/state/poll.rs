//! Polling for live lists: every `delay` while the tab is visible, back-off after errors, an
//! immediate refresh when the tab shows again. One timer per poller, cleared on cleanup.

use std::time::Duration;

use leptos::prelude::*;

use super::visibility::Visibility;

/// How often a screen polls while something on it moves (a deploy, a machine provisioning).
pub const FAST: Duration = Duration::from_millis(2500);
/// How often it polls otherwise.
pub const SLOW: Duration = Duration::from_secs(30);

/// [`FAST`] while something moves, [`SLOW`] otherwise.
pub fn pace(moving: bool) -> Duration {
    if moving {
        FAST
    } else {
        SLOW
    }
}

/// The delay before the next poll after `failures` consecutive errors: 5, 10, 20, then 30 s.
pub fn backoff(base: Duration, failures: u32) -> Duration {
    if failures == 0 {
        return base;
    }
    let secs = 5u64.saturating_mul(1u64 << (failures - 1).min(3)).min(30);
    Duration::from_secs(secs).max(base)
}

/// What stretches the next poll: failed loads in a row, and how long the server asked to wait
/// (`Retry-After` on a 429 or 503).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Strain {
    pub failures: u32,
    pub retry_after_secs: Option<u64>,
}

/// The delay before the next poll: the back-off, and never sooner than the server asked.
pub fn next_delay(base: Duration, strain: Strain) -> Duration {
    backoff(base, strain.failures).max(Duration::from_secs(strain.retry_after_secs.unwrap_or(0)))
}

/// Calls `tick` every `delay` while the tab is visible; `strain()` stretches the delay. Signals
/// that `strain()` reads re-arm the timer when they change: the next poll is timed from the end
/// of the last load, with the back-off and Retry-After that its answer brought. A change
/// of `delay` re-arms the timer at once (e.g. fast polling as soon as a row starts moving); the tab
/// becoming visible again polls at once. Stops with its owner.
pub fn use_poll(
    delay: Signal<Duration>,
    strain: impl Fn() -> Strain + Send + Sync + 'static,
    tick: impl Fn() + Send + Sync + 'static,
) {
    let visible = use_context::<Visibility>().map(|v| v.0);
    let handle = StoredValue::new(None::<TimeoutHandle>);
    let strain = StoredValue::new(strain);
    let fired = RwSignal::new(0u64);
    let clear = move || {
        if let Some(h) = handle.get_value() {
            h.clear();
        }
    };
    // (timer generation, visible) of the previous run tell what changed.
    Effect::new(move |prev: Option<(u64, bool)>| {
        let g = fired.get();
        let shown = visible.map(|v| v.get()).unwrap_or(true);
        let wait = delay.get();
        let strain = strain.with_value(|f| f());
        clear();
        if !shown {
            return (g, shown);
        }
        let timer_fired = prev.is_some_and(|(pg, _)| pg != g);
        let came_back = prev.is_some_and(|(_, was)| !was);
        if timer_fired || came_back {
            tick();
        }
        let wait = next_delay(wait, strain);
        handle.set_value(set_timeout_with_handle(move || fired.update(|n| *n += 1), wait).ok());
        (g, shown)
    });
    on_cleanup(clear);
}

#[cfg(test)]
mod tests {
    use super::{backoff, next_delay, Strain};
    use std::time::Duration;

    #[test]
    fn backoff_grows_to_thirty_seconds() {
        let base = Duration::from_millis(2500);
        let got: Vec<u64> = (0..6)
            .map(|f| backoff(base, f).as_millis() as u64)
            .collect();
        assert_eq!(got, vec![2500, 5000, 10_000, 20_000, 30_000, 30_000]);
        assert_eq!(backoff(Duration::from_secs(30), 1), Duration::from_secs(30));
    }

    #[test]
    fn retry_after_is_a_floor_never_a_shortcut() {
        let base = Duration::from_millis(2500);
        let asked = |secs| Strain {
            failures: 1,
            retry_after_secs: Some(secs),
        };
        assert_eq!(next_delay(base, asked(20)), Duration::from_secs(20));
        assert_eq!(
            next_delay(base, asked(2)),
            Duration::from_secs(5),
            "the back-off still holds"
        );
        assert_eq!(next_delay(base, Strain::default()), base);
    }
}
