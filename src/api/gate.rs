//! One request gate per connection (by base URL): at most [`CAP`] of its requests are out at
//! once, the others wait their turn in the browser before their timeout starts, and a 429 holds
//! every request to that server until its `Retry-After`, or without one, a back-off that doubles
//! from 2 s to 30 s. So a page that opens many requests at once (links, logs, a bulk delete)
//! neither floods the server nor times out while queued, and one caller's 429 slows them all.

use std::cell::RefCell;

/// Requests of one connection in flight at once (what browsers allow per HTTP/1.1 host).
pub const CAP: usize = 6;
/// How often a request waiting for a free place looks again.
const RECHECK_MS: f64 = 40.0;

/// One server's lane: the rules, pure (tested natively).
#[derive(Debug, Default, PartialEq)]
pub struct Lane {
    busy: usize,
    /// No request goes before this time (ms since the epoch).
    until: f64,
    /// 429s in a row, for the back-off without `Retry-After`.
    strikes: i32,
}

impl Lane {
    /// Lets a request go now (and counts it), or says how long to wait before asking again.
    pub fn enter(&mut self, now: f64) -> Result<(), f64> {
        if now < self.until {
            return Err(self.until - now);
        }
        if self.busy >= CAP {
            return Err(RECHECK_MS);
        }
        self.busy += 1;
        Ok(())
    }

    pub fn leave(&mut self) {
        self.busy = self.busy.saturating_sub(1);
    }

    /// What the server answered: a 429 holds the lane, any other answer ends a run of them.
    pub fn answered(&mut self, status: Option<u16>, retry_after_secs: Option<u64>, now: f64) {
        match status {
            Some(429) => {
                self.strikes += 1;
                let backoff = (1000.0 * 2f64.powi(self.strikes)).min(30_000.0);
                let wait = retry_after_secs.map_or(backoff, |s| s as f64 * 1000.0);
                self.until = self.until.max(now + wait);
            }
            Some(_) => self.strikes = 0,
            None => {}
        }
    }
}

// A list, not a map: a console has a few connections, and a map of lanes would be one more
// monomorphized table in the first screen's module.
thread_local! {
    static LANES: RefCell<Vec<(String, Lane)>> = const { RefCell::new(Vec::new()) };
}

fn with_lane<T>(key: &str, f: impl FnOnce(&mut Lane) -> T) -> T {
    LANES.with(|l| {
        let mut lanes = l.borrow_mut();
        let i = match lanes.iter().position(|(k, _)| k == key) {
            Some(i) => i,
            None => {
                lanes.push((key.to_string(), Lane::default()));
                lanes.len() - 1
            }
        };
        f(&mut lanes[i].1)
    })
}

/// A request's place in its lane, given back when it is dropped (answered, failed or cancelled).
pub struct Pass(String);

impl Drop for Pass {
    fn drop(&mut self) {
        with_lane(&self.0, Lane::leave);
    }
}

/// Waits for a place in the lane of `base_url`: looked at again when the wait it was told ends
/// (leptos' `set_timeout`, which the first screen has anyway, rather than a promise of its own).
pub async fn enter(base_url: &str) -> Pass {
    std::future::poll_fn(|cx| {
        match with_lane(base_url, |l| l.enter(crate::state::clock::now_ms())) {
            Ok(()) => std::task::Poll::Ready(()),
            Err(ms) => {
                let waker = cx.waker().clone();
                leptos::prelude::set_timeout(
                    move || waker.wake(),
                    std::time::Duration::from_millis(ms.max(1.0) as u64),
                );
                std::task::Poll::Pending
            }
        }
    })
    .await;
    Pass(base_url.to_string())
}

/// Records what the server of `base_url` answered (see [`Lane::answered`]).
pub fn answered(base_url: &str, status: Option<u16>, retry_after_secs: Option<u64>) {
    let now = crate::state::clock::now_ms();
    with_lane(base_url, |l| l.answered(status, retry_after_secs, now));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_most_cap_requests_go_at_once_and_a_place_freed_is_taken() {
        let mut lane = Lane::default();
        for _ in 0..CAP {
            assert_eq!(lane.enter(0.0), Ok(()));
        }
        assert_eq!(lane.enter(0.0), Err(RECHECK_MS), "the next one waits");
        lane.leave();
        assert_eq!(lane.enter(1.0), Ok(()));
    }

    #[test]
    fn a_429_holds_every_request_with_or_without_retry_after() {
        let mut lane = Lane::default();
        lane.answered(Some(429), Some(5), 1000.0);
        assert_eq!(
            lane.enter(2000.0),
            Err(4000.0),
            "Retry-After: 5 s from the answer"
        );
        assert_eq!(lane.enter(6000.0), Ok(()));
        // Without Retry-After: 2 s, then 4 s, 8 s… at most 30 s; any other answer resets it.
        let mut lane = Lane::default();
        lane.answered(Some(429), None, 0.0);
        assert_eq!(lane.enter(0.0), Err(2000.0));
        lane.answered(Some(429), None, 2000.0);
        assert_eq!(lane.enter(2000.0), Err(4000.0));
        for _ in 0..10 {
            lane.answered(Some(429), None, 10_000.0);
        }
        assert_eq!(lane.enter(10_000.0), Err(30_000.0));
        lane.answered(Some(200), None, 40_000.0);
        lane.answered(Some(429), None, 40_000.0);
        assert_eq!(
            lane.enter(40_000.0),
            Err(2000.0),
            "a success ended the run of 429s"
        );
        // A hold is never shortened by a later, shorter one.
        let mut lane = Lane::default();
        lane.answered(Some(429), Some(60), 0.0);
        lane.answered(Some(429), Some(1), 0.0);
        assert_eq!(lane.enter(0.0), Err(60_000.0));
    }
}
