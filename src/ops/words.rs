//! One vocabulary for states, outcomes and times: the lists, the detail pages, /actions and the
//! toasts say the same thing the same way ("Deployment error", never `DEPLOYMENT_ERROR`; "3 min
//! ago" with the exact time on hover, never a raw ISO string).

use berth_api::qovery::State;

use crate::state::pending::{Outcome, Pending, Target};
use crate::text::{capitalized, words};

/// How a state reads at a glance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Ok,
    Busy,
    Error,
    Neutral,
}

impl Tone {
    pub fn name(self) -> &'static str {
        match self {
            Tone::Ok => "ok",
            Tone::Busy => "busy",
            Tone::Error => "error",
            Tone::Neutral => "neutral",
        }
    }

    pub fn class(self) -> &'static str {
        match self {
            Tone::Ok => "berth-chip berth-chip-ok",
            Tone::Busy => "berth-chip berth-chip-busy",
            Tone::Error => "berth-chip berth-chip-error",
            Tone::Neutral => "berth-chip",
        }
    }
}

/// "DEPLOYMENT_QUEUED" → "Deployment queued"; READY is "Never deployed".
pub fn qovery_state(state: &State) -> (String, Tone) {
    let tone = if state.is_error() || *state == State::Recap {
        Tone::Error
    } else if state.is_transitional() {
        Tone::Busy
    } else if matches!(state, State::Deployed | State::Restarted) {
        Tone::Ok
    } else {
        Tone::Neutral
    };
    let label = match state {
        State::Ready => "Never deployed".to_string(),
        other => capitalized(&words(other.as_str())),
    };
    (label, tone)
}

/// Kopernik statuses are the provider's own strings: known ones get a tone, the rest are neutral.
pub fn kopernik_tone(status: &str) -> Tone {
    match status.to_ascii_lowercase().as_str() {
        "active" | "running" | "available" | "success" => Tone::Ok,
        "new" | "provisioning" | "pending" | "booting" | "deleting" | "starting" | "stopping"
        | "queued" | "in_progress" | "running_action" => Tone::Busy,
        "error" | "failed" | "errored" | "rolled_back" => Tone::Error,
        _ => Tone::Neutral,
    }
}

/// A Kopernik status or Action state as people read it: "in_progress" → "In progress".
pub fn kopernik_state(status: &str) -> (String, Tone) {
    (capitalized(&words(status)), kopernik_tone(status))
}

/// What a followed operation's target shows now, in the words of its backend; an operation whose
/// answer was lost says it is being checked.
pub fn pending_state(p: &Pending) -> (String, Tone) {
    if p.unknown && p.is_running() {
        return ("Checking whether it started".into(), Tone::Busy);
    }
    match p.target {
        Target::Qovery { .. } => qovery_state(&State::from_wire(&p.state)),
        // An Action's state ("running") is not an app's status ("running" = up): busy until it ends.
        Target::Kopernik { .. } if p.is_running() => (sentence(&p.state), Tone::Busy),
        Target::Kopernik { .. } => kopernik_state(&p.state),
    }
}

/// How an operation ended (or where it stands), in one sentence.
pub fn outcome(p: &Pending) -> (Tone, String) {
    match &p.outcome {
        None if p.paused.is_some() => (
            Tone::Error,
            format!("paused: {}", p.paused.clone().unwrap_or_default()),
        ),
        None => (
            Tone::Busy,
            p.error
                .clone()
                .map(|e| format!("checking failed ({e}); retrying"))
                .unwrap_or_else(|| "running".into()),
        ),
        Some(Outcome::Success) => (Tone::Ok, "done".into()),
        Some(Outcome::Failed(why)) => (Tone::Error, why.clone()),
        Some(Outcome::GaveUp) => (
            Tone::Error,
            "still running after 15 minutes: check again".into(),
        ),
        Some(Outcome::Gone) => (Tone::Error, "gone: the server no longer knows it".into()),
    }
}

/// A wire word as a sentence: `UP_TO_DATE` → "Up to date", `NEVER_DEPLOYED` → "Never deployed".
pub fn sentence(wire: &str) -> String {
    capitalized(&words(wire))
}

/// A container's last action and how it went: `DEPLOY` + `SUCCESS` → "Deploy succeeded".
pub fn last_action(action: &str, status: &str) -> String {
    // Qovery's `NEVER`: nothing was done yet ("Deploy never" says nothing).
    if status == "NEVER" {
        return "None yet".into();
    }
    let how = match status {
        "SUCCESS" => "succeeded".to_string(),
        "ERROR" => "failed".to_string(),
        "ONGOING" => "in progress".to_string(),
        "" => String::new(),
        other => words(other),
    };
    let what = sentence(action);
    match (what.is_empty(), how.is_empty()) {
        (true, _) => capitalized(&how),
        (false, true) => what,
        (false, false) => format!("{what} {how}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::pending::model::{from_qovery_lost, PendingKind};

    #[test]
    fn every_state_reads_as_words_with_its_tone() {
        for s in State::ALL {
            let (label, tone) = qovery_state(s);
            assert!(!label.is_empty() && !label.contains('_'), "{s}: {label}");
            if s.as_str().ends_with("_ERROR") {
                assert_eq!(tone, Tone::Error, "{s}");
            }
            if s.is_transitional() {
                assert_eq!(tone, Tone::Busy, "{s}");
            }
        }
        assert_eq!(qovery_state(&State::Ready).0, "Never deployed");
        assert_eq!(
            qovery_state(&State::DeploymentQueued),
            ("Deployment queued".to_string(), Tone::Busy)
        );
        assert_eq!(
            qovery_state(&State::Unknown("NEW_THING".into())),
            ("New thing".to_string(), Tone::Neutral)
        );
        assert_eq!(
            kopernik_state("in_progress"),
            ("In progress".into(), Tone::Busy)
        );
        assert_eq!(kopernik_tone("Active"), Tone::Ok);
        assert_eq!(kopernik_tone("weird"), Tone::Neutral);
    }

    #[test]
    fn details_and_operations_use_the_same_words() {
        assert_eq!(sentence("UP_TO_DATE"), "Up to date");
        assert_eq!(last_action("DEPLOY", "SUCCESS"), "Deploy succeeded");
        assert_eq!(last_action("RESTART", "ERROR"), "Restart failed");
        assert_eq!(last_action("", "ONGOING"), "In progress");
        assert_eq!(last_action("DEPLOY", "NEVER"), "None yet");
        let before = Some(&State::Deployed);
        let mut p = from_qovery_lost("s", "c", PendingKind::Restart, "web", before, None, 0.0);
        assert_eq!(
            pending_state(&p),
            ("Checking whether it started".into(), Tone::Busy)
        );
        p.observe_qovery(&State::DeploymentError, None, 1000.0);
        assert_eq!(pending_state(&p), ("Deployment error".into(), Tone::Error));
        assert_eq!(
            outcome(&p),
            (Tone::Error, "ended in deployment error".into())
        );
    }
}
