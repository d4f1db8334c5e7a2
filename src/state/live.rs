//! The state every refreshable screen keeps beside its data: when it was last loaded, whether a
//! load runs, the last error and how many loads failed in a row (for back-off). The data itself
//! stays with the screen, so a refresh never blanks it.

use leptos::prelude::*;

use crate::api::ApiError;

#[derive(Clone, Copy)]
pub struct Live {
    pub loaded_at: RwSignal<Option<f64>>,
    pub loading: RwSignal<bool>,
    pub error: RwSignal<Option<ApiError>>,
    pub failures: RwSignal<u32>,
}

impl Default for Live {
    fn default() -> Self {
        Self::new()
    }
}

impl Live {
    pub fn new() -> Live {
        Live {
            loaded_at: RwSignal::new(None),
            loading: RwSignal::new(false),
            error: RwSignal::new(None),
            failures: RwSignal::new(0),
        }
    }

    /// Marks a load as started; `false` when one already runs (the caller skips then).
    pub fn begin(&self) -> bool {
        if self.loading.get_untracked() {
            return false;
        }
        self.loading.set(true);
        true
    }

    /// Records how a load ended and hands back its value when it succeeded. Called after an
    /// await: it never panics if the screen is gone (then it hands back nothing).
    pub fn finish<T>(&self, result: Result<T, ApiError>) -> Option<T> {
        // `try_set` hands the value back when the signal is gone.
        if self.loading.try_set(false).is_some() {
            return None;
        }
        match result {
            Ok(v) => {
                self.loaded_at.try_set(Some(super::clock::now_ms()));
                self.error.try_set(None);
                self.failures.try_set(0);
                Some(v)
            }
            Err(e) => {
                self.error.try_set(Some(e));
                self.failures.try_update(|f| *f += 1);
                None
            }
        }
    }

    /// What stretches the next poll. Read tracked: [`use_poll`](super::poll::use_poll) re-arms
    /// its timer when a load ends, so a 429's wait counts from its answer, not from the request.
    pub fn strain(&self) -> super::poll::Strain {
        super::poll::Strain {
            failures: self.failures.get(),
            retry_after_secs: self.error.with(|e| e.as_ref().and_then(|e| e.retry_after)),
        }
    }

    /// Back to "never loaded" (another environment, another filter); the caller cancels the
    /// loads of the old one first.
    pub fn reset(&self) {
        self.loaded_at.set(None);
        self.loading.set(false);
        self.error.set(None);
        self.failures.set(0);
    }
}

/// One read at a time, and none that matters lost: a poll while a read runs is skipped (a slow
/// server is not asked again and again), but a read that `must` happen (the last one, after a
/// deployment ended) is remembered and runs as soon as the read in flight lands, which may have
/// left before what it was asked for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rerun {
    running: bool,
    again: bool,
}

impl Rerun {
    /// A read is asked for: whether it starts now (otherwise it runs after the one in flight, or
    /// not at all for a poll).
    pub fn ask(&mut self, must: bool) -> bool {
        if self.running {
            self.again |= must;
            return false;
        }
        self.running = true;
        true
    }

    /// The read in flight landed: whether another starts at once (one was asked for meanwhile).
    pub fn landed(&mut self) -> bool {
        self.running = std::mem::take(&mut self.again);
        self.running
    }
}

#[cfg(test)]
mod tests {
    use super::Rerun;

    #[test]
    fn a_read_that_must_happen_runs_after_the_one_in_flight() {
        let mut r = Rerun::default();
        assert!(r.ask(false), "nothing runs: a poll starts");
        assert!(!r.ask(true), "one read at a time");
        assert!(
            r.landed(),
            "the end seen during a read: read once more when it lands"
        );
        assert!(!r.ask(false), "that read runs: a poll waits");
        assert!(!r.landed(), "nothing else was asked for");
        assert!(r.ask(false), "idle again: the next poll starts");
    }

    #[test]
    fn a_poll_during_a_read_is_skipped_not_queued() {
        let mut r = Rerun::default();
        assert!(r.ask(true));
        assert!(!r.ask(false) && !r.ask(false));
        assert!(!r.landed());
        assert_eq!(r, Rerun::default());
    }
}
