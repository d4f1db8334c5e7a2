//! Pending actions as data, and the pure rules that move them: what a poll answer means, when to
//! poll next (back-off, Retry-After), when to give up polling, what survives a reload.

use berth_api::kopernik::ActionState;
use berth_api::qovery::State;
use serde::{Deserialize, Serialize};

/// After this long an action is shown as "still running, check again" and no longer polled.
pub const GIVE_UP_MS: f64 = 15.0 * 60_000.0;
/// Finished entries older than this are dropped when the page loads.
pub const KEEP_MS: f64 = 24.0 * 3_600_000.0;

/// Where to ask about the action.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Target {
    /// A Kopernik Action: `GET /action/{provider}/{uid}`; `app` is its resource, once known.
    Kopernik {
        provider: String,
        action: String,
        app: Option<String>,
    },
    /// A Qovery operation on a container: its status until it reaches a terminal state.
    Qovery { container: String },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    Success,
    Failed(String),
    /// Polled for [`GIVE_UP_MS`] without an end.
    GaveUp,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pending {
    /// Unique among entries.
    pub id: String,
    /// The connection's id (its kind is implied by the target).
    pub conn: String,
    pub target: Target,
    /// create, delete, deploy, redeploy, restart, stop.
    pub kind: String,
    pub name: String,
    pub started_ms: f64,
    /// The last state seen, as the API spells it.
    pub state: String,
    pub last_polled_ms: Option<f64>,
    /// The last poll's failure, shown while polling goes on.
    pub error: Option<String>,
    pub outcome: Option<Outcome>,
    pub ended_ms: Option<f64>,
    pub failures: u32,
    pub polls: u32,
    pub next_poll_ms: f64,
}

impl Pending {
    pub fn new(
        id: String,
        conn: String,
        target: Target,
        kind: &str,
        name: String,
        state: String,
        now: f64,
    ) -> Pending {
        Pending {
            id,
            conn,
            target,
            kind: kind.to_string(),
            name,
            started_ms: now,
            state,
            last_polled_ms: None,
            error: None,
            outcome: None,
            ended_ms: None,
            failures: 0,
            polls: 0,
            next_poll_ms: now + delay_ms(0),
        }
    }

    pub fn is_running(&self) -> bool {
        self.outcome.is_none()
    }

    pub fn due(&self, now: f64) -> bool {
        self.is_running() && now >= self.next_poll_ms
    }

    fn finish(&mut self, outcome: Outcome, now: f64) {
        self.outcome = Some(outcome);
        self.ended_ms = Some(now);
    }

    /// A Kopernik Action as polled. Unknown states count as still running.
    pub fn observe_kopernik(
        &mut self,
        state: &ActionState,
        reason: Option<&str>,
        resource: Option<&str>,
        now: f64,
    ) {
        self.seen(state.as_str(), now);
        if let (Target::Kopernik { app, .. }, Some(r)) = (&mut self.target, resource) {
            *app = Some(r.to_string());
        }
        if *state == ActionState::Success {
            self.finish(Outcome::Success, now);
        } else if state.is_failure() {
            let why = reason
                .filter(|r| !r.is_empty())
                .unwrap_or("no reason given");
            let text = if *state == ActionState::Failed {
                why.to_string()
            } else {
                format!("{state}: {why}")
            };
            self.finish(Outcome::Failed(text), now);
        }
    }

    /// A Qovery container state as polled: DEPLOYED, STOPPED and CANCELED end it well (STOPPED only
    /// for a stop), `*_ERROR` ends it badly.
    pub fn observe_qovery(&mut self, state: &State, now: f64) {
        self.seen(state.as_str(), now);
        if state.is_error() {
            self.finish(Outcome::Failed(format!("ended in {state}")), now);
        } else if state.is_terminal() {
            let expected = match self.kind.as_str() {
                "stop" => *state == State::Stopped,
                _ => *state == State::Deployed,
            };
            let outcome = if expected || *state == State::Canceled && self.kind == "stop" {
                Outcome::Success
            } else {
                Outcome::Failed(format!("ended in {state}"))
            };
            self.finish(outcome, now);
        }
    }

