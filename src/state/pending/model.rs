//! Pending actions as data, and the pure rules that move them: what a poll answer means, when to
//! poll next (back-off, Retry-After), when to give up polling, what survives a reload.

use berth_api::kopernik::ActionState;
use berth_api::qovery::{ServiceAction, State};
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

/// What the operation does (stored as its lowercase name).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PendingKind {
    Create,
    Delete,
    Deploy,
    Redeploy,
    Restart,
    Stop,
}

impl PendingKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PendingKind::Create => "create",
            PendingKind::Delete => "delete",
            PendingKind::Deploy => "deploy",
            PendingKind::Redeploy => "redeploy",
            PendingKind::Restart => "restart",
            PendingKind::Stop => "stop",
        }
    }

    /// The kind of a Qovery service action.
    pub fn of(action: ServiceAction) -> PendingKind {
        match action {
            ServiceAction::Deploy => PendingKind::Deploy,
            ServiceAction::Redeploy => PendingKind::Redeploy,
            ServiceAction::Restart => PendingKind::Restart,
            ServiceAction::Stop => PendingKind::Stop,
            ServiceAction::Delete => PendingKind::Delete,
        }
    }

    /// "Create", for the start of a sentence.
    pub fn title(self) -> String {
        crate::text::capitalized(self.as_str())
    }
}

impl std::fmt::Display for PendingKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    Success,
    Failed(String),
    /// Polled for [`GIVE_UP_MS`] without an end.
    GaveUp,
    /// The server no longer knows the action or its resource (a 404 while polling).
    Gone,
}

/// A Qovery service's status when its operation started: the operation has done something only
/// once a poll shows it moved away from this.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    /// The state before the operation, when the caller knew it.
    pub state: Option<String>,
    pub last_deployment: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pending {
    /// Unique among entries.
    pub id: String,
    /// The connection's id (its kind is implied by the target).
    pub conn: String,
    pub target: Target,
    pub kind: PendingKind,
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
    /// Why polling is paused until the user acts (a refused token); not polled meanwhile.
    #[serde(default)]
    pub paused: Option<String>,
    /// Qovery: the status at the start, and whether a poll has shown it move since.
    #[serde(default)]
    pub baseline: Baseline,
    #[serde(default)]
    pub moved: bool,
    /// A failed Qovery deploy: its deployment's execution id, read from the history when the
    /// failure was seen, so its log can be opened later even after newer deployments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution: Option<String>,
    /// The request's answer was lost (no answer, a proxy's 502/503/504): whether it was done is
    /// unknown until a poll shows the container move. Never resent meanwhile.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unknown: bool,
}

impl Pending {
    pub fn new(
        id: String,
        conn: String,
        target: Target,
        kind: PendingKind,
        name: String,
        state: String,
        now: f64,
    ) -> Pending {
        Pending {
            id,
            conn,
            target,
            kind,
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
            paused: None,
            baseline: Baseline::default(),
            moved: false,
            execution: None,
            unknown: false,
        }
    }

    /// A Qovery deploy or redeploy that failed: its deployment log says why.
    pub fn has_failure_log(&self) -> bool {
        matches!(self.target, Target::Qovery { .. })
            && matches!(self.outcome, Some(Outcome::Failed(_)))
            && matches!(self.kind, PendingKind::Deploy | PendingKind::Redeploy)
    }

    /// A failure's reason from its log, after the state's words: "ended in deployment error:
    /// image pull failed".
    pub fn add_reason(&mut self, reason: &str) {
        if let Some(Outcome::Failed(why)) = &mut self.outcome {
            why.push_str(": ");
            why.push_str(reason);
        }
    }

    /// The route of that log: the container's page opened on its deployment (`?log=<execution
    /// id>`), or on the newest one when the id could not be read.
    pub fn failure_log_path(&self) -> Option<String> {
        let Target::Qovery { container } = &self.target else {
            return None;
        };
        if !self.has_failure_log() {
            return None;
        }
        let path = crate::routes::AppPath::QoveryDeploymentLog {
            conn: self.conn.clone(),
            id: container.clone(),
            execution: self.execution.clone().unwrap_or_else(|| "latest".into()),
        };
        Some(path.to_path())
    }