    fn seen(&mut self, state: &str, now: f64) {
        self.state = state.to_string();
        self.last_polled_ms = Some(now);
        self.error = None;
        self.failures = 0;
        self.polls += 1;
        self.next_poll_ms = now + delay_ms(self.polls);
        self.give_up_if_old(now);
    }

    /// A poll that got no usable answer: shown, retried later, never taken as the outcome.
    pub fn poll_failed(&mut self, message: &str, retry_after_secs: Option<u64>, now: f64) {
        self.error = Some(message.to_string());
        self.last_polled_ms = Some(now);
        self.failures += 1;
        let wait =
            delay_ms(self.polls + self.failures).max(retry_after_secs.unwrap_or(0) as f64 * 1000.0);
        self.next_poll_ms = now + wait;
        self.give_up_if_old(now);
    }

    pub fn give_up_if_old(&mut self, now: f64) {
        if self.is_running() && now - self.started_ms >= GIVE_UP_MS {
            self.finish(Outcome::GaveUp, now);
        }
    }

    /// How long it took, or has been running.
    pub fn duration_ms(&self, now: f64) -> f64 {
        self.ended_ms.unwrap_or(now) - self.started_ms
    }
}

/// An entry for a Kopernik Action as the create or delete answered it (already finished when the
/// answer was a 200).
pub fn from_kopernik(
    conn: &str,
    provider: &str,
    kind: &str,
    name: &str,
    action: &berth_api::kopernik::Action,
    now: f64,
) -> Pending {
    let mut p = Pending::new(
        action.uid.clone(),
        conn.to_string(),
        Target::Kopernik {
            provider: provider.to_string(),
            action: action.uid.clone(),
            app: action.resource_uid.clone(),
        },
        kind,
        name.to_string(),
        action.state.to_string(),
        now,
    );
    if action.state.is_terminal() {
        p.observe_kopernik(
            &action.state,
            action.reason.as_deref(),
            action.resource_uid.as_deref(),
            now,
        );
    }
    p.polls = 0;
    p
}

/// An entry for a Qovery operation that answered 202 with the container's new state.
pub fn from_qovery(
    conn: &str,
    container: &str,
    kind: &str,
    name: &str,
    state: &State,
    now: f64,
) -> Pending {
    Pending::new(
        format!("{container}@{now}"),
        conn.to_string(),
        Target::Qovery {
            container: container.to_string(),
        },
        kind,
        name.to_string(),
        state.to_string(),
        now,
    )
}

/// The wait before poll number `n` (0-based): 1, 2, 3, 5 s, then 10 s.
pub fn delay_ms(n: u32) -> f64 {
    const STEPS: [f64; 4] = [1000.0, 2000.0, 3000.0, 5000.0];
    STEPS.get(n as usize).copied().unwrap_or(10_000.0)
}

/// Entries restored after a reload: running ones are polled at once, finished ones older than
/// [`KEEP_MS`] are dropped; returns how many were dropped (for a note).
pub fn restore(entries: Vec<Pending>, now: f64) -> (Vec<Pending>, usize) {
    let before = entries.len();
    let kept: Vec<Pending> = entries
        .into_iter()
        .filter(|p| p.ended_ms.is_none_or(|e| now - e < KEEP_MS) && now - p.started_ms < KEEP_MS)
        .map(|mut p| {
            if p.is_running() {
                p.next_poll_ms = now;
                p.give_up_if_old(now);
            }
            p
        })
        .collect();
    let dropped = before - kept.len();
    (kept, dropped)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(now: f64) -> Pending {
        Pending::new(
            "a1".into(),
            "sandbox".into(),
            Target::Kopernik {
                provider: "aws".into(),
                action: "a1".into(),
                app: None,
            },
            "create",
            "web-1".into(),
            "pending".into(),
            now,
        )
    }

    #[test]
    fn backoff_schedule() {
        let got: Vec<f64> = (0..7).map(delay_ms).collect();
        assert_eq!(
            got,
            vec![1000.0, 2000.0, 3000.0, 5000.0, 10_000.0, 10_000.0, 10_000.0]
        );
    }

    #[test]
    fn kopernik_states_end_it_only_when_terminal() {
        let mut p = k(0.0);
        assert!(!p.due(500.0) && p.due(1000.0));
        p.observe_kopernik(&ActionState::Running, None, Some("app-9"), 1000.0);
        assert!(p.is_running());
        assert_eq!(p.next_poll_ms, 3000.0);
        p.observe_kopernik(&ActionState::Unknown("paused".into()), None, None, 3000.0);
        assert!(p.is_running(), "an unknown state is still running");
        p.observe_kopernik(
            &ActionState::Failed,
            Some("image pull failed"),
            None,
            6000.0,
        );
        assert_eq!(p.outcome, Some(Outcome::Failed("image pull failed".into())));
        assert_eq!(
            p.target,
            Target::Kopernik {
                provider: "aws".into(),
                action: "a1".into(),
                app: Some("app-9".into())
            }
        );
        assert!(!p.due(1e12));
        let mut r = k(0.0);
        r.observe_kopernik(&ActionState::RollbackSuccess, Some("quota"), None, 10.0);
        assert_eq!(
            r.outcome,
            Some(Outcome::Failed("rollbackSuccess: quota".into()))
        );
    }

    #[test]
    fn poll_failures_back_off_honour_retry_after_and_never_end_it() {
        let mut p = k(0.0);
        p.poll_failed("HTTP 500", None, 1000.0);
        assert!(p.is_running());
        assert_eq!((p.failures, p.next_poll_ms), (1, 3000.0));
        p.poll_failed("HTTP 429", Some(7), 3000.0);
        assert_eq!(p.next_poll_ms, 10_000.0);
        p.observe_kopernik(&ActionState::Running, None, None, 10_000.0);
        assert_eq!((p.error.clone(), p.failures), (None, 0));
    }

    #[test]
    fn qovery_terminal_states_and_giving_up() {
        let mut d = Pending::new(
            "c1".into(),
            "s".into(),
            Target::Qovery {
                container: "c1".into(),
            },
            "deploy",
            "web".into(),
            "DEPLOYMENT_QUEUED".into(),
            0.0,
        );
        d.observe_qovery(&State::Deploying, 1000.0);
        assert!(d.is_running());
        d.observe_qovery(&State::Deployed, 3000.0);
        assert_eq!(d.outcome, Some(Outcome::Success));
        let mut e = Pending::new(
            "c2".into(),
            "s".into(),
            Target::Qovery {
                container: "c2".into(),
            },
            "deploy",
            "web".into(),
            "DEPLOYING".into(),
            0.0,
        );
        e.observe_qovery(&State::DeploymentError, 1000.0);
        assert!(matches!(e.outcome, Some(Outcome::Failed(_))));
        let mut s = Pending::new(
            "c3".into(),
            "s".into(),
            Target::Qovery {
                container: "c3".into(),
            },
            "stop",
            "web".into(),
            "STOP_QUEUED".into(),
            0.0,
        );
        s.observe_qovery(&State::Stopped, 1000.0);
        assert_eq!(s.outcome, Some(Outcome::Success));
        let mut old = k(0.0);
        old.observe_kopernik(&ActionState::Running, None, None, GIVE_UP_MS + 1.0);
        assert_eq!(old.outcome, Some(Outcome::GaveUp));
    }

    #[test]
    fn restore_resumes_running_and_drops_old() {
        let now = KEEP_MS * 2.0;
        let mut done = k(0.0);
        done.observe_kopernik(&ActionState::Success, None, None, 10.0);
        let mut running = k(now - 5000.0);
        running.id = "a2".into();
        let (kept, dropped) = restore(vec![done, running], now);
        assert_eq!((kept.len(), dropped), (1, 1));
        assert_eq!(
            kept[0].next_poll_ms, now,
            "a resumed action is polled at once"
        );
    }
}