    pub fn is_running(&self) -> bool {
        self.outcome.is_none()
    }

    pub fn due(&self, now: f64) -> bool {
        self.is_running() && self.paused.is_none() && now >= self.next_poll_ms
    }

    /// Polls a paused entry again at once (the user fixed the connection).
    pub fn resume(&mut self, now: f64) {
        if self.paused.take().is_some() {
            self.next_poll_ms = now;
        }
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

    /// A Qovery container status as polled. A real API lags: right after a deploy it may still read
    /// the old `DEPLOYED`. So the operation ends only once the status moved since it started (a
    /// transitional state seen, a new deployment date, or another end state than before); then
    /// DEPLOYED (or RESTARTED for a restart) ends it well, STOPPED a stop, `*_ERROR` badly.
    pub fn observe_qovery(&mut self, state: &State, last_deployment: Option<&str>, now: f64) {
        self.seen(state.as_str(), now);
        let new_date = last_deployment.is_some()
            && last_deployment != self.baseline.last_deployment.as_deref();
        let other_end = state.is_terminal()
            && self
                .baseline
                .state
                .as_deref()
                .is_some_and(|b| b != state.as_str());
        if state.is_transitional() || new_date || other_end || *state == State::Deleted {
            self.moved = true;
            // It went through after all: followed like an answered operation from here on.
            self.unknown = false;
        }
        if !self.moved {
            if self.unknown && self.polls >= LOST_CHECKS {
                self.finish(Outcome::Failed(NOT_STARTED.to_string()), now);
            }
            return;
        }
        if state.is_error() {
            self.finish(
                Outcome::Failed(format!("ended in {}", crate::text::words(state.as_str()))),
                now,
            );
            return;
        }
        let expected = match self.kind {
            PendingKind::Delete => *state == State::Deleted,
            PendingKind::Stop => matches!(state, State::Stopped | State::Canceled),
            PendingKind::Restart => matches!(state, State::Deployed | State::Restarted),
            _ => *state == State::Deployed,
        };
        if expected {
            self.finish(Outcome::Success, now);
        } else if state.is_terminal() {
            self.finish(
                Outcome::Failed(format!("ended in {}", crate::text::words(state.as_str()))),
                now,
            );
        }
    }

    /// A Qovery delete's container no longer found (a 404): the delete is done.
    pub fn observe_deleted(&mut self, now: f64) {
        self.seen(State::Deleted.as_str(), now);
        self.finish(Outcome::Success, now);
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

    /// A poll that got no usable answer. A refused token (401/403) pauses polling until the user
    /// signs in again; a 404 ends it as gone; anything else is shown, retried later, and never
    /// taken as the outcome.
    pub fn poll_failed(
        &mut self,
        status: Option<u16>,
        message: &str,
        retry_after_secs: Option<u64>,
        now: f64,
    ) {
        self.error = Some(message.to_string());
        self.last_polled_ms = Some(now);
        match status {
            Some(401 | 403) => {
                self.paused = Some(format!(
                    "the token was refused ({message}): sign in again on the Connections page"
                ));
                return;
            }
            Some(404) => {
                self.finish(Outcome::Gone, now);
                return;
            }
            _ => {}
        }
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
    kind: PendingKind,
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

/// An entry about a Qovery container whose state is now `state`.
fn on_container(
    conn: &str,
    container: &str,
    kind: PendingKind,
    name: &str,
    state: String,
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
        state,
        now,
    )
}

/// An entry for a Qovery operation that answered 202 with the container's status; `before` is the
/// state the caller showed when it started the operation, if it knew one.
pub fn from_qovery(
    conn: &str,
    container: &str,
    kind: PendingKind,
    name: &str,
    status: &berth_api::qovery::Status,
    before: Option<&State>,
    now: f64,
) -> Pending {
    let mut p = on_container(conn, container, kind, name, status.state.to_string(), now);
    p.baseline = Baseline {
        state: before.map(|s| s.to_string()),
        last_deployment: status.last_deployment_date.clone(),
    };
    p
}

/// An entry for a Qovery operation the server accepted without a status (a bulk request),
/// judged against what the caller showed: its state (`before`) and last deployment date.
pub fn from_qovery_shown(
    conn: &str,
    container: &str,
    kind: PendingKind,
    name: &str,
    before: Option<&State>,
    last_deployment: Option<&str>,
    now: f64,
) -> Pending {
    let state = before.map_or_else(|| UNKNOWN.to_string(), |s| s.to_string());
    let mut p = on_container(conn, container, kind, name, state, now);
    p.baseline = Baseline {
        state: before.map(|s| s.to_string()),
        last_deployment: last_deployment.map(str::to_string),
    };
    p
}

/// An entry for a Qovery delete the server accepted (a 204): the container goes at once, or walks
/// `DELETE_QUEUED → DELETING` first; `before` is the state the caller showed.
pub fn from_qovery_delete(
    conn: &str,
    container: &str,
    name: &str,
    before: Option<&State>,
    now: f64,
) -> Pending {
    let state = State::DeleteQueued.to_string();
    let mut p = on_container(conn, container, PendingKind::Delete, name, state, now);
    p.baseline.state = before.map(|s| s.to_string());
    p
}

/// Polls of a lost operation's container (1 + 2 + 3 + 5 s) that show no move before it counts as
/// never started: long enough for a real API to queue it, short enough to try again soon.
pub const LOST_CHECKS: u32 = 4;

/// What a lost operation that never showed up on its container says.
pub const NOT_STARTED: &str = "no answer came back and the container shows no sign that it \
                               started: nothing was done, you can try again";

/// An entry for a Qovery operation whose answer was lost: it may or may not have started, so it
/// is followed (never resent) until the container moves (it went through) or stays put for
/// [`LOST_CHECKS`] polls (it did not). `before` and `last_deployment` are what the caller showed.
pub fn from_qovery_lost(
    conn: &str,
    container: &str,
    kind: PendingKind,
    name: &str,
    before: Option<&State>,
    last_deployment: Option<&str>,
    now: f64,
) -> Pending {
    let mut p = from_qovery_shown(conn, container, kind, name, before, last_deployment, now);
    p.state = UNKNOWN.to_string();
    p.unknown = true;
    p
}

/// The state shown while a lost operation is being checked.
pub const UNKNOWN: &str = "UNKNOWN";

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
            // Polled at once, even past the time to give up: its answer may be the outcome.
            if p.is_running() {
                p.next_poll_ms = now;
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
            PendingKind::Create,
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
        p.poll_failed(Some(500), "HTTP 500", None, 1000.0);
        assert!(p.is_running());
        assert_eq!((p.failures, p.next_poll_ms), (1, 3000.0));
        p.poll_failed(Some(429), "HTTP 429", Some(7), 3000.0);
        assert_eq!(p.next_poll_ms, 10_000.0);
        p.observe_kopernik(&ActionState::Running, None, None, 10_000.0);
        assert_eq!((p.error.clone(), p.failures), (None, 0));
    }

    fn q(kind: PendingKind, before: Option<State>, date: Option<&str>) -> Pending {
        let status = berth_api::qovery::Status {
            id: "c1".into(),
            state: State::DeploymentQueued,
            service_deployment_status: None,
            status_details: None,
            last_deployment_date: date.map(String::from),
            is_part_last_deployment: None,
            deployment_requests_count: None,
            deployment_request_id: None,
        };
        from_qovery("s", "c1", kind, "web", &status, before.as_ref(), 0.0)
    }

    #[test]
    fn a_failed_deploy_links_to_its_own_log() {
        let mut d = q(PendingKind::Deploy, Some(State::Stopped), None);
        assert_eq!(d.failure_log_path(), None, "running: no log link yet");
        d.observe_qovery(&State::DeploymentError, None, 1000.0);
        assert_eq!(
            d.failure_log_path().as_deref(),
            Some("/q/s/containers/c1?log=latest"),
            "the execution not read: the newest deployment"
        );
        d.execution = Some("exec 1".into());
        assert_eq!(
            d.failure_log_path().as_deref(),
            Some("/q/s/containers/c1?log=exec%201")
        );
        let mut ok = q(PendingKind::Deploy, Some(State::Stopped), None);
        ok.observe_qovery(&State::Deployed, Some("t1"), 1000.0);
        assert_eq!(ok.failure_log_path(), None, "a success has no failure log");
        let mut stop = q(PendingKind::Stop, Some(State::Deployed), None);
        stop.observe_qovery(&State::StopError, None, 1000.0);
        assert_eq!(
            stop.failure_log_path(),
            None,
            "a stop has no deployment log"
        );
    }

    #[test]
    fn qovery_terminal_states_and_giving_up() {
        let mut d = q(PendingKind::Deploy, Some(State::Stopped), None);
        d.observe_qovery(&State::Deploying, None, 1000.0);
        assert!(d.is_running());
        d.observe_qovery(&State::Deployed, Some("t1"), 3000.0);
        assert_eq!(d.outcome, Some(Outcome::Success));
        let mut e = q(PendingKind::Deploy, None, None);
        e.observe_qovery(&State::Deploying, None, 1000.0);
        e.observe_qovery(&State::DeploymentError, None, 2000.0);
        assert!(matches!(e.outcome, Some(Outcome::Failed(_))));
        let mut s = q(PendingKind::Stop, Some(State::Deployed), Some("t0"));
        s.observe_qovery(&State::Stopped, Some("t0"), 1000.0);
        assert_eq!(
            s.outcome,
            Some(Outcome::Success),
            "another end state is a move"
        );
        let mut old = k(0.0);
        old.observe_kopernik(&ActionState::Running, None, None, GIVE_UP_MS + 1.0);
        assert_eq!(old.outcome, Some(Outcome::GaveUp));
    }

    #[test]
    fn a_lagging_status_does_not_end_an_operation_before_it_moved() {
        // The API still reads the old DEPLOYED (same date) on the first polls after a redeploy.
        let mut d = q(PendingKind::Redeploy, Some(State::Deployed), Some("t0"));
        d.observe_qovery(&State::Deployed, Some("t0"), 1000.0);
        d.observe_qovery(&State::Deployed, Some("t0"), 3000.0);
        assert!(d.is_running(), "ended on the old status: {:?}", d.outcome);
        d.observe_qovery(&State::Deploying, Some("t0"), 6000.0);
        assert!(d.is_running());
        d.observe_qovery(&State::Deployed, Some("t1"), 11_000.0);
        assert_eq!(d.outcome, Some(Outcome::Success));
        // A new deployment date alone is a move too (the operation ran between two polls).
        let mut fast = q(PendingKind::Deploy, Some(State::Deployed), Some("t0"));
        fast.observe_qovery(&State::Deployed, Some("t1"), 1000.0);
        assert_eq!(fast.outcome, Some(Outcome::Success));
        // The old error of a failed container is not this deploy's outcome.
        let mut retry = q(PendingKind::Deploy, Some(State::DeploymentError), None);
        retry.observe_qovery(&State::DeploymentError, None, 1000.0);
        assert!(retry.is_running());
    }

    #[test]
    fn restarted_ends_a_restart() {
        let mut r = q(PendingKind::Restart, Some(State::Deployed), Some("t0"));
        r.observe_qovery(&State::Restarting, Some("t0"), 1000.0);
        r.observe_qovery(&State::Restarted, Some("t0"), 3000.0);
        assert_eq!(r.outcome, Some(Outcome::Success));
    }

    #[test]
    fn a_refused_token_pauses_polling_and_a_404_ends_it_as_gone() {
        let mut p = k(0.0);
        p.poll_failed(Some(401), "HTTP 401", None, 1000.0);
        assert!(p.is_running() && p.paused.is_some());
        assert!(!p.due(1e9), "a paused action is not polled");
        assert!(p
            .paused
            .as_deref()
            .is_some_and(|w| w.contains("sign in again")));
        p.resume(2000.0);
        assert!(p.due(2000.0));
        let mut f = k(0.0);
        f.poll_failed(Some(403), "HTTP 403", None, 1000.0);
        assert!(f.paused.is_some());
        let mut g = k(0.0);
        g.poll_failed(Some(404), "HTTP 404", None, 1000.0);
        assert_eq!(g.outcome, Some(Outcome::Gone));
        let mut r = k(0.0);
        r.poll_failed(Some(503), "HTTP 503", Some(4), 1000.0);
        assert!(r.is_running() && r.paused.is_none() && r.due(5000.0));
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

    #[test]
    fn an_old_entry_restored_is_polled_before_it_is_given_up() {
        let now = GIVE_UP_MS * 2.0;
        let (kept, dropped) = restore(vec![k(0.0)], now);
        assert_eq!(dropped, 0);
        assert!(
            kept[0].is_running() && kept[0].due(now),
            "not given up before a poll: {:?}",
            kept[0].outcome
        );
        // Its poll's answer is its outcome; only one that says "still running" gives up.
        let mut done = kept[0].clone();
        done.observe_kopernik(&ActionState::Success, None, None, now);
        assert_eq!(done.outcome, Some(Outcome::Success));
        let mut still = kept[0].clone();
        still.observe_kopernik(&ActionState::Running, None, None, now);
        assert_eq!(still.outcome, Some(Outcome::GaveUp));
    }

    #[test]
    fn a_qovery_delete_ends_when_its_container_is_gone() {
        let mut d = from_qovery_delete("s", "c1", "web", Some(&State::Deployed), 0.0);
        assert_eq!((d.kind, d.is_running()), (PendingKind::Delete, true));
        d.observe_qovery(&State::DeleteQueued, Some("t0"), 1000.0);
        d.observe_qovery(&State::Deleting, Some("t0"), 3000.0);
        assert!(d.is_running());
        d.observe_deleted(6000.0);
        assert_eq!(d.outcome, Some(Outcome::Success));
        let mut seen = from_qovery_delete("s", "c1", "web", Some(&State::Stopped), 0.0);
        seen.observe_qovery(&State::Deleted, None, 1000.0);
        assert_eq!(seen.outcome, Some(Outcome::Success), "DELETED ends it well");
        let mut e = from_qovery_delete("s", "c1", "web", Some(&State::Deployed), 0.0);
        e.observe_qovery(&State::Deleting, None, 1000.0);
        e.observe_qovery(&State::DeleteError, None, 3000.0);
        assert!(matches!(e.outcome, Some(Outcome::Failed(_))));
    }

    #[test]
    fn a_lost_deploy_is_followed_if_it_went_through_and_not_started_if_it_did_not() {
        let before = Some(&State::Deployed);
        let date = Some("2026-12-01T10:00:00Z");
        // It went through: the container moved (a new deployment), then ended well.
        let mut went = from_qovery_lost("s", "c1", PendingKind::Deploy, "web", before, date, 0.0);
        assert!(went.unknown && went.is_running());
        assert_eq!(went.state, UNKNOWN);
        went.observe_qovery(&State::Deployed, date, 1000.0);
        assert!(
            went.unknown && went.is_running(),
            "no move yet: still unknown"
        );
        went.observe_qovery(&State::Deploying, date, 3000.0);
        assert!(!went.unknown, "a move settles it: it was done");
        for t in [6000.0, 11_000.0, 21_000.0] {
            went.observe_qovery(&State::Deploying, date, t);
        }
        assert!(
            went.is_running(),
            "an operation that moved is never 'not started'"
        );
        went.observe_qovery(&State::Deployed, Some("2026-12-01T10:05:00Z"), 31_000.0);
        assert_eq!(went.outcome, Some(Outcome::Success));
        // It did not: the container stays as it was for LOST_CHECKS polls.
        let mut not = from_qovery_lost("s", "c1", PendingKind::Restart, "web", before, date, 0.0);
        for n in 1..LOST_CHECKS {
            not.observe_qovery(&State::Deployed, date, f64::from(n) * 1000.0);
            assert!(
                not.is_running(),
                "poll {n} of {LOST_CHECKS}: still checking"
            );
        }
        not.observe_qovery(&State::Deployed, date, 20_000.0);
        assert_eq!(not.outcome, Some(Outcome::Failed(NOT_STARTED.into())));
        // Stored and read back, it stays unknown.
        let lost = from_qovery_lost("s", "c1", PendingKind::Stop, "web", before, date, 0.0);
        let text = serde_json::to_string(&lost).unwrap_or_default();
        let back: Option<Pending> = serde_json::from_str(&text).ok();
        assert_eq!(back, Some(lost));
    }
}
